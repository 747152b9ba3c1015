// Loss and accuracy of a compiled graph on a split, in evaluation mode and in batches (a large
// validation split never needs the memory of one huge batch). A mean-reduced loss is averaged over
// the batches weighted by their size, a sum-reduced one is summed, so the result is the loss of
// the whole split. Works on any device: batches move to the model's device, values are read back.
import * as hg from '@hgrad/engine';
import type { GraphModel } from './compile.ts';

type Tensor = hg.Tensor;

export interface Evaluation {
  /** null when the split is empty. */
  loss: number | null;
  /** null for regression (or an empty split). */
  accuracy: number | null;
}

/** Class scores against integer labels: the prediction has one more dim (the classes). */
export const isClassification = (prediction: Tensor | null, y: Tensor): boolean =>
  (y.dtype === 'int64' || y.dtype === 'int32') && prediction !== null && prediction.ndim === y.ndim + 1;

/** How the graph's loss node reduces ('mean' unless it says 'sum'). */
function lossReduction(model: GraphModel): 'mean' | 'sum' {
  for (const id of model.order) {
    const node = model.analysis.nodes.get(id)!;
    if (node.kind.category === 'loss') return node.params.reduction === 'sum' ? 'sum' : 'mean';
  }
  return 'mean';
}

export async function evaluate(
  model: GraphModel,
  split: hg.data.Subset<Tensor[]>,
  batchSize: number,
): Promise<Evaluation> {
  if (split.length === 0) return { loss: null, accuracy: null };
  const device = model.parameters()[0]?.device ?? 'cpu';
  const reduction = lossReduction(model);
  // Bigger batches than training's are fine without gradients; the cap bounds the memory.
  const loader = new hg.data.DataLoader(split, { batchSize: Math.max(batchSize, 256) });
  model.eval();
  let lossSum = 0;
  let correct = 0;
  let scored = 0;
  let classification = false;
  let hasLoss = false;
  for (const [xb, yb] of loader) {
    const scope = hg.startScope();
    try {
      const [x, y] = device === 'cpu' ? [xb!, yb!] : [xb!.to(device), yb!.to(device)];
      const { loss, prediction } = hg.noGrad(() => model.forward({ x, y }));
      if (loss) {
        hasLoss = true;
        const value = (await loss.data())[0]!;
        lossSum += reduction === 'sum' ? value : value * xb!.shape[0]!;
      }
      if (isClassification(prediction, y)) {
        classification = true;
        const hits = hg.noGrad(() => prediction!.argmax(-1).eq(y).sum());
        correct += (await hits.data())[0]!;
        scored += y.numel();
      }
    } finally {
      hg.endScope(scope);
    }
  }
  return {
    loss: hasLoss ? (reduction === 'sum' ? lossSum : lossSum / split.length) : null,
    accuracy: classification && scored > 0 ? correct / scored : null,
  };
}
