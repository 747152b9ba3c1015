// Constructors the ops use to wrap kernel results and to make views; and the conversion of
// plain numbers into tensors (PyTorch's "wrapped numbers").
import { cpuBackend } from '../backend/cpu/index.ts';
import type { Backend, BackendBuffer, View } from '../backend/types.ts';
import { castScalar, typedArrayFor, type DType } from '../dtype.ts';
import { broadcastStrides, contiguousStrides, numel, type Shape } from '../shape.ts';
import { Storage } from '../storage.ts';
import { Tensor } from '../tensor.ts';

export type TensorLike = Tensor | number | boolean;

export function fromBuffer(backend: Backend, buffer: BackendBuffer, shape: Shape, dtype: DType): Tensor {
  const n = numel(shape);
  return new Tensor(new Storage(backend, buffer, dtype, n), [...shape], contiguousStrides(shape), 0);
}

/**
 * fromBuffer for a result with exactly `like`'s shape (elementwise ops). Shape and stride arrays
 * are never mutated, so a dense `like`'s arrays are shared rather than copied: two fewer
 * allocations on the hot path of small ops.
 */
export function fromBufferLike(backend: Backend, buffer: BackendBuffer, like: Tensor, dtype: DType): Tensor {
  const { shape, strides } = like;
  let expected = 1;
  for (let d = shape.length - 1; d >= 0; d--) {
    if (strides[d] !== expected && shape[d] !== 1) return fromBuffer(backend, buffer, shape, dtype);
    expected *= shape[d]!;
  }
  return new Tensor(new Storage(backend, buffer, dtype, expected), shape, strides, 0);
}

/** A view sharing t's storage; its base is the root of t's view chain, as in PyTorch. */
export function viewOf(t: Tensor, shape: Shape, strides: readonly number[], offset: number): Tensor {
  const v = new Tensor(t.storage, [...shape], [...strides], offset);
  v.base = t.base ?? t;
  return v;
}

/** The kernel-facing view of t read as if broadcast to `shape`. */
export function broadcastView(t: Tensor, shape: Shape): View {
  return { ...t.view_(), shape, strides: broadcastStrides(t.shape, t.strides, shape) };
}

/**
 * CPU wrapped numbers by dtype and value: ops only read them (they never require grad and are
 * never written in place), so one tensor serves every x.mul(2).
 */
const cpuScalars = new Map<string, Tensor>();
const CPU_SCALARS_MAX = 1024;

export function scalarTensor(value: number | boolean, dtype: DType, backend: Backend = cpuBackend): Tensor {
  const v = castScalar(Number(value), dtype);
  const key = backend === cpuBackend ? `${dtype}:${Object.is(v, -0) ? '-0' : v}` : null;
  const cached = key === null ? undefined : cpuScalars.get(key);
  if (cached) return cached;
  let buffer;
  if (backend.constant) buffer = backend.constant(v, dtype);
  else {
    const data = typedArrayFor(dtype, 1);
    data[0] = v;
    buffer = backend.fromTypedArray(data, dtype);
  }
  const t = fromBuffer(backend, buffer, [], dtype);
  t.isWrappedNumber = true;
  if (key !== null && cpuScalars.size < CPU_SCALARS_MAX) cpuScalars.set(key, t);
  return t;
}

export const scalarDtype = (value: number | boolean): DType =>
  typeof value === 'boolean' ? 'bool' : Number.isInteger(value) ? 'int64' : 'float32';

export function kernelsOf(t: Tensor) {
  return t.storage.backend.kernels;
}

export function backendOf(t: Tensor): Backend {
  return t.storage.backend;
}
