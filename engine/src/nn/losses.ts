// Loss functions (torch.nn.functional names), numerically stable: cross-entropy goes through
// logSoftmax, BCE-with-logits through log1p(e^−|x|), so logits of ±1e4 stay finite.
import { isIntegral } from '../dtype.ts';
import { pyArgs, is, type Check, type PyRest } from '../args.ts';
import { formatShape, shapesEqual } from '../shape.ts';
import type { Tensor } from '../tensor.ts';
import { where } from '../ops/where.ts';
import { fusedNllLoss } from '../ops/nll.ts';
import { tensor } from '../creation.ts';

export type Reduction = 'mean' | 'sum' | 'none';

const reductionCheck: Check = is.oneOf('mean', 'sum', 'none');
const weightCheck: Check = (v) =>
  is.tensorOrNull(v) === null
    ? null
    : typeof v === 'string'
      ? `(the third argument, as in PyTorch) must be a Tensor or null; for a reduction pass {reduction: '${v}'}`
      : 'must be a Tensor or null';

/** Each loss's arguments after (input, target): positional names, keyword-only names, checks. */
const LOSS_ARGS = {
  mseLoss: { positional: ['reduction'], keyword: [], checks: { reduction: reductionCheck } },
  l1Loss: { positional: ['reduction'], keyword: [], checks: { reduction: reductionCheck } },
  smoothL1Loss: {
    positional: ['reduction', 'beta'],
    keyword: [],
    checks: { reduction: reductionCheck, beta: is.nonNegative },
  },
  huberLoss: {
    positional: ['reduction', 'delta'],
    keyword: [],
    checks: { reduction: reductionCheck, delta: is.positive },
  },
  nllLoss: {
    positional: ['weight'],
    keyword: ['ignoreIndex', 'reduction'],
    checks: { weight: weightCheck, ignoreIndex: is.int, reduction: reductionCheck },
  },
  crossEntropy: {
    positional: ['weight'],
    keyword: ['ignoreIndex', 'reduction', 'labelSmoothing'],
    checks: {
      weight: weightCheck,
      ignoreIndex: is.int,
      reduction: reductionCheck,
      labelSmoothing: is.number,
    },
  },
  binaryCrossEntropy: {
    positional: ['weight'],
    keyword: ['reduction'],
    checks: { weight: weightCheck, reduction: reductionCheck },
  },
  binaryCrossEntropyWithLogits: {
    positional: ['weight'],
    keyword: ['reduction', 'posWeight'],
    checks: { weight: weightCheck, posWeight: is.tensorOrNull, reduction: reductionCheck },
  },
  klDiv: {
    positional: ['reduction', 'logTarget'],
    keyword: [],
    checks: { reduction: is.oneOf('mean', 'sum', 'none', 'batchmean'), logTarget: is.bool },
  },
} satisfies Record<string, { positional: string[]; keyword: string[]; checks: Record<string, Check> }>;

export type LossName = keyof typeof LOSS_ARGS;

/** Reads (and checks) a loss's arguments after (input, target). */
export function lossArgs<T extends Record<string, unknown>>(
  fn: LossName,
  rest: readonly unknown[],
): Partial<T> {
  const spec = LOSS_ARGS[fn] as { positional: string[]; keyword: string[]; checks: Record<string, Check> };
  const names = [...spec.positional, ...spec.keyword] as (keyof T & string)[];
  return pyArgs<T>(
    fn,
    names,
    rest,
    spec.checks as Partial<Record<keyof T & string, Check>>,
    spec.positional.length,
  );
}

type ReductionOptions = { reduction?: Reduction };
type ReductionRest = [reduction?: Reduction | ReductionOptions, options?: ReductionOptions];

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

export function mseLoss(input: Tensor, target: Tensor, ...rest: ReductionRest): Tensor {
  const { reduction = 'mean' } = lossArgs<{ reduction: Reduction }>('mseLoss', rest);
  sameShape('mseLoss', input, target);
  return reduce(input.sub(target).square(), reduction);
}

export function l1Loss(input: Tensor, target: Tensor, ...rest: ReductionRest): Tensor {
  const { reduction = 'mean' } = lossArgs<{ reduction: Reduction }>('l1Loss', rest);
  sameShape('l1Loss', input, target);
  return reduce(input.sub(target).abs(), reduction);
}

export function smoothL1Loss(
  input: Tensor,
  target: Tensor,
  ...rest: PyRest<[reduction: Reduction, beta: number], { reduction?: Reduction; beta?: number }>
): Tensor {
  const { reduction = 'mean', beta = 1 } = lossArgs<{ reduction: Reduction; beta: number }>(
    'smoothL1Loss',
    rest,
  );
  sameShape('smoothL1Loss', input, target);
  const z = input.sub(target).abs();
  if (beta === 0) return reduce(z, reduction);
  return reduce(where(z.lt(beta), z.square().mul(0.5 / beta), z.sub(0.5 * beta)), reduction);
}

export function huberLoss(
  input: Tensor,
  target: Tensor,
  ...rest: PyRest<[reduction: Reduction, delta: number], { reduction?: Reduction; delta?: number }>
): Tensor {
  const { reduction = 'mean', delta = 1 } = lossArgs<{ reduction: Reduction; delta: number }>(
    'huberLoss',
    rest,
  );
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
  if (target.dtype !== 'int64' && target.dtype !== 'int32')
    throw new Error(`${op}: expected class-index targets of dtype int64 (or int32), got ${target.dtype}`);
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
  ...rest: PyRest<[weight: Tensor | null], NllOptions>
): Tensor {
  const o = lossArgs<NllOptions & Record<string, unknown>>('nllLoss', rest);
  const { weight = null, ignoreIndex = -100, reduction = 'mean' } = o;
  checkTargets('nllLoss', logProbs, target, ignoreIndex);
  // [N, C] float32 on the CPU, reduced: one op (ops/nll.ts), the same bits as the ops below.
  const plainWeight = weight === null || (weight.dtype === 'float32' && !weight.requiresGrad);
  if (reduction !== 'none' && plainWeight && logProbs.device === 'cpu' && target.device === 'cpu') {
    const w = weight?.dataSync() ?? null;
    const t = target.dataSync() as ArrayLike<number>;
    const fused = fusedNllLoss(logProbs, t, (cls) => (w ? w[cls]! : 1), ignoreIndex, reduction);
    if (fused) return fused;
  }
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
 * Cross-entropy of logits against class indices (int64 or int32) or class probabilities (same shape as
 * the input), with PyTorch's weight, ignoreIndex, labelSmoothing and reduction semantics.
 */
export function crossEntropy(
  input: Tensor,
  target: Tensor,
  ...rest: PyRest<[weight: Tensor | null], CrossEntropyOptions>
): Tensor {
  const o = lossArgs<CrossEntropyOptions & Record<string, unknown>>('crossEntropy', rest);
  const { weight = null, ignoreIndex = -100, reduction = 'mean', labelSmoothing = 0 } = o;
  if (labelSmoothing < 0 || labelSmoothing > 1)
    throw new Error(`crossEntropy: labelSmoothing must be between 0.0 and 1.0, got ${labelSmoothing}`);
  const classDim = input.ndim === 1 ? 0 : 1;
  const classes = input.shape[classDim]!;
  const logp = input.logSoftmax(classDim);
  const weightView = weight ? weight.reshape(input.shape.map((d, i) => (i === classDim ? d : 1))) : null;

  if (!isIntegral(target.dtype)) {
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
  ...rest: PyRest<[weight: Tensor | null], { weight?: Tensor | null; reduction?: Reduction }>
): Tensor {
  const { weight = null, reduction = 'mean' } = lossArgs<{ weight: Tensor | null; reduction: Reduction }>(
    'binaryCrossEntropy',
    rest,
  );
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
  ...rest: PyRest<[weight: Tensor | null], BceWithLogitsOptions>
): Tensor {
  const o = lossArgs<BceWithLogitsOptions & Record<string, unknown>>('binaryCrossEntropyWithLogits', rest);
  const { weight = null, posWeight = null, reduction = 'mean' } = o;
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
type KlDivOptions = { reduction?: Reduction | 'batchmean'; logTarget?: boolean };

export function klDiv(
  input: Tensor,
  target: Tensor,
  ...rest: PyRest<[reduction: Reduction | 'batchmean', logTarget: boolean], KlDivOptions>
): Tensor {
  const { reduction = 'mean', logTarget = false } = lossArgs<{
    reduction: Reduction | 'batchmean';
    logTarget: boolean;
  }>('klDiv', rest);
  sameShape('klDiv', input, target);
  const loss = logTarget
    ? target.exp().mul(target.sub(input))
    : // log(1) stands in where the target is 0: the branch is discarded, and log(0) would make 0·∞.
      where(target.eq(0), 0, target.mul(where(target.eq(0), 1, target).log())).sub(target.mul(input));
  if (reduction === 'batchmean') return loss.sum().div(input.ndim > 0 ? input.shape[0]! : 1);
  return reduce(loss, reduction);
}
