// The CPU backend: buffers are TypedArrays; every kernel is plain TypeScript. This is the
// reference definition of each kernel and the fallback for faster backends.
import { dtypeOfArray, isHalf, typedArrayFor, type DType, type TypedArray } from '../../dtype.ts';
import { roundToHalf } from '../../half.ts';
import { contiguousStrides } from '../../shape.ts';
import type { Backend, KernelTable, View } from '../types.ts';
import { copy, copyInto } from './copy.ts';
import { binary, unary, where } from './elementwise.ts';
import { gather, scatter } from './gather.ts';
import { matmul, matmulBias } from './matmul.ts';
import { argReduce, cumulative, reduce } from './reduce.ts';
import { wasmSoftmaxRows } from '../wasm/softmax.ts';
import { giveBack, pooled } from './pool.ts';

/**
 * float16/bfloat16 results are computed in float32 and rounded back onto their grid, one rounding
 * per kernel, as PyTorch's CPU kernels do (reductions and matmul accumulate in float32 first).
 * int64 results (doubles) lose the −0 that double arithmetic makes (0 · −3, trunc(−0.5)).
 */
function onGrid(out: TypedArray, dtype: DType): TypedArray {
  if (isHalf(dtype)) roundToHalf(out as Float32Array, dtype);
  else if (dtype === 'int64') for (let i = 0; i < out.length; i++) out[i]! += 0;
  return out;
}

const kernels = {
  unary: (op, x, dtype) => onGrid(unary(op, x, dtype), dtype),
  binary: (op, a, b, dtype) => onGrid(binary(op, a, b, dtype), dtype),
  where: (cond, a, b, dtype) => onGrid(where(cond, a, b, dtype), dtype),
  reduce: (op, x, dims, dtype) => onGrid(reduce(op, x, dims, dtype), dtype),
  argReduce,
  cumulative: (op, x, dim, dtype) => onGrid(cumulative(op, x, dim, dtype), dtype),
  matmul: (a, b, dtype) => onGrid(matmul(a, b, dtype), dtype),
  copy: (x, dtype) => (x.dtype === dtype ? copy(x, dtype, true) : onGrid(copy(x, dtype, true), dtype)),
  copyInto: (dst, src) => {
    if (!isHalf(dst.dtype) || src.dtype === dst.dtype) return copyInto(dst, src);
    const rounded = onGrid(copy(src, dst.dtype), dst.dtype);
    copyInto(dst, {
      buffer: rounded,
      dtype: dst.dtype,
      shape: src.shape,
      strides: contiguousStrides(src.shape),
      offset: 0,
    });
  },
  gather,
  scatter: (base, dim, index, src, mode) => onGrid(scatter(base, dim, index, src, mode), base.dtype),
} satisfies KernelTable;

export const cpuBackend: Backend = {
  device: 'cpu',
  kernels,
  alloc: (dtype, size) => typedArrayFor(dtype, size),
  fromTypedArray: (data: TypedArray) => data,
  pools: pooled,
  recycle: giveBack,
  matmulBias,
  readSync: (view: View) => readContiguous(view),
  read: async (view: View) => readContiguous(view),
  liveBuffers: () => -1,
  softmaxRows: (x: View, log: boolean) => {
    const n = x.shape[x.shape.length - 1] ?? 1;
    const total = x.shape.reduce((a, b) => a * b, 1);
    return x.dtype === 'float32' && x.buffer instanceof Float32Array
      ? wasmSoftmaxRows(x.buffer, x.offset, total / n, n, log)
      : null;
  },
};

function readContiguous(view: View): TypedArray {
  return copy(view, view.dtype ?? dtypeOfArray(view.buffer as TypedArray));
}
