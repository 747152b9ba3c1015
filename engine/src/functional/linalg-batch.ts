// What the CPU factorisations share: a batch of matrices read once (checked as torch checks
// them: on the CPU, floating point, at least 2-D), and results made from float64 arrays in the
// input's dtype.
import type { Tensor } from '../tensor.ts';
import { fromBuffer } from '../ops/make.ts';
import { formatShape } from '../shape.ts';

export type Float = 'float32' | 'float64';

export interface Matrices {
  m: number;
  n: number;
  /** Matrices in the batch. */
  count: number;
  batch: number[];
  dtype: Float;
  values: ArrayLike<number>;
}

/** t's dtype, where t is a floating-point CPU tensor (else an error naming op and how to move it). */
export function floatOf(op: string, t: Tensor): Float {
  if (t.device !== 'cpu')
    throw new Error(`${op}: a '${t.device}' tensor is factorised on the CPU: use (await A.toAsync('cpu'))`);
  if (t.dtype !== 'float32' && t.dtype !== 'float64')
    throw new TypeError(`${op}: Expected a floating point tensor as input. Got ${t.dtype}`);
  return t.dtype;
}

/** The m × n matrices over a's last two dims. */
export function matrices(op: string, a: Tensor): Matrices {
  const dtype = floatOf(op, a);
  if (a.ndim < 2)
    throw new Error(`${op}: The input tensor A must have at least 2 dimensions. Got ${formatShape(a.shape)}`);
  const [m, n] = a.shape.slice(-2) as [number, number];
  const batch = a.shape.slice(0, -2);
  return { m, n, count: batch.reduce((p, d) => p * d, 1), batch, dtype, values: a.contiguous().dataSync() };
}

/** A tensor of `shape` from float64 values, in `dtype`, on like's backend. */
export function fromFloat64(
  like: Tensor,
  values: Float64Array,
  shape: readonly number[],
  dtype: Float,
): Tensor {
  const data = dtype === 'float32' ? Float32Array.from(values) : values;
  const backend = like.storage.backend;
  return fromBuffer(backend, backend.fromTypedArray(data, dtype), shape, dtype);
}
