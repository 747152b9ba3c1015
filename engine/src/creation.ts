// Tensor factories with PyTorch's names: from data, filled, ranges, identity and random.
import { getBackend } from './backend/registry.ts';
import type { Device } from './backend/types.ts';
import { dtypeOfArray, isFloating, typedArrayFor, type DType, type TypedArray } from './dtype.ts';
import { checkShape, numel } from './shape.ts';
import type { Tensor } from './tensor.ts';
import { filled } from './ops/fill.ts';
import { fromBuffer } from './ops/make.ts';
import { defaultGenerator, fillNormal, type Generator } from './random.ts';

export interface TensorOptions {
  dtype?: DType;
  device?: Device;
  requiresGrad?: boolean;
}

export interface RandomOptions extends TensorOptions {
  generator?: Generator;
}

export type NestedArray = number | boolean | readonly NestedArray[];

function finish(t: Tensor, options: TensorOptions): Tensor {
  if (options.requiresGrad) {
    if (!isFloating(t.dtype))
      throw new Error(`Only Tensors of floating point dtype can require gradients (got ${t.dtype})`);
    t.requiresGrad = true;
  }
  return t;
}

function fromArray(data: TypedArray, shape: readonly number[], options: TensorOptions): Tensor {
  const backend = getBackend(options.device);
  return finish(fromBuffer(backend, backend.fromTypedArray(data), shape, dtypeOfArray(data)), options);
}

function inferShape(data: NestedArray): number[] {
  const shape: number[] = [];
  let level: NestedArray = data;
  while (Array.isArray(level)) {
    shape.push(level.length);
    if (level.length === 0) break;
    level = (level as readonly NestedArray[])[0]!;
  }
  return shape;
}

/** Flattens nested arrays, checking that they are rectangular (naming the first ragged dim). */
function flattenNested(data: NestedArray, shape: readonly number[]): (number | boolean)[] {
  const out: (number | boolean)[] = [];
  const visit = (node: NestedArray, dim: number): void => {
    if (dim === shape.length) {
      if (Array.isArray(node)) throw new Error(`tensor: too many dimensions at depth ${dim}`);
      if (typeof node !== 'number' && typeof node !== 'boolean')
        throw new Error(`tensor: could not convert ${JSON.stringify(node)} to a number`);
      out.push(node as number | boolean);
      return;
    }
    if (!Array.isArray(node) || node.length !== shape[dim])
      throw new Error(
        `tensor: expected sequence of length ${shape[dim]} at dim ${dim} (got ${Array.isArray(node) ? node.length : 'a scalar'})`,
      );
    for (const child of node as readonly NestedArray[]) visit(child, dim + 1);
  };
  visit(data, 0);
  return out;
}

/** torch.tensor: from a number, nested arrays or a TypedArray (then `shape` may be given). */
export function tensor(
  data: NestedArray | TypedArray,
  options: TensorOptions & { shape?: readonly number[] } = {},
): Tensor {
  if (ArrayBuffer.isView(data)) {
    const typed = data as TypedArray;
    const shape = options.shape ? checkShape('tensor', options.shape) : [typed.length];
    if (numel(shape) !== typed.length)
      throw new Error(`tensor: shape [${shape.join(', ')}] does not match ${typed.length} values`);
    const dtype = options.dtype ?? dtypeOfArray(typed);
    const copy = typedArrayFor(dtype, typed.length);
    copy.set(typed);
    return fromArray(copy, shape, options);
  }
  const shape = inferShape(data);
  const values = flattenNested(data, shape);
  const inferred: DType = values.some((v) => typeof v === 'boolean')
    ? 'bool'
    : values.every((v) => Number.isInteger(v))
      ? 'int32'
      : 'float32';
  const dtype = options.dtype ?? (values.length === 0 ? 'float32' : inferred);
  const array = typedArrayFor(dtype, values.length);
  for (let i = 0; i < values.length; i++) array[i] = Number(values[i]);
  if (dtype === 'bool') for (let i = 0; i < values.length; i++) array[i] = values[i] ? 1 : 0;
  return fromArray(array, shape, options);
}

export function full(shape: readonly number[], value: number | boolean, options: TensorOptions = {}): Tensor {
  const dtype =
    options.dtype ?? (typeof value === 'boolean' ? 'bool' : Number.isInteger(value) ? 'int32' : 'float32');
  return finish(filled(shape, value, dtype, getBackend(options.device)), options);
}

export const zeros = (shape: readonly number[], options: TensorOptions = {}): Tensor =>
  full(shape, 0, { dtype: 'float32', ...options });
export const ones = (shape: readonly number[], options: TensorOptions = {}): Tensor =>
  full(shape, 1, { dtype: 'float32', ...options });
/** Uninitialised memory in PyTorch; zero-filled here so that results are reproducible. */
export const empty = zeros;

function likeOptions(t: Tensor, options: TensorOptions): TensorOptions {
  return { dtype: t.dtype, device: t.device, ...options };
}

export const zerosLike = (t: Tensor, options: TensorOptions = {}): Tensor =>
  zeros(t.shape, likeOptions(t, options));
export const onesLike = (t: Tensor, options: TensorOptions = {}): Tensor =>
  ones(t.shape, likeOptions(t, options));
export const fullLike = (t: Tensor, value: number, options: TensorOptions = {}): Tensor =>
  full(t.shape, value, likeOptions(t, options));
export const emptyLike = zerosLike;

/** arange(end) or arange(start, end, step): int32 when all arguments are integers. */
export function arange(startOrEnd: number, end?: number, step = 1, options: TensorOptions = {}): Tensor {
  const start = end === undefined ? 0 : startOrEnd;
  const stop = end === undefined ? startOrEnd : end;
  if (step === 0) throw new Error('arange: step must be nonzero');
  if ((stop - start) / step < 0 && stop !== start)
    throw new Error('arange: upper bound and larger bound inconsistent with step sign');
  const n = Math.max(0, Math.ceil((stop - start) / step));
  const allInt = [start, stop, step].every(Number.isInteger);
  const array = typedArrayFor(options.dtype ?? (allInt ? 'int32' : 'float32'), n);
  for (let i = 0; i < n; i++) array[i] = start + i * step;
  return fromArray(array, [n], options);
}

export function linspace(start: number, end: number, steps: number, options: TensorOptions = {}): Tensor {
  if (!Number.isInteger(steps) || steps < 0)
    throw new Error('linspace: number of steps must be non-negative');
  const array = typedArrayFor(options.dtype ?? 'float32', steps);
  const step = steps > 1 ? (end - start) / (steps - 1) : 0;
  // PyTorch fills the two halves from each end, so that the last value is exactly `end`.
  const half = Math.floor(steps / 2);
  for (let i = 0; i < steps; i++) array[i] = i < half ? start + step * i : end - step * (steps - i - 1);
  return fromArray(array, [steps], options);
}

export function eye(n: number, m: number = n, options: TensorOptions = {}): Tensor {
  const array = typedArrayFor(options.dtype ?? 'float32', n * m);
  for (let i = 0; i < Math.min(n, m); i++) array[i * m + i] = 1;
  return fromArray(array, checkShape('eye', [n, m]), options);
}

function floatArray(shape: readonly number[], options: TensorOptions): Float32Array | Float64Array {
  const dtype = options.dtype ?? 'float32';
  if (!isFloating(dtype)) throw new Error(`expected a floating point dtype for random values, got ${dtype}`);
  return typedArrayFor(dtype, numel(checkShape('rand', shape))) as Float32Array | Float64Array;
}

/** Uniform in [0, 1). */
export function rand(shape: readonly number[], options: RandomOptions = {}): Tensor {
  const gen = options.generator ?? defaultGenerator;
  const array = floatArray(shape, options);
  const draw = array instanceof Float32Array ? () => gen.nextFloat32() : () => gen.nextFloat64();
  for (let i = 0; i < array.length; i++) array[i] = draw();
  return fromArray(array, shape, options);
}

/** Standard normal. */
export function randn(shape: readonly number[], options: RandomOptions = {}): Tensor {
  const array = floatArray(shape, options);
  fillNormal(array, options.generator ?? defaultGenerator);
  return fromArray(array, shape, options);
}

export const randLike = (t: Tensor, options: RandomOptions = {}): Tensor =>
  rand(t.shape, likeOptions(t, options));
export const randnLike = (t: Tensor, options: RandomOptions = {}): Tensor =>
  randn(t.shape, likeOptions(t, options));

/** Integers uniformly in [low, high). */
export function randint(
  low: number,
  high: number,
  shape: readonly number[],
  options: RandomOptions = {},
): Tensor {
  if (!(high > low)) throw new Error(`randint: expects 'from' < 'to', but got from=${low} >= to=${high}`);
  const gen = options.generator ?? defaultGenerator;
  const range = high - low;
  const array = typedArrayFor(options.dtype ?? 'int32', numel(checkShape('randint', shape)));
  for (let i = 0; i < array.length; i++) array[i] = (gen.nextUint32() % range) + low;
  return fromArray(array, shape, options);
}

/** A random permutation of 0..n-1 (PyTorch's CPU Fisher–Yates). */
export function randperm(n: number, options: RandomOptions = {}): Tensor {
  const gen = options.generator ?? defaultGenerator;
  const array = typedArrayFor(options.dtype ?? 'int32', n);
  for (let i = 0; i < n; i++) array[i] = i;
  for (let i = 0; i < n - 1; i++) {
    const z = gen.nextUint32() % (n - i);
    const tmp = array[i]!;
    array[i] = array[z + i]!;
    array[z + i] = tmp;
  }
  return fromArray(array, [n], options);
}

/** Samples category indices from rows of non-negative weights. */
export function multinomial(
  probs: Tensor,
  numSamples: number,
  options: { replacement?: boolean; generator?: Generator } = {},
): Tensor {
  if (probs.ndim < 1 || probs.ndim > 2) throw new Error('multinomial: prob_dist must be 1 or 2 dim');
  const gen = options.generator ?? defaultGenerator;
  const rows = probs.ndim === 1 ? 1 : probs.shape[0]!;
  const k = probs.shape[probs.ndim - 1]!;
  if (!options.replacement && numSamples > k)
    throw new Error('multinomial: cannot sample n_sample > prob_dist.size(-1) samples without replacement');
  const weights = probs.dataSync();
  const out = new Int32Array(rows * numSamples);
  for (let r = 0; r < rows; r++) {
    const w = Array.from(weights.subarray(r * k, (r + 1) * k));
    if (w.some((v) => v < 0 || !Number.isFinite(v)))
      throw new Error('multinomial: probability tensor contains either inf, nan or element < 0');
    for (let s = 0; s < numSamples; s++) {
      const total = w.reduce((a, b) => a + b, 0);
      if (total <= 0)
        throw new Error('multinomial: invalid multinomial distribution (sum of probabilities <= 0)');
      let u = gen.nextFloat64() * total;
      let pick = 0;
      while (pick < k - 1 && (u >= w[pick]! || w[pick] === 0)) u -= w[pick++]!;
      out[r * numSamples + s] = pick;
      if (!options.replacement) w[pick] = 0;
    }
  }
  return fromArray(out, probs.ndim === 1 ? [numSamples] : [rows, numSamples], {});
}
