// TensorFlow Playground's picture: for a model on 2-D points, the predicted class and its
// probability over a grid covering the data, with a sample of the training points on top.
import * as hg from '@hgrad/engine';
import type { DecisionBoundary } from '@hgrad/protocol';
import type { GraphModel } from '@hgrad/train';

const MAX_POINTS = 400;

export async function decisionBoundary(
  model: GraphModel,
  train: hg.data.Subset<hg.Tensor[]>,
  resolution: number,
): Promise<DecisionBoundary | null> {
  const device = model.parameters()[0]?.device ?? 'cpu';
  const [x, y] = (train.dataset as hg.data.TensorDataset).tensors as [hg.Tensor, hg.Tensor];
  if (x.ndim !== 2 || x.shape[1] !== 2 || (y.dtype !== 'int64' && y.dtype !== 'int32')) return null;
  const rows = train.indices.slice(0, MAX_POINTS);
  const xs = x.contiguous().dataSync();
  const ys = y.contiguous().dataSync();
  let [xMin, xMax, yMin, yMax] = [Infinity, -Infinity, Infinity, -Infinity];
  for (const i of train.indices) {
    xMin = Math.min(xMin, xs[2 * i]!);
    xMax = Math.max(xMax, xs[2 * i]!);
    yMin = Math.min(yMin, xs[2 * i + 1]!);
    yMax = Math.max(yMax, xs[2 * i + 1]!);
  }
  const [padX, padY] = [(xMax - xMin) * 0.1 || 1, (yMax - yMin) * 0.1 || 1];
  [xMin, xMax, yMin, yMax] = [xMin - padX, xMax + padX, yMin - padY, yMax + padY];
  const grid: number[] = [];
  for (let i = 0; i < resolution; i++)
    for (let j = 0; j < resolution; j++)
      grid.push(
        xMin + ((j + 0.5) / resolution) * (xMax - xMin),
        yMax - ((i + 0.5) / resolution) * (yMax - yMin),
      );
  const wasTraining = model.training;
  model.eval();
  try {
    const best = hg.tidy(() =>
      hg.noGrad(() => {
        const inputs = hg.tensor(grid, { dtype: x.dtype, device }).reshape(resolution * resolution, 2);
        const labels = hg.zeros([resolution * resolution], { dtype: 'int32', device });
        const { prediction } = model.forward({ x: inputs, y: labels });
        const probabilities = prediction ? prediction.softmax(-1) : null;
        return probabilities && probabilities.ndim === 2 ? probabilities.max(1) : null;
      }),
    );
    if (!best) return null;
    const [values, indices] = [await best.values.data(), await best.indices.data()];
    hg.dispose(best);
    return {
      xMin,
      xMax,
      yMin,
      yMax,
      resolution,
      classes: Array.from(indices),
      confidence: Array.from(values),
      points: rows.map((i) => ({ x: xs[2 * i]!, y: xs[2 * i + 1]!, label: ys[i]! })),
    };
  } finally {
    if (wasTraining) model.train();
  }
}
