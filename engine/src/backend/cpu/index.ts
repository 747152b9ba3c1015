// The CPU backend: buffers are TypedArrays; every kernel is plain TypeScript. This is the
// reference definition of each kernel and the fallback for faster backends.
import { dtypeOfArray, typedArrayFor, type TypedArray } from '../../dtype.ts';
import type { Backend, KernelTable, View } from '../types.ts';
import { copy, copyInto } from './copy.ts';
import { binary, unary, where } from './elementwise.ts';
import { gather, scatter } from './gather.ts';
import { matmul } from './matmul.ts';
import { argReduce, cumulative, reduce } from './reduce.ts';
import { wasmSoftmaxRows } from '../wasm/softmax.ts';

const kernels = {
  unary,
  binary,
  where,
  reduce,
  argReduce,
  cumulative,
  matmul,
  copy,
  copyInto,
  gather,
  scatter,
} satisfies KernelTable;

export const cpuBackend: Backend = {
  device: 'cpu',
  kernels,
  alloc: (dtype, size) => typedArrayFor(dtype, size),
  fromTypedArray: (data: TypedArray) => data,
  readSync: (view: View) => readContiguous(view),
  read: async (view: View) => readContiguous(view),
  liveBuffers: () => -1,
  softmaxRows: (x: View, log: boolean) => {
    const n = x.shape[x.shape.length - 1] ?? 1;
    const total = x.shape.reduce((a, b) => a * b, 1);
    return x.buffer instanceof Float32Array ? wasmSoftmaxRows(x.buffer, x.offset, total / n, n, log) : null;
  },
};

function readContiguous(view: View): TypedArray {
  return copy(view, view.dtype ?? dtypeOfArray(view.buffer as TypedArray));
}
