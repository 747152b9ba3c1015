// Data types, their storage arrays and PyTorch's type-promotion rules.
// int32 stands in for PyTorch's int64 (the default integer type): JavaScript has no fast int64 arrays.

export type DType = 'float32' | 'float64' | 'int32' | 'bool';
export type TypedArray = Float32Array | Float64Array | Int32Array | Uint8Array;

export const DTYPES: readonly DType[] = ['float32', 'float64', 'int32', 'bool'];

export function typedArrayFor(dtype: DType, size: number): TypedArray {
  switch (dtype) {
    case 'float32':
      return new Float32Array(size);
    case 'float64':
      return new Float64Array(size);
    case 'int32':
      return new Int32Array(size);
    case 'bool':
      return new Uint8Array(size);
  }
}

export function dtypeOfArray(data: TypedArray): DType {
  if (data instanceof Float32Array) return 'float32';
  if (data instanceof Float64Array) return 'float64';
  if (data instanceof Int32Array) return 'int32';
  return 'bool';
}

export const isFloating = (dtype: DType): boolean => dtype === 'float32' || dtype === 'float64';

/** 0 bool, 1 integer, 2 floating: promotion moves up categories, never down. */
export function category(dtype: DType): 0 | 1 | 2 {
  return dtype === 'bool' ? 0 : dtype === 'int32' ? 1 : 2;
}

const rank: Record<DType, number> = { bool: 0, int32: 1, float32: 2, float64: 3 };

export function promoteTypes(a: DType, b: DType): DType {
  return rank[a] >= rank[b] ? a : b;
}

/** The default dtype of a category when only a Python-style scalar brings it in. */
export function defaultDtypeFor(cat: 0 | 1 | 2): DType {
  return cat === 0 ? 'bool' : cat === 1 ? 'int32' : 'float32';
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

/** Rounds a JS number the way a store into the dtype's array would. */
export function castScalar(value: number, dtype: DType): number {
  switch (dtype) {
    case 'float32':
      return Math.fround(value);
    case 'float64':
      return value;
    case 'int32':
      return Math.trunc(value) | 0;
    case 'bool':
      return value !== 0 ? 1 : 0;
  }
}
