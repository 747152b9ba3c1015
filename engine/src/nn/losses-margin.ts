// The multi-class margin losses and the triplet loss with any distance, with PyTorch 1.13's
// formulas: multi_margin_loss, multilabel_margin_loss and triplet_margin_with_distance_loss.
import type { PyRest } from '../args.ts';
import { formatShape } from '../shape.ts';
import type { Tensor } from '../tensor.ts';
import { tensor } from '../creation.ts';
import type { Reduction } from './losses.ts';
import { pairwiseDistance } from './distance.ts';
import { extraLossArgs, reduce } from './losses-extra.ts';

type MultiMarginOptions = { p?: 1 | 2; margin?: number; weight?: Tensor | null; reduction?: Reduction };

/**
 * Σ over the wrong classes i of max(0, margin − x[y] + x[i])^p (× weight[y]) ÷ C, per sample
 * (torch.nn.functional.multi_margin_loss): input [N, C] or [C], target [N] or [].
 */
export function multiMarginLoss(
  input: Tensor,
  target: Tensor,
  ...rest: PyRest<[p: 1 | 2, margin: number, weight: Tensor | null, reduction: Reduction], MultiMarginOptions>
): Tensor {
  const {
    p = 1,
    margin = 1,
    weight = null,
    reduction = 'mean',
  } = extraLossArgs<MultiMarginOptions & Record<string, unknown>>('multiMarginLoss', rest);
  const x = input.ndim === 1 ? input.unsqueeze(0) : input;
  const y = target.ndim === 0 ? target.unsqueeze(0) : target;
  if (x.ndim !== 2 || y.ndim !== 1 || y.shape[0] !== x.shape[0])
    throw new Error(
      `multi_margin_loss: expected input [N, C] (or [C]) and target [N], got ${formatShape(input.shape)} and ${formatShape(target.shape)}`,
    );
  const c = x.shape[1]!;
  const index = y.to('int64').unsqueeze(1);
  const picked = x.gather(1, index); // x[y], [N, 1]
  const wrong = index.ne(
    tensor(
      Array.from({ length: c }, (_, i) => i),
      { dtype: 'int64', device: x.device },
    ),
  );
  let hinge = picked.neg().add(x).add(margin).clamp(0);
  if (p === 2) hinge = hinge.square();
  if (weight) hinge = hinge.mul(weight.gather(0, y.to('int64')).unsqueeze(1));
  const loss = hinge.where(wrong, 0).sum(1).div(c);
  return reduce(input.ndim === 1 && reduction === 'none' ? loss.squeeze(0) : loss, reduction);
}

/**
 * For each sample, Σ over its targets j (the leading non-negative entries of its target row, up
 * to the first −1) and its other classes i of max(0, 1 − (x[j] − x[i])) ÷ C
 * (torch.nn.functional.multilabel_margin_loss). The targets are read on the CPU.
 */
export function multilabelMarginLoss(
  input: Tensor,
  target: Tensor,
  ...rest: PyRest<[reduction: Reduction], { reduction?: Reduction }>
): Tensor {
  const { reduction = 'mean' } = extraLossArgs<{ reduction?: Reduction }>('multilabelMarginLoss', rest);
  const x = input.ndim === 1 ? input.unsqueeze(0) : input;
  const t = target.ndim === 1 ? target.unsqueeze(0) : target;
  if (x.ndim !== 2 || t.ndim !== 2 || t.shape[0] !== x.shape[0] || t.shape[1] !== x.shape[1])
    throw new Error(
      `multilabel_margin_loss: expected input and target of the same shape [N, C] (or [C]), got ${formatShape(input.shape)} and ${formatShape(target.shape)}`,
    );
  if (t.device !== 'cpu')
    throw new Error(
      `multilabel_margin_loss: the targets of a '${t.device}' tensor are read on the CPU: use (await target.toAsync('cpu'))`,
    );
  const [n, c] = [x.shape[0]!, x.shape[1]!];
  const rows = t.contiguous().dataSync() as ArrayLike<number>;
  // Per sample: the target classes (padded with class 0, masked out) and the non-target mask.
  const targets: number[] = [];
  const valid: boolean[] = [];
  const isTarget: boolean[] = [];
  for (let s = 0; s < n; s++) {
    let listed = 0;
    for (let k = 0; k < c; k++) {
      const v = Number(rows[s * c + k]);
      if (v < 0) break;
      if (v >= c) throw new Error(`multilabel_margin_loss: target ${v} is out of bounds for ${c} classes`);
      targets.push(v);
      valid.push(true);
      listed++;
    }
    for (let k = listed; k < c; k++) {
      targets.push(0);
      valid.push(false);
    }
    // Every entry up to the first −1 is a target, repeats included (each counts, as in torch).
    const mine = targets.slice(s * c, s * c + listed);
    for (let i = 0; i < c; i++) isTarget.push(mine.includes(i));
  }
  const index = tensor(targets, { dtype: 'int64', device: x.device }).reshape([n, c]);
  const validMask = tensor(valid, { dtype: 'bool', device: x.device }).reshape([n, c, 1]);
  const others = tensor(isTarget, { dtype: 'bool', device: x.device }).reshape([n, 1, c]).logicalNot();
  const picked = x.gather(1, index).unsqueeze(2); // [N, T, 1]
  const hinge = x.unsqueeze(1).sub(picked).add(1).clamp(0); // [N, T, C]
  const loss = hinge.where(validMask.logicalAnd(others), 0).sum([1, 2]).div(c);
  return reduce(input.ndim === 1 && reduction === 'none' ? loss.squeeze(0) : loss, reduction);
}

type DistanceOptions = {
  distanceFunction?: ((a: Tensor, b: Tensor) => Tensor) | null;
  margin?: number;
  swap?: boolean;
  reduction?: Reduction;
};

/** max(0, margin + d(a, p) − d(a, n)) with any distance d (pairwise distance by default), as torch's. */
export function tripletMarginWithDistanceLoss(
  anchor: Tensor,
  positive: Tensor,
  negative: Tensor,
  options: DistanceOptions = {},
): Tensor {
  const {
    distanceFunction = null,
    margin = 1,
    swap = false,
    reduction = 'mean',
  } = extraLossArgs<DistanceOptions & Record<string, unknown>>('tripletMarginWithDistanceLoss', [options]);
  const d = distanceFunction ?? ((a: Tensor, b: Tensor) => pairwiseDistance(a, b));
  const dPos = d(anchor, positive);
  let dNeg = d(anchor, negative);
  if (swap) dNeg = dNeg.minimum(d(positive, negative));
  return reduce(dPos.add(margin).sub(dNeg).clamp(0), reduction);
}
