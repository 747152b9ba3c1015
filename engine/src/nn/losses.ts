// Loss functions (torch.nn.functional names), numerically stable: cross-entropy goes through
// logSoftmax, BCE-with-logits through log1p(e^−|x|), so logits of ±1e4 stay finite.
import { formatShape, shapesEqual } from '../shape.ts';
import type { Tensor } from '../tensor.ts';
import { where } from '../ops/where.ts';
import { tensor } from '../creation.ts';

export type Reduction = 'mean' | 'sum' | 'none';

function reduce(loss: Tensor, reduction: Reduction): Tensor {
  if (reduction === 'mean') return loss.mean();
  if (reduction === 'sum') return loss.sum();
  if (reduction === 'none') return loss;
  throw new Error(`loss: unknown reduction '${String(reduction)}' (expected 'mean', 'sum' or 'none')`);
}

function sameShape(op: string, input: Tensor, target: Tensor): void {
  if (!shapesEqual(input.shape, target.shape))
    throw new Error(
      `${op}: target size ${formatShape(target.shape)} must be the same as input size ${formatShape(input.shape)}`,
    );
}

export function mseLoss(input: Tensor, target: Tensor, reduction: Reduction = 'mean'): Tensor {
  sameShape('mseLoss', input, target);
  return reduce(input.sub(target).square(), reduction);
}

export function l1Loss(input: Tensor, target: Tensor, reduction: Reduction = 'mean'): Tensor {
  sameShape('l1Loss', input, target);
  return reduce(input.sub(target).abs(), reduction);
}

export function smoothL1Loss(input: Tensor, target: Tensor, reduction: Reduction = 'mean', beta = 1): Tensor {
  sameShape('smoothL1Loss', input, target);
  const z = input.sub(target).abs();
  if (beta === 0) return reduce(z, reduction);
  return reduce(where(z.lt(beta), z.square().mul(0.5 / beta), z.sub(0.5 * beta)), reduction);
}

export function huberLoss(input: Tensor, target: Tensor, reduction: Reduction = 'mean', delta = 1): Tensor {
  sameShape('huberLoss', input, target);
  const z = input.sub(target).abs();
  return reduce(where(z.lt(delta), z.square().mul(0.5), z.sub(0.5 * delta).mul(delta)), reduction);
}

export interface NllOptions {
  weight?: Tensor | null;
  ignoreIndex?: number;
  reduction?: Reduction;
}

/** Checks class-index targets against the input's batch dims and class count. */
function checkTargets(op: string, input: Tensor, target: Tensor, ignoreIndex: number): void {
  const classes = input.shape[input.ndim === 1 ? 0 : 1]!;
  const expected = input.ndim === 1 ? [] : [input.shape[0]!, ...input.shape.slice(2)];
  if (target.dtype !== 'int32')
    throw new Error(`${op}: expected class-index targets of dtype int32, got ${target.dtype}`);
  if (!shapesEqual(target.shape, expected))
    throw new Error(
      `${op}: expected target of shape ${formatShape(expected)} for input ${formatShape(input.shape)}, got ${formatShape(target.shape)}`,
    );
  // On a GPU the values cannot be read synchronously; its gather kernels clamp instead.
  if (target.device === 'cpu')
    for (const t of target.dataSync())
      if (t !== ignoreIndex && (t < 0 || t >= classes))
        throw new Error(`${op}: target ${t} is out of bounds (${classes} classes)`);
}

/** Negative log-likelihood of class indices, given log-probabilities (class dim 1, or 0 for 1-D). */
export function nllLoss(
  logProbs: Tensor,
  target: Tensor,
  { weight = null, ignoreIndex = -100, reduction = 'mean' }: NllOptions = {},
): Tensor {
  checkTargets('nllLoss', logProbs, target, ignoreIndex);
  const classDim = logProbs.ndim === 1 ? 0 : 1;
  const ignored = target.eq(ignoreIndex);
  const safeTarget = where(ignored, 0, target);
  const picked = logProbs.gather(classDim, safeTarget.unsqueeze(classDim)).squeeze(classDim);
  const w = weight ? weight.index(safeTarget) : tensor(1, { dtype: logProbs.dtype, device: logProbs.device });
  const weights = where(ignored, 0, w.expand(picked.shape));
  const losses = picked.neg().mul(weights);
  if (reduction === 'mean') return losses.sum().div(weights.sum());
  return reduce(losses, reduction);
}

export interface CrossEntropyOptions extends NllOptions {
  labelSmoothing?: number;
}

/**
 * Cross-entropy of logits against class indices (int32) or class probabilities (same shape as
 * the input), with PyTorch's weight, ignoreIndex, labelSmoothing and reduction semantics.
 */
export function crossEntropy(input: Tensor, target: Tensor, options: CrossEntropyOptions = {}): Tensor {
  const { weight = null, ignoreIndex = -100, reduction = 'mean', labelSmoothing = 0 } = options;
  if (labelSmoothing < 0 || labelSmoothing > 1)
    throw new Error(`crossEntropy: labelSmoothing must be between 0.0 and 1.0, got ${labelSmoothing}`);
  const classDim = input.ndim === 1 ? 0 : 1;
  const classes = input.shape[classDim]!;
  const logp = input.logSoftmax(classDim);
  const weightView = weight ? weight.reshape(input.shape.map((d, i) => (i === classDim ? d : 1))) : null;

  if (target.dtype !== 'int32') {
    sameShape('crossEntropy', input, target);
    const soft = labelSmoothing > 0 ? target.mul(1 - labelSmoothing).add(labelSmoothing / classes) : target;
    const weighted = weightView ? logp.mul(weightView) : logp;
    const losses = weighted.mul(soft).sum(classDim).neg();
    if (reduction === 'mean') return losses.sum().div(input.numel() / classes);
    return reduce(losses, reduction);
  }

  const nll = nllLoss(logp, target, { weight, ignoreIndex, reduction });
  if (labelSmoothing === 0) return nll;
  const ignored = target.eq(ignoreIndex);
  const smooth = where(ignored, 0, (weightView ? logp.mul(weightView) : logp).sum(classDim).neg());
  let smoothReduced: Tensor;
  if (reduction === 'mean') {
    const denominator = weight
      ? weight
          .index(where(ignored, 0, target))
          .mul(ignored.logicalNot().to(input.dtype))
          .sum()
      : ignored.logicalNot().to(input.dtype).sum();
    smoothReduced = smooth.sum().div(denominator);
  } else smoothReduced = reduce(smooth, reduction);
  return nll.mul(1 - labelSmoothing).add(smoothReduced.mul(labelSmoothing / classes));
}

/** Binary cross-entropy of probabilities; each log is clamped at −100, as in PyTorch. */
export function binaryCrossEntropy(
  input: Tensor,
  target: Tensor,
  { weight = null, reduction = 'mean' }: { weight?: Tensor | null; reduction?: Reduction } = {},
): Tensor {
  sameShape('binaryCrossEntropy', input, target);
  const values = input.device === 'cpu' ? input.dataSync() : [];
  for (const v of values)
    if (!(v >= 0 && v <= 1))
      throw new Error(`binaryCrossEntropy: all elements of input should be between 0 and 1 (found ${v})`);
  const logP = input.log().clamp(-100);
  const log1mP = input.neg().add(1).log().clamp(-100);
  let loss = target.mul(logP).add(target.neg().add(1).mul(log1mP)).neg();
  if (weight) loss = loss.mul(weight);
  return reduce(loss, reduction);
}

export interface BceWithLogitsOptions {
  weight?: Tensor | null;
  posWeight?: Tensor | null;
  reduction?: Reduction;
}

/** (1−y)·x + w·(log(1+e^−|x|) + max(−x, 0)), with w = 1 + (posWeight − 1)·y: stable for any x. */
export function binaryCrossEntropyWithLogits(
  input: Tensor,
  target: Tensor,
  { weight = null, posWeight = null, reduction = 'mean' }: BceWithLogitsOptions = {},
): Tensor {
  sameShape('binaryCrossEntropyWithLogits', input, target);
  const softplusNeg = input.abs().neg().exp().log1p().add(input.neg().relu());
  const logWeight = posWeight ? posWeight.sub(1).mul(target).add(1) : null;
  let loss = target
    .neg()
    .add(1)
    .mul(input)
    .add(logWeight ? logWeight.mul(softplusNeg) : softplusNeg);
  if (weight) loss = loss.mul(weight);
  return reduce(loss, reduction);
}

/** KL divergence with `input` as log-probabilities; 'batchmean' divides by the batch size. */
export function klDiv(
  input: Tensor,
  target: Tensor,
  {
    reduction = 'mean',
    logTarget = false,
  }: { reduction?: Reduction | 'batchmean'; logTarget?: boolean } = {},
): Tensor {
  sameShape('klDiv', input, target);
  const loss = logTarget
    ? target.exp().mul(target.sub(input))
    : where(target.eq(0), 0, target.mul(target.log())).sub(target.mul(input));
  if (reduction === 'batchmean') return loss.sum().div(input.ndim > 0 ? input.shape[0]! : 1);
  return reduce(loss, reduction);
}
