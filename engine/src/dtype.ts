// Data types, their storage arrays and PyTorch's type-promotion rules.
// Storage is chosen for speed, never at the cost of a wrong value:
// - int64 (PyTorch's default integer) is held in a Float64Array: every integer with |x| < 2^53 is
//   exact; beyond that, arithmetic rounds as float64 does (the documented limit).
// - float16 and bfloat16 are held in a Float32Array whose values lie on their grid: kernels
//   compute in float32 and round each result back, as PyTorch's CPU kernels do.
// - uint8 and bool share Uint8Array (bool holds only 0 and 1).
import { roundScalarToHalf } from './half.ts';

export type DType = 'float16' | 'bfloat16' | 'float32' | 'float64' | 'uint8' | 'int32' | 'int64' | 'bool';
export type TypedArray = Float32Array | Float64Array | Int32Array | Uint8Array;

export const DTYPES: readonly DType[] = [
  'float32',
  'float64',
  'float16',
  'bfloat16',
  'int64',
  'int32',
  'uint8',
  'bool',
];

export function typedArrayFor(dtype: DType, size: number): TypedArray {
  switch (dtype) {
    case 'float32':
    case 'float16':
    case 'bfloat16':
      return new Float32Array(size);
    case 'float64':
    case 'int64':
      return new Float64Array(size);
    case 'int32':
      return new Int32Array(size);
    case 'bool':
    case 'uint8':
      return new Uint8Array(size);
  }
}

/** The dtype a caller most likely means by a plain typed array (Uint8Array: bool, as masks are). */
export function dtypeOfArray(data: TypedArray): DType {
  if (data instanceof Float32Array) return 'float32';
  if (data instanceof Float64Array) return 'float64';
  if (data instanceof Int32Array) return 'int32';
  return 'bool';
}

export const isFloating = (dtype: DType): boolean =>
  dtype === 'float32' || dtype === 'float64' || dtype === 'float16' || dtype === 'bfloat16';

/** Integer dtypes (not bool). */
export const isIntegral = (dtype: DType): boolean =>
  dtype === 'int64' || dtype === 'int32' || dtype === 'uint8';

/** float16 and bfloat16: stored as float32 values rounded to their grid. */
export const isHalf = (dtype: DType): dtype is 'float16' | 'bfloat16' =>
  dtype === 'float16' || dtype === 'bfloat16';

/** Bytes per element, as PyTorch's element_size() reports (and files store). */
export const ELEMENT_SIZE = {
  float16: 2,
  bfloat16: 2,
  float32: 4,
  float64: 8,
  uint8: 1,
  int32: 4,
  int64: 8,
  bool: 1,
} as const satisfies Record<DType, number>;

/** 0 bool, 1 integer, 2 floating: promotion moves up categories, never down. */
export function category(dtype: DType): 0 | 1 | 2 {
  return dtype === 'bool' ? 0 : isIntegral(dtype) ? 1 : 2;
}

const rank = {
  bool: 0,
  uint8: 1,
  int32: 2,
  int64: 3,
  float16: 4,
  bfloat16: 4,
  float32: 5,
  float64: 6,
} as const satisfies Record<DType, number>;

/** PyTorch's promote_types (float16 with bfloat16 meets at float32). */
export function promoteTypes(a: DType, b: DType): DType {
  if (a === b) return a;
  if (rank[a] === rank[b]) return 'float32';
  return rank[a] > rank[b] ? a : b;
}

/** The default dtype of a category when only a Python-style scalar brings it in. */
export function defaultDtypeFor(cat: 0 | 1 | 2): DType {
  return cat === 0 ? 'bool' : cat === 1 ? 'int64' : 'float32';
}

export interface PromotionOperand {
  dtype: DType;
  /**
   * 'dim' for tensors with ≥1 dims, 'zeroDim' for 0-d tensors, 'wrapped' for 0-d tensors that
   * the engine made from plain numbers (they keep their dtype among themselves), 'scalar' for
   * plain numbers.
   */
  priority: 'dim' | 'zeroDim' | 'wrapped' | 'scalar';
}

/**
 * PyTorch's result_type: the highest category wins; within it, dimensioned tensors outrank
 * 0-d tensors, which outrank plain numbers (so float32 + 2.0 stays float32).
 */
export function resultType(operands: readonly PromotionOperand[]): DType {
  let cat: 0 | 1 | 2 = 0;
  for (const o of operands) cat = Math.max(cat, category(o.dtype)) as 0 | 1 | 2;
  for (const level of ['dim', 'zeroDim', 'wrapped'] as const) {
    let best: DType | null = null;
    for (const o of operands) {
      if (o.priority !== level || category(o.dtype) !== cat) continue;
      best = best === null ? o.dtype : promoteTypes(best, o.dtype);
    }
    if (best !== null) return best;
  }
  return defaultDtypeFor(cat);
}

/** int64's value for a float that is NaN or infinite (what PyTorch's cast gives on x86). */
export const INT64_MIN = -(2 ** 63);

/** Rounds a JS number the way a store into the dtype's tensor would. */
export function castScalar(value: number, dtype: DType): number {
  switch (dtype) {
    case 'float32':
      return Math.fround(value);
    case 'float16':
    case 'bfloat16':
      return roundScalarToHalf(value, dtype);
    case 'float64':
      return value;
    case 'int64':
      return Number.isFinite(value) ? Math.trunc(value) + 0 : INT64_MIN;
    case 'int32':
      return value > -2147483649 && value < 2147483648 ? Math.trunc(value) | 0 : -2147483648;
    case 'uint8':
      return Math.trunc(value) & 0xff;
    case 'bool':
      return value !== 0 ? 1 : 0;
  }
}
