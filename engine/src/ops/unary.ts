// Elementwise unary primitives, one table row each: the kernel that computes it and its
// derivative, written in differentiable ops. Integer inputs of float-valued functions are
// promoted to float32, as in PyTorch.
import type { UnaryOp } from '../backend/types.ts';
import { isFloating, isIntegral } from '../dtype.ts';
import type { Tensor } from '../tensor.ts';
import { apply, defineOp, type OpDef } from '../autograd/function.ts';
import { fromBufferLike, kernelsOf } from './make.ts';
import { add, div, mul, sub } from './binary.ts';
import { cast } from './cast.ts';
import { sigmoidBackward, tanhBackward, thresholdBackward } from './activation-grad.ts';
import { zerosLike } from './fill.ts';
import { polygamma as polygammaValue } from '../backend/cpu/special.ts';

type Saved = 'input' | 'output';
interface UnaryRow {
  saves: Saved;
  /** Keeps integer dtypes (neg, abs, relu…) instead of promoting to float. */
  keepsIntegers?: boolean;
  /** d(out)/d(x) times g, from the saved input or output. */
  grad: (g: Tensor, saved: Tensor) => Tensor;
  /** torch's name for the op, where it is not the kernel's (trigamma is torch's polygamma(1, x)). */
  name?: string;
}

const zero = (g: Tensor): Tensor => zerosLike(g);
const TWO_OVER_SQRT_PI = 2 / Math.sqrt(Math.PI);

export const UNARY: Record<
  Exclude<UnaryOp, 'isnan' | 'isinf' | 'isfinite' | 'logicalNot' | 'bitwiseNot'>,
  UnaryRow
> = {
  neg: { saves: 'input', keepsIntegers: true, grad: (g) => neg(g) },
  abs: { saves: 'input', keepsIntegers: true, grad: (g, x) => mul(g, sign(x)) },
  sign: { saves: 'input', keepsIntegers: true, grad: zero },
  exp: { saves: 'output', grad: (g, out) => mul(g, out) },
  log: { saves: 'input', grad: (g, x) => div(g, x) },
  log1p: { saves: 'input', grad: (g, x) => div(g, add(x, 1)) },
  expm1: { saves: 'output', grad: (g, out) => mul(g, add(out, 1)) },
  sqrt: { saves: 'output', grad: (g, out) => div(g, mul(out, 2)) },
  rsqrt: { saves: 'output', grad: (g, out) => mul(mul(g, -0.5), mul(out, mul(out, out))) },
  reciprocal: { saves: 'output', grad: (g, out) => neg(mul(g, mul(out, out))) },
  square: { saves: 'input', keepsIntegers: true, grad: (g, x) => mul(g, mul(x, 2)) },
  sin: { saves: 'input', grad: (g, x) => mul(g, cos(x)) },
  cos: { saves: 'input', grad: (g, x) => neg(mul(g, sin(x))) },
  tanh: { saves: 'output', grad: (g, out) => tanhBackward(g, out) },
  sigmoid: { saves: 'output', grad: (g, out) => sigmoidBackward(g, out) },
  // PyTorch's threshold_backward: the gradient passes where the output is positive.
  relu: { saves: 'output', keepsIntegers: true, grad: (g, out) => thresholdBackward(g, out, 0) },
  erf: { saves: 'input', grad: (g, x) => mul(g, mul(exp(neg(mul(x, x))), TWO_OVER_SQRT_PI)) },
  floor: { saves: 'input', keepsIntegers: true, grad: zero },
  ceil: { saves: 'input', keepsIntegers: true, grad: zero },
  round: { saves: 'input', keepsIntegers: true, grad: zero },
  trunc: { saves: 'input', keepsIntegers: true, grad: zero },
  // PyTorch's derivative formulas (tools/autograd/derivatives.yaml), so gradients round alike.
  tan: { saves: 'output', grad: (g, out) => mul(g, add(mul(out, out), 1)) },
  asin: { saves: 'input', grad: (g, x) => mul(g, rsqrt(add(mul(neg(x), x), 1))) },
  acos: { saves: 'input', grad: (g, x) => mul(g, neg(rsqrt(add(mul(neg(x), x), 1)))) },
  atan: { saves: 'input', grad: (g, x) => div(g, add(mul(x, x), 1)) },
  sinh: { saves: 'input', grad: (g, x) => mul(g, cosh(x)) },
  cosh: { saves: 'input', grad: (g, x) => mul(g, sinh(x)) },
  asinh: { saves: 'input', grad: (g, x) => mul(g, rsqrt(add(mul(x, x), 1))) },
  acosh: { saves: 'input', grad: (g, x) => mul(g, rsqrt(sub(mul(x, x), 1))) },
  atanh: { saves: 'input', grad: (g, x) => mul(g, reciprocal(sub(1, mul(x, x)))) },
  log2: { saves: 'input', grad: (g, x) => div(g, mul(x, Math.LN2)) },
  log10: { saves: 'input', grad: (g, x) => div(g, mul(x, Math.LN10)) },
  exp2: { saves: 'output', grad: (g, out) => mul(g, mul(out, Math.LN2)) },
  lgamma: { saves: 'input', grad: (g, x) => mul(g, digamma(x)) },
  digamma: { saves: 'input', grad: (g, x) => mul(g, trigamma(x)) },
  trigamma: { saves: 'input', name: 'Polygamma', grad: (g, x) => mul(g, polygammaAbove(2, x)) },
  erfinv: { saves: 'output', grad: (g, out) => mul(mul(exp(mul(out, out)), 0.5 * Math.sqrt(Math.PI)), g) },
  erfc: { saves: 'input', grad: (g, x) => mul(mul(exp(neg(mul(x, x))), -TWO_OVER_SQRT_PI), g) },
};

type DifferentiableUnary = keyof typeof UNARY;

const defs = Object.fromEntries(
  Object.entries(UNARY).map(([op, row]) => {
    const name = row.name ?? op[0]!.toUpperCase() + op.slice(1);
    const def = defineOp({
      name,
      forward([x], _attrs, ctx) {
        const out = fromBufferLike(
          x!.storage.backend,
          kernelsOf(x!).unary(op as UnaryOp, x!.view_(), x!.dtype),
          x!,
          x!.dtype,
        );
        ctx.save(row.saves === 'input' ? x! : out);
        return out;
      },
      backward: (g, { saved }) => [row.grad(g, saved[0]!)],
    });
    return [op, def];
  }),
) as Record<DifferentiableUnary, OpDef>;

function floatInput(x: Tensor, keepsIntegers: boolean | undefined): Tensor {
  if (isFloating(x.dtype) || (keepsIntegers && isIntegral(x.dtype))) return x;
  return cast(x, 'float32');
}

export function unary(op: DifferentiableUnary, x: Tensor): Tensor {
  return apply(defs[op], [floatInput(x, UNARY[op].keepsIntegers)], undefined);
}

export const neg = (x: Tensor): Tensor => unary('neg', x);
export const abs = (x: Tensor): Tensor => unary('abs', x);
export const sign = (x: Tensor): Tensor => unary('sign', x);
export const exp = (x: Tensor): Tensor => unary('exp', x);
export const log = (x: Tensor): Tensor => unary('log', x);
export const log1p = (x: Tensor): Tensor => unary('log1p', x);
export const expm1 = (x: Tensor): Tensor => unary('expm1', x);
export const sqrt = (x: Tensor): Tensor => unary('sqrt', x);
export const rsqrt = (x: Tensor): Tensor => unary('rsqrt', x);
export const reciprocal = (x: Tensor): Tensor => unary('reciprocal', x);
export const square = (x: Tensor): Tensor => unary('square', x);
export const sin = (x: Tensor): Tensor => unary('sin', x);
export const cos = (x: Tensor): Tensor => unary('cos', x);
export const tanh = (x: Tensor): Tensor => unary('tanh', x);
export const sigmoid = (x: Tensor): Tensor => unary('sigmoid', x);
export const relu = (x: Tensor): Tensor => unary('relu', x);
export const erf = (x: Tensor): Tensor => unary('erf', x);
export const floor = (x: Tensor): Tensor => unary('floor', x);
export const ceil = (x: Tensor): Tensor => unary('ceil', x);
export const round = (x: Tensor): Tensor => unary('round', x);
export const trunc = (x: Tensor): Tensor => unary('trunc', x);
export const tan = (x: Tensor): Tensor => unary('tan', x);
export const asin = (x: Tensor): Tensor => unary('asin', x);
export const acos = (x: Tensor): Tensor => unary('acos', x);
export const atan = (x: Tensor): Tensor => unary('atan', x);
export const sinh = (x: Tensor): Tensor => unary('sinh', x);
export const cosh = (x: Tensor): Tensor => unary('cosh', x);
export const asinh = (x: Tensor): Tensor => unary('asinh', x);
export const acosh = (x: Tensor): Tensor => unary('acosh', x);
export const atanh = (x: Tensor): Tensor => unary('atanh', x);
export const log2 = (x: Tensor): Tensor => unary('log2', x);
export const log10 = (x: Tensor): Tensor => unary('log10', x);
export const exp2 = (x: Tensor): Tensor => unary('exp2', x);
export const lgamma = (x: Tensor): Tensor => unary('lgamma', x);
export const digamma = (x: Tensor): Tensor => unary('digamma', x);
export const trigamma = (x: Tensor): Tensor => unary('trigamma', x);
export const erfinv = (x: Tensor): Tensor => unary('erfinv', x);
export const erfc = (x: Tensor): Tensor => unary('erfc', x);

/**
 * polygamma(n, x) for n ≥ 2 (torch's (−1)^(n+1) n! ζ(n + 1, x)), on the CPU: no GPU kernel has
 * the Hurwitz zeta. Its gradient is polygamma(n + 1, x).
 */
const PolygammaN = defineOp<{ n: number }>({
  name: 'Polygamma',
  forward([x], { n }, ctx) {
    if (x!.device !== 'cpu')
      throw new Error(
        `polygamma: n = ${n} runs on the CPU: use (await x.toAsync('cpu')) (n = 0 and 1 run on any device)`,
      );
    const values = x!.contiguous().dataSync() as ArrayLike<number>;
    const out = new (x!.dtype === 'float64' ? Float64Array : Float32Array)(values.length);
    for (let i = 0; i < values.length; i++) out[i] = polygammaValue(n, values[i]!);
    ctx.save(x!);
    const backend = x!.storage.backend;
    return fromBufferLike(backend, backend.fromTypedArray(out, x!.dtype), x!.contiguous(), x!.dtype);
  },
  backward: (g, { saved: [x], attrs: { n } }) => [mul(g, polygammaAbove(n + 1, x!))],
});

function polygammaAbove(n: number, x: Tensor): Tensor {
  return apply(PolygammaN, [x], { n });
}

/** torch.polygamma(n, x): the n-th derivative of digamma (n = 0: digamma itself). */
export function polygamma(n: number, x: Tensor): Tensor {
  if (!Number.isInteger(n) || n < 0)
    throw new Error(`polygamma(n, x) does not support negative n (got ${n})`);
  if (n === 0) return digamma(x);
  if (n === 1) return trigamma(x);
  return polygammaAbove(n, floatInput(x, false));
}
