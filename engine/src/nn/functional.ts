// torch.nn.functional, part 1: linear, dropout, normalisation and embedding, composed of
// engine ops so that their gradients come from the primitives.
import { bernoulliMask } from './random-mask.ts';
import { formatShape } from '../shape.ts';
import type { Tensor } from '../tensor.ts';
import { noGrad } from '../autograd/grad-mode.ts';
import { where } from '../ops/where.ts';
import type { Generator } from '../random.ts';

export function linear(x: Tensor, weight: Tensor, bias?: Tensor | null): Tensor {
  const inFeatures = weight.shape[1]!;
  if (x.ndim === 0 || x.shape[x.ndim - 1] !== inFeatures)
    throw new Error(
      `linear: input of shape ${formatShape(x.shape)} has ${x.shape[x.ndim - 1] ?? 0} features in its last dim, but the weight ${formatShape(weight.shape)} expects ${inFeatures}`,
    );
  const out = x.matmul(weight.t());
  return bias ? out.add(bias) : out;
}

/** Zeroes each element with probability p during training and scales the rest by 1/(1−p). */
export function dropout(x: Tensor, p = 0.5, training = true, generator?: Generator): Tensor {
  if (p < 0 || p > 1) throw new Error(`dropout: probability has to be between 0 and 1, but got ${p}`);
  if (!training || p === 0) return x;
  if (p === 1) return x.mul(0);
  const keep = bernoulliMask(x.shape, 1 - p, generator);
  return x.mul(keep.to(x.dtype)).div(1 - p);
}

export interface BatchNormOptions {
  runningMean?: Tensor | null;
  runningVar?: Tensor | null;
  weight?: Tensor | null;
  bias?: Tensor | null;
  training?: boolean;
  momentum?: number;
  eps?: number;
}

/**
 * Batch normalisation over every dim but the channel dim (1). In training it normalises with
 * the batch's biased variance and updates the running statistics with the unbiased one.
 */
export function batchNorm(x: Tensor, options: BatchNormOptions = {}): Tensor {
  const { runningMean = null, runningVar = null, weight = null, bias = null, training = false } = options;
  const { momentum = 0.1, eps = 1e-5 } = options;
  if (x.ndim < 2) throw new Error(`batchNorm: expected at least 2-D input, got ${formatShape(x.shape)}`);
  const dims = x.shape.map((_, i) => i).filter((i) => i !== 1);
  const view = x.shape.map((d, i) => (i === 1 ? d : 1));
  let mean: Tensor;
  let variance: Tensor;
  if (training || !runningMean || !runningVar) {
    const count = x.numel() / x.shape[1]!;
    if (training && count <= 1)
      throw new Error(
        `batchNorm: expected more than 1 value per channel when training, got input size ${formatShape(x.shape)}`,
      );
    mean = x.mean(dims, true);
    variance = x.var(dims, { correction: 0, keepdim: true });
    if (training && runningMean && runningVar)
      noGrad(() => {
        runningMean.mul_(1 - momentum).add_(mean.reshape(-1).mul(momentum));
        runningVar.mul_(1 - momentum).add_(variance.reshape(-1).mul((momentum * count) / (count - 1)));
      });
  } else {
    mean = runningMean.reshape(view);
    variance = runningVar.reshape(view);
  }
  let out = x.sub(mean).div(variance.add(eps).sqrt());
  if (weight) out = out.mul(weight.reshape(view));
  if (bias) out = out.add(bias.reshape(view));
  return out;
}

/** Normalises over the trailing `normalizedShape` dims. */
export function layerNorm(
  x: Tensor,
  normalizedShape: readonly number[],
  weight?: Tensor | null,
  bias?: Tensor | null,
  eps = 1e-5,
): Tensor {
  const k = normalizedShape.length;
  const tail = x.shape.slice(x.ndim - k);
  if (k > x.ndim || tail.some((d, i) => d !== normalizedShape[i]))
    throw new Error(
      `layerNorm: normalized_shape ${formatShape(normalizedShape)} does not match the last dims of input ${formatShape(x.shape)}`,
    );
  const dims = normalizedShape.map((_, i) => x.ndim - k + i);
  const mean = x.mean(dims, true);
  const variance = x.var(dims, { correction: 0, keepdim: true });
  let out = x.sub(mean).div(variance.add(eps).sqrt());
  if (weight) out = out.mul(weight);
  if (bias) out = out.add(bias);
  return out;
}

/**
 * Group normalisation: the channels (dim 1) of each sample are split into `numGroups` groups and
 * each group is normalised with its own mean and (biased) variance; weight and bias are per channel.
 */
export function groupNorm(
  x: Tensor,
  numGroups: number,
  weight?: Tensor | null,
  bias?: Tensor | null,
  eps = 1e-5,
): Tensor {
  const [n, c] = [x.shape[0], x.shape[1]];
  if (x.ndim < 2 || c === undefined || n === undefined || c % numGroups !== 0)
    throw new Error(
      `groupNorm: expected an input [N, C, …] with C divisible by num_groups=${numGroups}, got ${formatShape(x.shape)}`,
    );
  const grouped = x.reshape([n, numGroups, -1]);
  const mean = grouped.mean(2, true);
  const variance = grouped.var(2, { correction: 0, keepdim: true });
  let out = grouped.sub(mean).div(variance.add(eps).sqrt()).reshape(x.shape);
  // Per-channel affine, broadcast over the spatial dims.
  const channel = [c, ...new Array<number>(x.ndim - 2).fill(1)];
  if (weight) out = out.mul(weight.reshape(channel));
  if (bias) out = out.add(bias.reshape(channel));
  return out;
}

/** Rows of `weight` picked by integer `indices`; the paddingIdx row receives no gradient. */
export function embedding(indices: Tensor, weight: Tensor, paddingIdx: number | null = null): Tensor {
  if (indices.dtype !== 'int32')
    throw new Error(`embedding: expected an integer index tensor, got ${indices.dtype}`);
  const n = weight.shape[0]!;
  const values = indices.device === 'cpu' ? indices.dataSync() : [];
  for (const v of values)
    if (v < 0 || v >= n)
      throw new Error(`embedding: index ${v} is out of range for an embedding with ${n} rows`);
  const rows = weight.indexSelect(0, indices.reshape(-1)).reshape([...indices.shape, weight.shape[1]!]);
  if (paddingIdx === null) return rows;
  const pad = paddingIdx < 0 ? paddingIdx + n : paddingIdx;
  const isPad = indices.eq(pad).unsqueeze(-1);
  return where(isPad, rows.detach(), rows);
}
