// Copies between strided views, with casting. Stores into a bool array normalise to 0/1;
// floats stored into integers truncate toward zero, as PyTorch's casts do; what x86 gives for a
// float out of range is kept too: int64 and int32 take their minimum (NaN and ±inf as well), uint8
// wraps modulo 256 (NaN: 0).
import {
  INT64_MIN,
  isFloating,
  isIntegral,
  typedArrayFor,
  type DType,
  type TypedArray,
} from '../../dtype.ts';
import { contiguousStrides, isDense, numel } from '../../shape.ts';
import type { View } from '../types.ts';
import { planRows, RowIter } from './strided.ts';
import { takeCopyF32, takeF32 } from './pool.ts';

/**
 * A contiguous copy of x as `dtype`. `pooled`: a float32 result may come from the buffer pool
 * (for a tensor's storage, which goes back when its scope ends; never for an array handed to
 * the caller, who could wrap it in a tensor of their own).
 */
export function copy(x: View, dtype: DType, pooled = false): TypedArray {
  const n = numel(x.shape);
  const fromPool = pooled && dtype === 'float32';
  // A dense copy of the same type is a memcpy (a leaf's first gradient, contiguous()).
  if (dtype === x.dtype && isDense(x.shape, x.strides)) {
    const values = (x.buffer as TypedArray).subarray(x.offset, x.offset + n);
    return fromPool ? takeCopyF32(values as Float32Array) : values.slice();
  }
  const out = fromPool ? takeF32(n) : typedArrayFor(dtype, n);
  copyInto({ buffer: out, dtype, shape: x.shape, strides: contiguousStrides(x.shape), offset: 0 }, x);
  return out;
}

/** Rows at least this long are copied with set() (shorter ones by the loop: set has a fixed cost). */
const SET_ROW = 64;

export function copyInto(dst: View, src: View): void {
  const plan = planRows(dst.shape, [dst.strides, src.strides]);
  const it = new RowIter(plan, [dst.offset, src.offset]);
  const D = dst.buffer as TypedArray;
  const S = src.buffer as TypedArray;
  const sd = plan.inner[0]!;
  const ss = plan.inner[1]!;
  const toBool = dst.dtype === 'bool' && src.dtype !== 'bool';
  const toInt = isIntegral(dst.dtype) && isFloating(src.dtype);
  const toInt64 = toInt && dst.dtype === 'int64';
  const toInt32 = toInt && dst.dtype === 'int32';
  // Copying a buffer onto itself through overlapping views must read before it writes.
  const source = D === S && !toBool ? S.slice() : S;
  // Rows contiguous on both sides between arrays of one type (cat, stack, contiguous()): a
  // native copy per row.
  if (
    sd === 1 &&
    ss === 1 &&
    plan.n >= SET_ROW &&
    !toBool &&
    !toInt &&
    D.constructor === source.constructor
  ) {
    for (let r = 0; r < plan.rows; r++) {
      const si = it.off[1]!;
      (D as Float32Array).set((source as Float32Array).subarray(si, si + plan.n), it.off[0]!);
      it.next();
    }
    return;
  }
  for (let r = 0; r < plan.rows; r++) {
    let di = it.off[0]!;
    let si = it.off[1]!;
    if (toBool)
      for (let j = 0; j < plan.n; j++, di += sd, si += ss) D[di] = source[si] !== 0 ? 1 : 0; // NaN is true, as in PyTorch
    else if (toInt64)
      for (let j = 0; j < plan.n; j++, di += sd, si += ss) {
        const v = source[si]!;
        D[di] = Number.isFinite(v) ? Math.trunc(v) + 0 : INT64_MIN;
      }
    else if (toInt32)
      for (let j = 0; j < plan.n; j++, di += sd, si += ss) {
        const v = source[si]!;
        D[di] = v > -2147483649 && v < 2147483648 ? Math.trunc(v) : -2147483648;
      }
    else if (toInt) for (let j = 0; j < plan.n; j++, di += sd, si += ss) D[di] = Math.trunc(source[si]!);
    else for (let j = 0; j < plan.n; j++, di += sd, si += ss) D[di] = source[si]!;
    it.next();
  }
}
