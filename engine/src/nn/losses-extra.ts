// More of torch.nn.functional's losses, with PyTorch 1.13's formulas (so the same values and,
// through the composed ops, the same gradients): soft margin, multi-label soft margin, hinge
// embedding, Poisson and Gaussian negative log-likelihood, margin ranking, cosine embedding and
// triplet margin. The loss modules around them are in loss-modules.ts.
import { pyArgs, is, type Check, type PyRest } from '../args.ts';
import { formatShape, shapesEqual } from '../shape.ts';
import type { Tensor } from '../tensor.ts';
import { where } from '../ops/where.ts';
import { logSigmoid } from '../functional/activations.ts';
import type { Reduction } from './losses.ts';
import { pairwiseDistance } from './distance.ts';

const reductionCheck = is.oneOf('mean', 'sum', 'none');

/** Each loss's arguments after its tensors: names in PyTorch's order, how many may be positional, checks. */
const ARGS = {
  softMarginLoss: { names: ['reduction'], positional: 1, checks: { reduction: reductionCheck } },
  multilabelSoftMarginLoss: {
    names: ['weight', 'reduction'],
    positional: 2,
    checks: { weight: is.tensorOrNull, reduction: reductionCheck },
  },
  hingeEmbeddingLoss: {
    names: ['margin', 'reduction'],
    positional: 2,
    checks: { margin: is.number, reduction: reductionCheck },
  },
  poissonNllLoss: {
    names: ['logInput', 'full', 'eps', 'reduction'],
    positional: 2,
    checks: { logInput: is.bool, full: is.bool, eps: is.positive, reduction: reductionCheck },
  },
  gaussianNllLoss: {
    names: ['full', 'eps', 'reduction'],
    positional: 3,
    checks: { full: is.bool, eps: is.positive, reduction: reductionCheck },
  },
  marginRankingLoss: {
    names: ['margin', 'reduction'],
    positional: 2,
    checks: { margin: is.number, reduction: reductionCheck },
  },
  cosineEmbeddingLoss: {
    names: ['margin', 'reduction'],
    positional: 2,
    checks: { margin: is.number, reduction: reductionCheck },
  },
  tripletMarginLoss: {
    names: ['margin', 'p', 'eps', 'swap', 'reduction'],
    positional: 5,
    checks: {
      margin: is.number,
      p: is.positive,
      eps: is.nonNegative,
      swap: is.bool,
      reduction: reductionCheck,
    },
  },
  // losses-margin.ts
  multiMarginLoss: {
    names: ['p', 'margin', 'weight', 'reduction'],
    positional: 4,
    checks: { p: is.oneOf(1, 2), margin: is.number, weight: is.tensorOrNull, reduction: reductionCheck },
  },
  multilabelMarginLoss: { names: ['reduction'], positional: 1, checks: { reduction: reductionCheck } },
  tripletMarginWithDistanceLoss: {
    names: ['distanceFunction', 'margin', 'swap', 'reduction'],
    positional: 0,
    checks: {
      distanceFunction: is.orNull(is.function),
      margin: is.positive,
      swap: is.bool,
      reduction: reductionCheck,
    },
  },
} satisfies Record<string, { names: string[]; positional: number; checks: Record<string, Check> }>;

export type ExtraLossName = keyof typeof ARGS;

/** Reads (and checks) a loss's arguments after its tensors. */
export function extraLossArgs<T extends Record<string, unknown>>(
  fn: ExtraLossName,
  rest: readonly unknown[],
): Partial<T> {
  const spec = ARGS[fn] as { names: string[]; positional: number; checks: Record<string, Check> };
  const names = spec.names as (keyof T & string)[];
  return pyArgs<T>(fn, names, rest, spec.checks as Partial<Record<keyof T & string, Check>>, spec.positional);
}

export function reduce(loss: Tensor, reduction: Reduction): Tensor {
  return reduction === 'mean' ? loss.mean() : reduction === 'sum' ? loss.sum() : loss;
}

function sameShape(op: string, a: Tensor, b: Tensor, what = 'target'): void {
  if (!shapesEqual(a.shape, b.shape))
    throw new Error(
      `${op}: ${what} size ${formatShape(b.shape)} must be the same as input size ${formatShape(a.shape)}`,
    );
}

type ReductionRest = PyRest<[reduction: Reduction], { reduction?: Reduction }>;

/** mean(log(1 + exp(−y·x))) for targets y of ±1. */
export function softMarginLoss(input: Tensor, target: Tensor, ...rest: ReductionRest): Tensor {
  const { reduction = 'mean' } = extraLossArgs<{ reduction: Reduction }>('softMarginLoss', rest);
  sameShape('softMarginLoss', input, target);
  return reduce(target.neg().mul(input).exp().log1p(), reduction);
}

/** −(y·logσ(x) + (1 − y)·logσ(−x)), optionally weighted per class, averaged over the classes (the last dim). */
export function multilabelSoftMarginLoss(
  input: Tensor,
  target: Tensor,
  ...rest: PyRest<
    [weight: Tensor | null, reduction: Reduction],
    { weight?: Tensor | null; reduction?: Reduction }
  >
): Tensor {
  const { weight = null, reduction = 'mean' } = extraLossArgs<{
    weight: Tensor | null;
    reduction: Reduction;
  }>('multilabelSoftMarginLoss', rest);
  sameShape('multilabelSoftMarginLoss', input, target);
  let loss = target
    .mul(logSigmoid(input))
    .add(target.neg().add(1).mul(logSigmoid(input.neg())))
    .neg();
  if (weight) loss = loss.mul(weight);
  // Averaged over the last dim (PyTorch's class_dim = input.dim() − 1).
  const classDim = Math.max(0, input.ndim - 1);
  return reduce(loss.sum(classDim).div(input.shape[classDim] ?? 1), reduction);
}

/** x where y = 1, max(0, margin − x) where y = −1 (PyTorch's hinge_embedding_loss). */
export function hingeEmbeddingLoss(
  input: Tensor,
  target: Tensor,
  ...rest: PyRest<[margin: number, reduction: Reduction], { margin?: number; reduction?: Reduction }>
): Tensor {
  const { margin = 1, reduction = 'mean' } = extraLossArgs<{ margin: number; reduction: Reduction }>(
    'hingeEmbeddingLoss',
    rest,
  );
  const marginTerm = where(target.ne(1), input.neg().add(margin).clamp(0), 0);
  return reduce(marginTerm.add(where(target.ne(-1), input, 0)), reduction);
}

export interface PoissonOptions {
  logInput?: boolean;
  full?: boolean;
  eps?: number;
  reduction?: Reduction;
}

/**
 * Poisson negative log-likelihood: exp(x) − y·x for log rates (logInput), else x − y·log(x + eps);
 * with full, Stirling's term y·log y − y + ½·log(2πy) where y > 1.
 */
export function poissonNllLoss(
  input: Tensor,
  target: Tensor,
  ...rest: PyRest<[logInput: boolean, full: boolean], PoissonOptions>
): Tensor {
  const o = extraLossArgs<PoissonOptions & Record<string, unknown>>('poissonNllLoss', rest);
  const { logInput = true, full = false, eps = 1e-8, reduction = 'mean' } = o;
  let loss = logInput ? input.exp().sub(target.mul(input)) : input.sub(target.mul(input.add(eps).log()));
  if (full) {
    const safe = where(target.gt(1), target, 1);
    const stirling = safe
      .mul(safe.log())
      .sub(safe)
      .add(
        safe
          .mul(2 * Math.PI)
          .log()
          .mul(0.5),
      );
    loss = loss.add(where(target.gt(1), stirling, 0));
  }
  return reduce(loss, reduction);
}

export interface GaussianOptions {
  full?: boolean;
  eps?: number;
  reduction?: Reduction;
}

/**
 * Gaussian negative log-likelihood ½·(log var + (x − y)²/var) (+ ½·log 2π with full). var is
 * clamped to eps for the value only: its gradient is as if unclamped (PyTorch clamps it under
 * no_grad). var may have one value per sample (a last dim of 1, or none).
 */
export function gaussianNllLoss(
  input: Tensor,
  target: Tensor,
  variance: Tensor,
  ...rest: PyRest<[full: boolean, eps: number, reduction: Reduction], GaussianOptions>
): Tensor {
  const {
    full = false,
    eps = 1e-6,
    reduction = 'mean',
  } = extraLossArgs<GaussianOptions & Record<string, unknown>>('gaussianNllLoss', rest);
  let v = variance;
  if (!shapesEqual(v.shape, input.shape)) {
    // One variance per sample: [N] against [N, D] gets a last dim of 1 (PyTorch's homoscedastic case).
    if (input.shape.length === v.ndim + 1 && v.shape.every((d, i) => d === input.shape[i]))
      v = v.unsqueeze(-1);
    else if (!(
      v.ndim === input.ndim &&
      v.shape[v.ndim - 1] === 1 &&
      v.shape.slice(0, -1).every((d, i) => d === input.shape[i])
    ))
      throw new Error(
        `gaussianNllLoss: var is of incorrect size ${formatShape(variance.shape)} for input ${formatShape(input.shape)}`,
      );
  }
  if (v.lt(0).any().item()) throw new Error('gaussianNllLoss: var has negative entry/entries');
  // The clamped values exactly, with the gradient of v itself (v − v is 0 and carries it).
  const clamped = v.clamp(eps).detach().add(v.sub(v.detach()));
  let loss = clamped.log().add(input.sub(target).square().div(clamped)).mul(0.5);
  if (full) loss = loss.add(0.5 * Math.log(2 * Math.PI));
  return reduce(loss, reduction);
}

type MarginRest = PyRest<[margin: number, reduction: Reduction], { margin?: number; reduction?: Reduction }>;

function marginArgs(
  fn: 'marginRankingLoss' | 'cosineEmbeddingLoss',
  rest: readonly unknown[],
): { margin: number; reduction: Reduction } {
  const { margin = 0, reduction = 'mean' } = extraLossArgs<{ margin: number; reduction: Reduction }>(
    fn,
    rest,
  );
  return { margin, reduction };
}

/** max(0, −y·(x1 − x2) + margin). */
export function marginRankingLoss(
  input1: Tensor,
  input2: Tensor,
  target: Tensor,
  ...rest: MarginRest
): Tensor {
  const { margin, reduction } = marginArgs('marginRankingLoss', rest);
  return reduce(target.neg().mul(input1.sub(input2)).add(margin).clamp(0), reduction);
}

/** 1 − cos(x1, x2) where y = 1, max(0, cos − margin) where y = −1 (cos along dim 1, or 0 for vectors). */
export function cosineEmbeddingLoss(
  input1: Tensor,
  input2: Tensor,
  target: Tensor,
  ...rest: MarginRest
): Tensor {
  const { margin, reduction } = marginArgs('cosineEmbeddingLoss', rest);
  sameShape('cosineEmbeddingLoss', input1, input2, 'input2');
  const dim = input1.ndim === 1 ? 0 : 1;
  const EPSILON = 1e-12;
  const prod = input1.mul(input2).sum(dim);
  const mag1 = input1.mul(input1).sum(dim).add(EPSILON);
  const mag2 = input2.mul(input2).sum(dim).add(EPSILON);
  const cos = prod.div(mag1.mul(mag2).sqrt());
  const loss = where(target.eq(1), cos.neg().add(1), 0).add(
    where(target.eq(-1), cos.sub(margin).clamp(0), 0),
  );
  return reduce(loss, reduction);
}

export interface TripletOptions {
  margin?: number;
  p?: number;
  eps?: number;
  swap?: boolean;
  reduction?: Reduction;
}

/** max(0, margin + d(a, p) − d(a, n)) with the p-norm pairwise distance (swap: the nearer of d(a, n), d(p, n)). */
export function tripletMarginLoss(
  anchor: Tensor,
  positive: Tensor,
  negative: Tensor,
  ...rest: PyRest<
    [margin: number, p: number, eps: number, swap: boolean, reduction: Reduction],
    TripletOptions
  >
): Tensor {
  const {
    margin = 1,
    p = 2,
    eps = 1e-6,
    swap = false,
    reduction = 'mean',
  } = extraLossArgs<TripletOptions & Record<string, unknown>>('tripletMarginLoss', rest);
  const dPos = pairwiseDistance(anchor, positive, p, eps);
  let dNeg = pairwiseDistance(anchor, negative, p, eps);
  if (swap) dNeg = dNeg.minimum(pairwiseDistance(positive, negative, p, eps));
  return reduce(dPos.add(margin).sub(dNeg).clamp(0), reduction);
}
