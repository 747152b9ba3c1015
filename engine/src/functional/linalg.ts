// matmul with PyTorch's rules (1-D vectors, 2-D matrices, broadcast batches) and its
// relatives, all reduced to the batched Bmm primitive.
import { broadcastShapes, formatShape } from '../shape.ts';
import { promoteTypes } from '../dtype.ts';
import type { Tensor } from '../tensor.ts';
import { bmmRaw } from '../ops/matmul.ts';
import { cast } from '../ops/cast.ts';
import { expandRaw, reshapeRaw } from '../ops/views.ts';
import { mul } from '../ops/binary.ts';
import { sumRaw } from '../ops/reduce.ts';

export function matmul(a: Tensor, b: Tensor): Tensor {
  if (a.ndim === 0 || b.ndim === 0)
    throw new Error(`matmul: both arguments need to be at least 1D, but they are ${a.ndim}D and ${b.ndim}D`);
  const dtype = promoteTypes(a.dtype, b.dtype);
  const x = cast(a, dtype);
  const y = cast(b, dtype);
  // Vectors become matrices, and the added dim is removed from the result.
  const x2 = x.ndim === 1 ? reshapeRaw(x, [1, x.shape[0]!]) : x;
  const y2 = y.ndim === 1 ? reshapeRaw(y, [y.shape[0]!, 1]) : y;
  const [m, k] = x2.shape.slice(-2) as [number, number];
  const [k2, n] = y2.shape.slice(-2) as [number, number];
  if (k !== k2)
    throw new Error(
      `matmul: shapes ${formatShape(a.shape)} and ${formatShape(b.shape)} cannot be multiplied (${m}x${k} and ${k2}x${n})`,
    );
  // A batch of matrices times one matrix (a Linear layer on [B, T, features]) is one product of
  // all their rows, as PyTorch folds it: one large product (split across threads by rows)
  // instead of many small ones, and a weight gradient from one product instead of a sum of them.
  if (x2.ndim > 2 && y2.ndim === 2) {
    const lead = x2.shape.slice(0, -2);
    const rows = lead.reduce((p, d) => p * d, 1) * m;
    const out = bmmRaw(reshapeRaw(x2, [1, rows, k]), reshapeRaw(y2, [1, k, n]));
    return reshapeRaw(out, [...lead, m, ...(b.ndim === 1 ? [] : [n])]);
  }
  const batch = broadcastShapes('matmul', x2.shape.slice(0, -2), y2.shape.slice(0, -2));
  const batchSize = batch.reduce((p, d) => p * d, 1);
  const x3 = reshapeRaw(expandRaw(x2, [...batch, m, k]), [batchSize, m, k]);
  const y3 = reshapeRaw(expandRaw(y2, [...batch, k, n]), [batchSize, k, n]);
  const out = bmmRaw(x3, y3);
  const shape = [...batch, ...(a.ndim === 1 ? [] : [m]), ...(b.ndim === 1 ? [] : [n])];
  return reshapeRaw(out, shape);
}

export function mm(a: Tensor, b: Tensor): Tensor {
  if (a.ndim !== 2 || b.ndim !== 2)
    throw new Error(`mm: expected 2-D tensors, got ${a.ndim}-D and ${b.ndim}-D`);
  return matmul(a, b);
}

export function bmm(a: Tensor, b: Tensor): Tensor {
  if (a.ndim !== 3 || b.ndim !== 3)
    throw new Error(`bmm: expected 3-D tensors, got ${a.ndim}-D and ${b.ndim}-D`);
  if (a.shape[0] !== b.shape[0])
    throw new Error(`bmm: batch sizes differ: ${formatShape(a.shape)} and ${formatShape(b.shape)}`);
  return matmul(a, b);
}

export function dot(a: Tensor, b: Tensor): Tensor {
  if (a.ndim !== 1 || b.ndim !== 1)
    throw new Error(`dot: 1D tensors expected, but got ${a.ndim}D and ${b.ndim}D tensors`);
  if (a.shape[0] !== b.shape[0])
    throw new Error(
      `dot: inconsistent tensor size, expected tensor [${a.shape[0]}] and src [${b.shape[0]}] to have the same number of elements`,
    );
  return sumRaw(mul(a, b));
}

export function outer(a: Tensor, b: Tensor): Tensor {
  if (a.ndim !== 1 || b.ndim !== 1)
    throw new Error(`outer: 1D tensors expected, but got ${a.ndim}D and ${b.ndim}D tensors`);
  return mul(reshapeRaw(a, [a.shape[0]!, 1]), reshapeRaw(b, [1, b.shape[0]!]));
}
