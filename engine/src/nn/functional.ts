// torch.nn.functional, part 1: linear, dropout, normalisation and embedding, composed of
// engine ops so that their gradients come from the primitives (batch norm in training, and layer
// and group norm's statistics: one op on the CPU, ops/batch-norm.ts).
import { isOptions, pyArgs, is, type PyRest } from '../args.ts';
import { bernoulliMask } from './random-mask.ts';
import { formatShape } from '../shape.ts';
import type { Tensor } from '../tensor.ts';
import { noGrad } from '../autograd/grad-mode.ts';
import { where } from '../ops/where.ts';
import { reshapeRaw } from '../ops/views.ts';
import { addmmRaw } from '../ops/matmul.ts';
import { batchNormEval, batchNormTraining, standardizeTrailing } from '../ops/batch-norm.ts';
import type { Generator } from '../random.ts';

export function linear(x: Tensor, weight: Tensor, bias?: Tensor | null): Tensor {
  const inFeatures = weight.shape[1]!;
  if (x.ndim === 0 || x.shape[x.ndim - 1] !== inFeatures)
    throw new Error(
      `linear: input of shape ${formatShape(x.shape)} has ${x.shape[x.ndim - 1] ?? 0} features in its last dim, but the weight ${formatShape(weight.shape)} expects ${inFeatures}`,
    );
  // The bias added inside the product on the CPU (ops/matmul.ts's Addmm: one pass less per
  // layer), for a [.., in] x folded into rows as matmul folds it; the same values as below.
  const fusable =
    bias &&
    x.ndim >= 2 &&
    x.device === 'cpu' &&
    weight.ndim === 2 &&
    bias.ndim === 1 &&
    x.dtype === weight.dtype &&
    bias.dtype === x.dtype &&
    bias.shape[0] === weight.shape[0];
  if (fusable) {
    const lead = x.shape.slice(0, -1);
    const rows = lead.reduce((p, d) => p * d, 1);
    const out = addmmRaw(
      reshapeRaw(x, [1, rows, inFeatures]),
      reshapeRaw(weight.t(), [1, inFeatures, weight.shape[0]!]),
      bias,
    );
    return reshapeRaw(out, [...lead, weight.shape[0]!]);
  }
  const out = x.matmul(weight.t());
  return bias ? out.add(bias) : out;
}

export interface DropoutOptions {
  p?: number;
  training?: boolean;
  inplace?: boolean;
  generator?: Generator;
}

/** Zeroes each element with probability p during training and scales the rest by 1/(1−p). */
export function dropout(x: Tensor, options?: DropoutOptions): Tensor;
export function dropout(
  x: Tensor,
  p?: number,
  training?: boolean,
  inplace?: boolean,
  options?: DropoutOptions,
): Tensor;
export function dropout(x: Tensor, ...rest: unknown[]): Tensor {
  const o = pyArgs<DropoutOptions & Record<string, unknown>>(
    'dropout',
    ['p', 'training', 'inplace', 'generator'],
    rest,
    {
      p: is.number,
      training: is.bool,
      inplace: is.bool,
    },
  );
  const { p = 0.5, training = true, generator } = o;
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
export function batchNorm(x: Tensor, options?: BatchNormOptions): Tensor;
export function batchNorm(
  x: Tensor,
  runningMean: Tensor | null,
  runningVar: Tensor | null,
  ...rest: PyRest<
    [weight: Tensor | null, bias: Tensor | null, training: boolean, momentum: number, eps: number],
    BatchNormOptions
  >
): Tensor;
export function batchNorm(x: Tensor, ...args: unknown[]): Tensor {
  const names = ['runningMean', 'runningVar', 'weight', 'bias', 'training', 'momentum', 'eps'] as const;
  const o = pyArgs<BatchNormOptions & Record<string, unknown>>(
    'batchNorm',
    names,
    isOptions(args[0]) ? [args[0]] : args,
    {
      runningMean: is.tensorOrNull,
      runningVar: is.tensorOrNull,
      weight: is.tensorOrNull,
      bias: is.tensorOrNull,
      training: is.bool,
      momentum: is.probability,
      eps: is.positive,
    },
  );
  const { runningMean = null, runningVar = null, weight = null, bias = null, training = false } = o;
  const { momentum = 0.1, eps = 1e-5 } = o;
  if (x.ndim < 2) throw new Error(`batchNorm: expected at least 2-D input, got ${formatShape(x.shape)}`);
  if (!training && runningMean && runningVar)
    return batchNormEval(x, runningMean, runningVar, weight, bias, eps);
  const count = x.numel() / x.shape[1]!;
  if (training && count <= 1)
    throw new Error(
      `batchNorm: expected more than 1 value per channel when training, got input size ${formatShape(x.shape)}`,
    );
  const { out, mean, variance } = batchNormTraining(x, weight, bias, eps);
  if (training && runningMean && runningVar)
    noGrad(() => {
      runningMean.mul_(1 - momentum).add_(mean.mul(momentum));
      runningVar.mul_(1 - momentum).add_(variance.mul((momentum * count) / (count - 1)));
    });
  return out;
}

/** Normalises over the trailing `normalizedShape` dims. */
export function layerNorm(
  x: Tensor,
  normalizedShape: number | readonly number[],
  ...rest: PyRest<
    [weight: Tensor | null, bias: Tensor | null, eps: number],
    { weight?: Tensor | null; bias?: Tensor | null; eps?: number }
  >
): Tensor {
  const o = pyArgs<{ weight: Tensor | null; bias: Tensor | null; eps: number }>(
    'layerNorm',
    ['weight', 'bias', 'eps'],
    rest,
    {
      weight: is.tensorOrNull,
      bias: is.tensorOrNull,
      eps: is.positive,
    },
  );
  const { weight = null, bias = null, eps = 1e-5 } = o;
  if (typeof normalizedShape === 'number') normalizedShape = [normalizedShape];
  const k = normalizedShape.length;
  const tail = x.shape.slice(x.ndim - k);
  if (k > x.ndim || tail.some((d, i) => d !== normalizedShape[i]))
    throw new Error(
      `layerNorm: normalized_shape ${formatShape(normalizedShape)} does not match the last dims of input ${formatShape(x.shape)}`,
    );
  let out = standardizeTrailing(x, k, eps);
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
  ...rest: PyRest<
    [weight: Tensor | null, bias: Tensor | null, eps: number],
    { weight?: Tensor | null; bias?: Tensor | null; eps?: number }
  >
): Tensor {
  const o = pyArgs<{ weight: Tensor | null; bias: Tensor | null; eps: number }>(
    'groupNorm',
    ['weight', 'bias', 'eps'],
    rest,
    {
      weight: is.tensorOrNull,
      bias: is.tensorOrNull,
      eps: is.positive,
    },
  );
  const { weight = null, bias = null, eps = 1e-5 } = o;
  const [n, c] = [x.shape[0], x.shape[1]];
  if (x.ndim < 2 || c === undefined || n === undefined || c % numGroups !== 0)
    throw new Error(
      `groupNorm: expected an input [N, C, …] with C divisible by num_groups=${numGroups}, got ${formatShape(x.shape)}`,
    );
  let out = standardizeTrailing(x.reshape([n, numGroups, -1]), 1, eps).reshape(x.shape);
  // Per-channel affine, broadcast over the spatial dims.
  const channel = [c, ...new Array<number>(x.ndim - 2).fill(1)];
  if (weight) out = out.mul(weight.reshape(channel));
  if (bias) out = out.add(bias.reshape(channel));
  return out;
}

export interface InstanceNormOptions {
  runningMean?: Tensor | null;
  runningVar?: Tensor | null;
  weight?: Tensor | null;
  bias?: Tensor | null;
  useInputStats?: boolean;
  momentum?: number;
  eps?: number;
}

/**
 * Instance normalisation: each sample's channels are normalised over their own spatial positions
 * ([N, C, *] or an unbatched [C, *]); running statistics, when given, average the per-sample ones.
 */
export function instanceNorm(x: Tensor, options: InstanceNormOptions = {}): Tensor {
  const o = pyArgs<InstanceNormOptions & Record<string, unknown>>(
    'instanceNorm',
    ['runningMean', 'runningVar', 'weight', 'bias', 'useInputStats', 'momentum', 'eps'],
    [options],
    { eps: is.positive, momentum: is.probability, useInputStats: is.bool },
  );
  const { runningMean = null, runningVar = null, weight = null, bias = null, useInputStats = true } = o;
  const { momentum = 0.1, eps = 1e-5 } = o;
  if (x.ndim < 2) throw new Error(`instanceNorm: expected [N, C, …] or [C, …], got ${formatShape(x.shape)}`);
  // Samples become channels of one batch: [N, C, *] → [1, N·C, *].
  const [n, c] = [x.shape[0]!, x.shape[1]!];
  const flat = x.reshape([1, n * c, ...x.shape.slice(2)]);
  const repeat = (t: Tensor | null) => (t ? t.repeat(n) : null);
  const mean = repeat(runningMean);
  const variance = repeat(runningVar);
  const out = batchNorm(flat, {
    runningMean: mean,
    runningVar: variance,
    training: useInputStats,
    momentum,
    eps,
  }).reshape(x.shape);
  if (useInputStats && runningMean && runningVar && mean && variance)
    noGrad(() => {
      runningMean.copy_(mean.reshape(n, c).mean(0));
      runningVar.copy_(variance.reshape(n, c).mean(0));
    });
  const view = x.shape.map((d, i) => (i === 1 ? d : 1));
  let result = out;
  if (weight) result = result.mul(weight.reshape(view));
  if (bias) result = result.add(bias.reshape(view));
  return result;
}

/** Rows of `weight` picked by integer `indices`; the paddingIdx row receives no gradient. */
export function embedding(indices: Tensor, weight: Tensor, paddingIdx: number | null = null): Tensor {
  if (indices.dtype !== 'int64' && indices.dtype !== 'int32')
    throw new Error(`embedding: expected an int64 (or int32) index tensor, got ${indices.dtype}`);
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
