// Tensors filled with one value. They never require grad.
import { cpuBackend } from '../backend/cpu/index.ts';
import { lastingF32 } from '../backend/cpu/pool.ts';
import type { Backend } from '../backend/types.ts';
import { castScalar, typedArrayFor, type DType } from '../dtype.ts';
import { checkShape, numel, type Shape } from '../shape.ts';
import type { Tensor } from '../tensor.ts';
import { fromBuffer } from './make.ts';

export function filled(
  shape: Shape,
  value: number | boolean,
  dtype: DType,
  backend: Backend = cpuBackend,
): Tensor {
  const dims = checkShape('full', shape);
  const v0 = castScalar(Number(value), dtype);
  // Devices with their own memory fill zeros there rather than uploading them.
  if (v0 === 0 && backend.device !== 'cpu')
    return fromBuffer(backend, backend.alloc(dtype, numel(dims)), dims, dtype);
  // On the CPU, large float32 ones in the arena (wasm/arena.ts): layers' parameters start here.
  const data =
    dtype === 'float32' && backend.device === 'cpu'
      ? lastingF32(numel(dims))
      : typedArrayFor(dtype, numel(dims));
  const v = castScalar(Number(value), dtype);
  if (v !== 0) data.fill(v);
  return fromBuffer(backend, backend.fromTypedArray(data, dtype), dims, dtype);
}

export const zerosLike = (t: Tensor, dtype: DType = t.dtype): Tensor =>
  filled(t.shape, 0, dtype, t.storage.backend);
export const onesLike = (t: Tensor, dtype: DType = t.dtype): Tensor =>
  filled(t.shape, 1, dtype, t.storage.backend);
export const fullLike = (t: Tensor, value: number, dtype: DType = t.dtype): Tensor =>
  filled(t.shape, value, dtype, t.storage.backend);
