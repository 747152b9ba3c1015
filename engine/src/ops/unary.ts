// Elementwise unary primitives, one table row each: the kernel that computes it and its
// derivative, written in differentiable ops. Integer inputs of float-valued functions are
// promoted to float32, as in PyTorch.
import type { UnaryOp } from '../backend/types.ts';
import { isFloating } from '../dtype.ts';
import type { Tensor } from '../tensor.ts';
import { apply, defineOp, type OpDef } from '../autograd/function.ts';
import { fromBufferLike, kernelsOf } from './make.ts';
import { add, div, mul, sub } from './binary.ts';
import { cast } from './cast.ts';
import { gt } from './compare.ts';
import { where } from './where.ts';
import { zerosLike } from './fill.ts';

type Saved = 'input' | 'output';
interface UnaryRow {
  saves: Saved;
  /** Keeps integer dtypes (neg, abs, relu…) instead of promoting to float. */
  keepsIntegers?: boolean;
  /** d(out)/d(x) times g, from the saved input or output. */
  grad: (g: Tensor, saved: Tensor) => Tensor;
}

const zero = (g: Tensor): Tensor => zerosLike(g);
const TWO_OVER_SQRT_PI = 2 / Math.sqrt(Math.PI);

export const UNARY: Record<Exclude<UnaryOp, 'isnan' | 'isinf' | 'isfinite' | 'logicalNot'>, UnaryRow> = {
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
  tanh: { saves: 'output', grad: (g, out) => mul(g, sub(1, mul(out, out))) },
  sigmoid: { saves: 'output', grad: (g, out) => mul(g, mul(out, sub(1, out))) },
  // PyTorch's threshold_backward: the gradient passes where the output is positive.
  relu: { saves: 'output', keepsIntegers: true, grad: (g, out) => where(gt(out, 0), g, 0) },
  erf: { saves: 'input', grad: (g, x) => mul(g, mul(exp(neg(mul(x, x))), TWO_OVER_SQRT_PI)) },
  floor: { saves: 'input', keepsIntegers: true, grad: zero },
  ceil: { saves: 'input', keepsIntegers: true, grad: zero },
  round: { saves: 'input', keepsIntegers: true, grad: zero },
  trunc: { saves: 'input', keepsIntegers: true, grad: zero },
};

type DifferentiableUnary = keyof typeof UNARY;

const defs = Object.fromEntries(
  Object.entries(UNARY).map(([op, row]) => {
    const name = op[0]!.toUpperCase() + op.slice(1);
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
  if (isFloating(x.dtype) || (keepsIntegers && x.dtype === 'int32')) return x;
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
