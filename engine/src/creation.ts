// Tensor factories with PyTorch's names: from data, filled, ranges, identity and random. Sizes
// are given as PyTorch allows (`zeros(2, 3)` or `zeros([2, 3])`), options are checked (an unknown
// key is an error naming the nearest valid one).
import { isOptions, options as checkOptions, is, type Check } from './args.ts';
import { getBackend } from './backend/registry.ts';
import type { Device } from './backend/types.ts';
import {
  castScalar,
  dtypeOfArray,
  isFloating,
  isHalf,
  typedArrayFor,
  type DType,
  type TypedArray,
} from './dtype.ts';
import { roundToHalf } from './half.ts';
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

const TENSOR_CHECKS: Record<string, Check> = {
  dtype: is.dtype,
  device: is.device,
  requiresGrad: is.bool,
  generator: (v) => (v !== null && typeof v === 'object' && 'nextUint32' in v ? null : 'must be a Generator'),
  shape: (v) => (Array.isArray(v) ? null : 'must be a list of sizes'),
};
const TENSOR_KEYS = ['dtype', 'device', 'requiresGrad'] as const;
const RANDOM_KEYS = [...TENSOR_KEYS, 'generator'] as const;

/** Checks a factory's options object. */
function factoryOptions<T extends TensorOptions>(fn: string, value: unknown, keys: readonly string[]): T {
  return checkOptions<Record<string, unknown>>(fn, value, keys, TENSOR_CHECKS) as unknown as T;
}

/**
 * PyTorch's size arguments: `f(2, 3, {…})` or `f([2, 3], {…})`; returns the shape and the
 * options (checked against `keys`).
 */
function sizeAndOptions<T extends TensorOptions>(
  fn: string,
  args: readonly unknown[],
  keys: readonly string[],
): [readonly number[], T] {
  const last = args[args.length - 1];
  const hasOptions = args.length > 0 && isOptions(last);
  const count = hasOptions ? args.length - 1 : args.length;
  const shape = (
    count === 1 && Array.isArray(args[0]) ? args[0] : hasOptions ? args.slice(0, -1) : args
  ) as readonly number[];
  for (let i = 0; i < shape.length; i++) {
    const d = shape[i];
    if (!Number.isInteger(d) || (d as number) < 0)
      throw new TypeError(
        `${fn}: sizes must be non-negative integers, got ${JSON.stringify(hasOptions ? args.slice(0, -1) : args)}`,
      );
  }
  return [shape, factoryOptions<T>(fn, hasOptions ? last : undefined, keys)];
}

type Sizes<O> = [shape: readonly number[], options?: O] | [...sizes: number[]] | [...sizes: number[], O];

export type NestedArray = number | boolean | readonly NestedArray[];

function finish(t: Tensor, options: TensorOptions): Tensor {
  if (options.requiresGrad) {
    if (!isFloating(t.dtype))
      throw new Error(`Only Tensors of floating point dtype can require gradients (got ${t.dtype})`);
    t.requiresGrad = true;
  }
  return t;
}

/** data must be dtype's storage array (typedArrayFor), its values already cast. */
function fromArray(data: TypedArray, dtype: DType, shape: readonly number[], options: TensorOptions): Tensor {
  const backend = getBackend(options.device);
  return finish(fromBuffer(backend, backend.fromTypedArray(data, dtype), shape, dtype), options);
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
  given: TensorOptions & { shape?: readonly number[] } = {},
): Tensor {
  const options = factoryOptions<TensorOptions & { shape?: readonly number[] }>('tensor', given, [
    ...TENSOR_KEYS,
    'shape',
  ]);
  if (ArrayBuffer.isView(data)) {
    const typed = data as TypedArray;
    const shape = options.shape ? checkShape('tensor', options.shape) : [typed.length];
    if (numel(shape) !== typed.length)
      throw new Error(`tensor: shape [${shape.join(', ')}] does not match ${typed.length} values`);
    const dtype = options.dtype ?? dtypeOfArray(typed);
    const copy = typedArrayFor(dtype, typed.length);
    for (let i = 0; i < typed.length; i++) copy[i] = castScalar(typed[i]!, dtype);
    return fromArray(copy, dtype, shape, options);
  }
  const shape = inferShape(data);
  const values = flattenNested(data, shape);
  // As torch.tensor: all booleans → bool; any non-integer number → float; else integers (a
  // boolean among numbers counts as 0 or 1).
  const inferred: DType = values.every((v) => typeof v === 'boolean')
    ? 'bool'
    : values.every((v) => typeof v === 'boolean' || Number.isInteger(v))
      ? 'int64'
      : 'float32';
  const dtype = options.dtype ?? (values.length === 0 ? 'float32' : inferred);
  const array = typedArrayFor(dtype, values.length);
  for (let i = 0; i < values.length; i++) array[i] = castScalar(Number(values[i]), dtype);
  return fromArray(array, dtype, shape, options);
}

export function full(shape: readonly number[], value: number | boolean, given: TensorOptions = {}): Tensor {
  const options = factoryOptions<TensorOptions>('full', given, TENSOR_KEYS);
  if (!Array.isArray(shape) || shape.some((d) => !Number.isInteger(d) || d < 0))
    throw new TypeError(`full: size must be a list of non-negative integers, got ${JSON.stringify(shape)}`);
  if (typeof value !== 'number' && typeof value !== 'boolean')
    throw new TypeError(`full: fill_value must be a number or a boolean, got ${JSON.stringify(value)}`);
  const dtype =
    options.dtype ?? (typeof value === 'boolean' ? 'bool' : Number.isInteger(value) ? 'int64' : 'float32');
  return finish(filled(shape, value, dtype, getBackend(options.device)), options);
}

/** zeros/ones once their arguments are checked: float32 unless a dtype is given. */
function filledChecked(shape: readonly number[], value: number, options: TensorOptions): Tensor {
  return finish(filled(shape, value, options.dtype ?? 'float32', getBackend(options.device)), options);
}

/** Zeros of a shape: zeros(2, 3) or zeros([2, 3]), float32 unless a dtype is given. */
export function zeros(...args: Sizes<TensorOptions>): Tensor {
  const [shape, options] = sizeAndOptions<TensorOptions>('zeros', args, TENSOR_KEYS);
  return filledChecked(shape, 0, options);
}
/** Ones of a shape: ones(2, 3) or ones([2, 3]). */
export function ones(...args: Sizes<TensorOptions>): Tensor {
  const [shape, options] = sizeAndOptions<TensorOptions>('ones', args, TENSOR_KEYS);
  return filledChecked(shape, 1, options);
}
/** Uninitialised memory in PyTorch; zero-filled here so that results are reproducible. */
export const empty = zeros;

function likeOptions(t: Tensor, options: TensorOptions): TensorOptions {
  return {
    dtype: t.dtype,
    device: t.device,
    ...factoryOptions<TensorOptions>('*Like', options, RANDOM_KEYS),
  };
}

export const zerosLike = (t: Tensor, options: TensorOptions = {}): Tensor =>
  filledChecked(t.shape, 0, likeOptions(t, options));
export const onesLike = (t: Tensor, options: TensorOptions = {}): Tensor =>
  filledChecked(t.shape, 1, likeOptions(t, options));
export const fullLike = (t: Tensor, value: number, options: TensorOptions = {}): Tensor =>
  full(t.shape, value, likeOptions(t, options));
export const emptyLike = zerosLike;

/** arange(end) or arange(start, end, step), options last: int64 when all arguments are integers. */
export function arange(end: number, options?: TensorOptions): Tensor;
export function arange(start: number, end: number, options?: TensorOptions): Tensor;
export function arange(start: number, end: number, step: number, options?: TensorOptions): Tensor;
export function arange(...args: unknown[]): Tensor {
  const last = args[args.length - 1];
  const options = factoryOptions<TensorOptions>('arange', isOptions(last) ? last : undefined, TENSOR_KEYS);
  const numbers = (isOptions(last) ? args.slice(0, -1) : args).filter((v) => v !== undefined);
  if (
    numbers.length < 1 ||
    numbers.length > 3 ||
    numbers.some((v) => typeof v !== 'number' || !Number.isFinite(v))
  )
    throw new TypeError(
      `arange: expected (end), (start, end) or (start, end, step) finite numbers, got ${JSON.stringify(numbers)}`,
    );
  const [a, b, c] = numbers as number[];
  const start = b === undefined ? 0 : a!;
  const stop = b === undefined ? a! : b;
  const step = c ?? 1;
  if (step === 0) throw new Error('arange: step must be nonzero');
  if ((stop - start) / step < 0 && stop !== start)
    throw new Error('arange: upper bound and larger bound inconsistent with step sign');
  const n = Math.max(0, Math.ceil((stop - start) / step));
  const allInt = [start, stop, step].every(Number.isInteger);
  const dtype = options.dtype ?? (allInt ? 'int64' : 'float32');
  const array = typedArrayFor(dtype, n);
  for (let i = 0; i < n; i++) array[i] = castScalar(start + i * step, dtype);
  return fromArray(array, dtype, [n], options);
}

export function linspace(start: number, end: number, steps: number, given: TensorOptions = {}): Tensor {
  const options = factoryOptions<TensorOptions>('linspace', given, TENSOR_KEYS);
  if (!Number.isInteger(steps) || steps < 0)
    throw new Error('linspace: number of steps must be non-negative');
  const dtype = options.dtype ?? 'float32';
  if (steps === 1)
    return fromArray(typedArrayFor(dtype, 1).fill(castScalar(start, dtype)), dtype, [1], options);
  const array = typedArrayFor(dtype, steps);
  const step = steps > 1 ? (end - start) / (steps - 1) : 0;
  // PyTorch fills the two halves from each end, so that the last value is exactly `end`.
  const half = Math.floor(steps / 2);
  for (let i = 0; i < steps; i++)
    array[i] = castScalar(i < half ? start + step * i : end - step * (steps - i - 1), dtype);
  return fromArray(array, dtype, [steps], options);
}

export function eye(n: number, mOrOptions?: number | TensorOptions, given: TensorOptions = {}): Tensor {
  const m = typeof mOrOptions === 'number' ? mOrOptions : n;
  const options = factoryOptions<TensorOptions>(
    'eye',
    typeof mOrOptions === 'object' ? mOrOptions : given,
    TENSOR_KEYS,
  );
  const dtype = options.dtype ?? 'float32';
  const array = typedArrayFor(dtype, n * m);
  for (let i = 0; i < Math.min(n, m); i++) array[i * m + i] = 1;
  return fromArray(array, dtype, checkShape('eye', [n, m]), options);
}

function floatArray(shape: readonly number[], options: TensorOptions): [Float32Array | Float64Array, DType] {
  const dtype = options.dtype ?? 'float32';
  if (!isFloating(dtype)) throw new Error(`expected a floating point dtype for random values, got ${dtype}`);
  return [typedArrayFor(dtype, numel(checkShape('rand', shape))) as Float32Array | Float64Array, dtype];
}

/** Random float32 draws onto a half dtype's grid (rounding, as a cast would). */
function onGrid<A extends Float32Array | Float64Array>(array: A, dtype: DType): A {
  if (isHalf(dtype)) roundToHalf(array as Float32Array, dtype);
  return array;
}

/** Uniform in [0, 1): rand(2, 3) or rand([2, 3]). */
export function rand(...args: Sizes<RandomOptions>): Tensor {
  const [shape, options] = sizeAndOptions<RandomOptions>('rand', args, RANDOM_KEYS);
  const gen = options.generator ?? defaultGenerator;
  const [array, dtype] = floatArray(shape, options);
  const draw = array instanceof Float32Array ? () => gen.nextFloat32() : () => gen.nextFloat64();
  for (let i = 0; i < array.length; i++) array[i] = draw();
  return fromArray(onGrid(array, dtype), dtype, shape, options);
}

/** Standard normal: randn(2, 3) or randn([2, 3]). */
export function randn(...args: Sizes<RandomOptions>): Tensor {
  const [shape, options] = sizeAndOptions<RandomOptions>('randn', args, RANDOM_KEYS);
  const [array, dtype] = floatArray(shape, options);
  fillNormal(array, options.generator ?? defaultGenerator);
  return fromArray(onGrid(array, dtype), dtype, shape, options);
}

export const randLike = (t: Tensor, options: RandomOptions = {}): Tensor =>
  rand(t.shape, likeOptions(t, options));
export const randnLike = (t: Tensor, options: RandomOptions = {}): Tensor =>
  randn(t.shape, likeOptions(t, options));

/** Integers uniformly in [low, high): randint(low, high, size) or randint(high, size). */
export function randint(high: number, size: readonly number[], options?: RandomOptions): Tensor;
export function randint(low: number, high: number, size: readonly number[], options?: RandomOptions): Tensor;
export function randint(...args: unknown[]): Tensor {
  const sizeAt = args.findIndex((a) => Array.isArray(a));
  if (sizeAt < 1 || sizeAt > 2)
    throw new TypeError('randint: expected (high, size) or (low, high, size), size a list');
  const [low, high] = sizeAt === 1 ? [0, args[0] as number] : [args[0] as number, args[1] as number];
  const shape = args[sizeAt] as number[];
  const options = factoryOptions<RandomOptions>('randint', args[sizeAt + 1], RANDOM_KEYS);
  if (!Number.isInteger(low) || !Number.isInteger(high))
    throw new TypeError(`randint: low and high must be integers, got ${low} and ${high}`);
  if (!(high > low)) throw new Error(`randint: expects 'from' < 'to', but got from=${low} >= to=${high}`);
  const gen = options.generator ?? defaultGenerator;
  const range = high - low;
  const dtype = options.dtype ?? 'int64';
  const array = typedArrayFor(dtype, numel(checkShape('randint', shape)));
  for (let i = 0; i < array.length; i++) array[i] = castScalar((gen.nextUint32() % range) + low, dtype);
  return fromArray(array, dtype, shape, options);
}

/** A random permutation of 0..n-1 (PyTorch's CPU Fisher–Yates). */
export function randperm(n: number, given: RandomOptions = {}): Tensor {
  const options = factoryOptions<RandomOptions>('randperm', given, RANDOM_KEYS);
  if (!Number.isInteger(n) || n < 0)
    throw new TypeError(`randperm: n must be a non-negative integer, got ${n}`);
  const gen = options.generator ?? defaultGenerator;
  const dtype = options.dtype ?? 'int64';
  const array = typedArrayFor(dtype, n);
  for (let i = 0; i < n; i++) array[i] = i;
  for (let i = 0; i < n - 1; i++) {
    const z = gen.nextUint32() % (n - i);
    const tmp = array[i]!;
    array[i] = array[z + i]!;
    array[z + i] = tmp;
  }
  return fromArray(onGrid(array as Float32Array, dtype), dtype, [n], options);
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
  const out = new Float64Array(rows * numSamples);
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
  return fromArray(out, 'int64', probs.ndim === 1 ? [numSamples] : [rows, numSamples], {});
}
