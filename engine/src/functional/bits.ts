// Functions of a number's representation, computed on the CPU as torch's CPU kernels compute
// them: nextafter (the next float32 or float64 toward another value), frexp (mantissa in
// [0.5, 1) and exponent), and gcd and lcm of integers. Not differentiable, as in torch.
import type { Tensor } from '../tensor.ts';
import { isFloating, promoteTypes } from '../dtype.ts';
import { tensor } from '../creation.ts';
import { broadcastTensors } from './shape.ts';

function cpuPair(
  op: string,
  a: Tensor,
  b: Tensor | number,
): [ArrayLike<number>, ArrayLike<number>, number[]] {
  const other = typeof b === 'number' ? tensor(b, { dtype: a.dtype }) : b;
  for (const t of [a, other])
    if (t.device !== 'cpu')
      throw new Error(
        `${op}: the values of a '${t.device}' tensor are read on the CPU: use (await x.toAsync('cpu')).${op}()`,
      );
  const [x, y] = broadcastTensors(a, other) as [Tensor, Tensor];
  return [
    x.contiguous().dataSync() as ArrayLike<number>,
    y.contiguous().dataSync() as ArrayLike<number>,
    x.shape,
  ];
}

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);
const f64 = new Float64Array(1);
const u64 = new BigUint64Array(f64.buffer);

function nextFloat32(x: number, toward: number): number {
  if (Number.isNaN(x) || Number.isNaN(toward)) return NaN;
  if (x === toward) return toward;
  if (x === 0) {
    u32[0] = 1;
    return toward > 0 ? f32[0]! : -f32[0]!;
  }
  f32[0] = x;
  u32[0] = x < toward === x > 0 ? u32[0]! + 1 : u32[0]! - 1;
  return f32[0]!;
}

function nextFloat64(x: number, toward: number): number {
  if (Number.isNaN(x) || Number.isNaN(toward)) return NaN;
  if (x === toward) return toward;
  if (x === 0) return toward > 0 ? Number.MIN_VALUE : -Number.MIN_VALUE;
  f64[0] = x;
  u64[0] = x < toward === x > 0 ? u64[0]! + 1n : u64[0]! - 1n;
  return f64[0]!;
}

/** The next representable value after a toward b, in a's float dtype (torch.nextafter). */
export function nextafter(a: Tensor, b: Tensor | number): Tensor {
  if (!isFloating(a.dtype) || (typeof b !== 'number' && b.dtype !== a.dtype))
    throw new TypeError(
      `nextafter: expected both inputs of one floating-point dtype, got ${a.dtype} and ${typeof b === 'number' ? 'a number' : b.dtype}`,
    );
  if (a.dtype !== 'float32' && a.dtype !== 'float64')
    throw new TypeError(`nextafter: supports float32 and float64 (as torch's CPU kernel), got ${a.dtype}`);
  const [x, y, shape] = cpuPair('nextafter', a, b);
  const next = a.dtype === 'float64' ? nextFloat64 : nextFloat32;
  const out = Array.from({ length: x.length }, (_, i) => next(Number(x[i]), Number(y[i])));
  return tensor(out, { dtype: a.dtype }).reshape(shape);
}

/** (mantissa, exponent) with x = mantissa · 2^exponent, |mantissa| in [0.5, 1) (torch.frexp). */
export interface FrexpResult {
  mantissa: Tensor;
  exponent: Tensor;
  [Symbol.iterator](): Iterator<Tensor>;
}

export function frexp(x: Tensor): FrexpResult {
  if (!isFloating(x.dtype))
    throw new TypeError(`torch.frexp() only supports floating-point dtypes, got ${x.dtype}`);
  if (x.device !== 'cpu')
    throw new Error(
      `frexp: the values of a '${x.device}' tensor are read on the CPU: use (await x.toAsync('cpu')).frexp()`,
    );
  const values = x.contiguous().dataSync() as ArrayLike<number>;
  const m: number[] = [];
  const e: number[] = [];
  for (let i = 0; i < values.length; i++) {
    const v = Number(values[i]);
    if (v === 0 || !Number.isFinite(v)) {
      m.push(v);
      e.push(0);
      continue;
    }
    let exp = Math.floor(Math.log2(Math.abs(v))) + 1;
    let mant = v / 2 ** exp;
    // log2 can land one off near powers of two.
    if (Math.abs(mant) >= 1) [mant, exp] = [mant / 2, exp + 1];
    else if (Math.abs(mant) < 0.5) [mant, exp] = [mant * 2, exp - 1];
    m.push(mant);
    e.push(exp);
  }
  const mantissa = tensor(m, { dtype: x.dtype }).reshape(x.shape);
  const exponent = tensor(e, { dtype: 'int32' }).reshape(x.shape);
  const pair = [mantissa, exponent] as const;
  return { mantissa, exponent, [Symbol.iterator]: () => pair[Symbol.iterator]() };
}

function integerPair(
  op: string,
  a: Tensor,
  b: Tensor | number,
): [ArrayLike<number>, ArrayLike<number>, number[], Tensor['dtype']] {
  const bt = typeof b === 'number' ? tensor(b, { dtype: a.dtype }) : b;
  if (isFloating(a.dtype) || isFloating(bt.dtype) || a.dtype === 'bool' || bt.dtype === 'bool')
    throw new TypeError(`${op}: expected integer tensors, got ${a.dtype} and ${bt.dtype}`);
  const [x, y, shape] = cpuPair(op, a, bt);
  return [x, y, shape, promoteTypes(a.dtype, bt.dtype)];
}

const gcdOf = (a: number, b: number): number => {
  let [x, y] = [Math.abs(a), Math.abs(b)];
  while (y !== 0) [x, y] = [y, x % y];
  return x;
};

/** The greatest common divisor, elementwise, of integer tensors (torch.gcd; gcd(0, 0) = 0). */
export function gcd(a: Tensor, b: Tensor | number): Tensor {
  const [x, y, shape, dtype] = integerPair('gcd', a, b);
  return tensor(
    Array.from({ length: x.length }, (_, i) => gcdOf(Number(x[i]), Number(y[i]))),
    { dtype },
  ).reshape(shape);
}

/** The least common multiple, elementwise, of integer tensors (torch.lcm; 0 if either is 0). */
export function lcm(a: Tensor, b: Tensor | number): Tensor {
  const [x, y, shape, dtype] = integerPair('lcm', a, b);
  const out = Array.from({ length: x.length }, (_, i) => {
    const [u, v] = [Number(x[i]), Number(y[i])];
    const g = gcdOf(u, v);
    return g === 0 ? 0 : Math.abs((u / g) * v);
  });
  return tensor(out, { dtype }).reshape(shape);
}
