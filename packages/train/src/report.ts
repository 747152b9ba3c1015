// What a trained model predicts on a split, in full: loss and accuracy, the confusion matrix with
// per-class precision and recall, the misclassified samples with their top-3 probabilities, and
// for regression the predicted-vs-true pairs. The CLI's `hgrad evaluate` prints it and the studio's
// Evaluation tab draws it; both get it from this one function.
import * as hg from '@hgrad/engine';
import type { GraphModel } from './compile.ts';
import { isClassification } from './evaluate.ts';
import type { LoadedData } from './datasets.ts';

/** Which part of the data was evaluated: never call a validation result a test result. */
export type SplitName = 'train' | 'validation' | 'test';

export interface ClassScore {
  /** Of the samples predicted as this class, the share that are (null when none was predicted). */
  precision: number | null;
  /** Of the samples of this class, the share predicted as it (null when the split has none). */
  recall: number | null;
  /** How many samples of this class the split holds. */
  support: number;
}

export interface Misclassified {
  /** Position of the sample in the evaluated split. */
  index: number;
  truth: number;
  predicted: number;
  /** The three most probable classes, most probable first. */
  top: { label: number; probability: number }[];
}

export interface EvaluationReport {
  split: SplitName;
  samples: number;
  /** 'classification': class scores against integer labels; 'sequence': one class per step (text). */
  task: 'classification' | 'sequence' | 'regression';
  loss: number | null;
  accuracy: number | null;
  /** classification: counts[truth][predicted]. */
  confusion?: number[][];
  perClass?: ClassScore[];
  /** classification: every misclassified sample up to the limit, in split order. */
  misclassified?: Misclassified[];
  /** classification: a few correctly classified samples of each class (for the matrix's diagonal). */
  correct?: Misclassified[];
  /** regression: predicted and true values of the first output column (up to the limit). */
  regression?: { truth: number[]; predicted: number[]; meanAbsoluteError: number };
}

export interface ReportOptions {
  split: SplitName;
  /** How many classes the labels have (the confusion matrix is classes × classes). */
  classes: number;
  batchSize?: number;
  /** At most this many misclassified samples (or regression points) are listed; default 200. */
  examples?: number;
}

/** The model's loss reduction as its loss node says ('mean' unless 'sum'). */
function reducesBySum(model: GraphModel): boolean {
  for (const id of model.order) {
    const node = model.analysis.nodes.get(id)!;
    if (node.kind.category === 'loss') return node.params.reduction === 'sum';
  }
  return false;
}

/** Evaluates the model (in eval mode, without gradients) on every sample of `data`. */
export async function evaluationReport(
  model: GraphModel,
  data: LoadedData,
  options: ReportOptions,
): Promise<EvaluationReport> {
  const n = data.x.shape[0]!;
  const limit = options.examples ?? 200;
  const batch = Math.max(options.batchSize ?? 256, 1);
  const device = model.parameters()[0]?.device ?? 'cpu';
  const sum = reducesBySum(model);
  const wasTraining = model.training;
  model.eval();
  const k = options.classes;
  const confusion = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  const misclassified: Misclassified[] = [];
  const correctSamples: Misclassified[] = [];
  const correctPerClass = new Array<number>(k).fill(0);
  const perClassLimit = Math.min(8, limit);
  const regression = { truth: [] as number[], predicted: [] as number[], absError: 0, count: 0 };
  let task: EvaluationReport['task'] = 'regression';
  let lossSum = 0;
  let hasLoss = false;
  let correct = 0;
  let scored = 0;
  try {
    for (let start = 0; start < n; start += batch) {
      const size = Math.min(batch, n - start);
      const scope = hg.startScope();
      try {
        const xb = data.x.narrow(0, start, size);
        const yb = data.y.narrow(0, start, size);
        const [x, y] = device === 'cpu' ? [xb, yb] : [xb.to(device), yb.to(device)];
        const { loss, prediction } = hg.noGrad(() => model.forward({ x, y }));
        if (loss) {
          hasLoss = true;
          const value = (await loss.data())[0]!;
          lossSum += sum ? value : value * size;
        }
        if (prediction === null) continue;
        if (isClassification(prediction, y)) {
          task = y.ndim > 1 ? 'sequence' : 'classification';
          const probs = hg.noGrad(() => prediction.softmax(-1));
          const p = await probs.toAsync('cpu');
          const truth = yb.contiguous().dataSync();
          const scores = p.contiguous().dataSync();
          const c = p.shape[p.ndim - 1]!;
          for (let i = 0; i < truth.length; i++) {
            const row = scores.subarray(i * c, (i + 1) * c);
            let best = 0;
            for (let j = 1; j < c; j++) if (row[j]! > row[best]!) best = j;
            const t = truth[i]!;
            scored++;
            if (best === t) correct++;
            if (task !== 'classification') continue;
            if (t >= 0 && t < k && best < k) confusion[t]![best]!++;
            if (best !== t && misclassified.length < limit)
              misclassified.push({ index: start + i, truth: t, predicted: best, top: topThree(row) });
            if (best === t && correctPerClass[t]! < perClassLimit) {
              correctPerClass[t]!++;
              correctSamples.push({ index: start + i, truth: t, predicted: best, top: topThree(row) });
            }
          }
        } else {
          const pred = (await prediction.toAsync('cpu')).contiguous();
          const cols = pred.numel() / size;
          const pv = pred.dataSync();
          const tv = yb.contiguous().dataSync();
          for (let i = 0; i < size; i++) {
            const [a, b] = [pv[i * cols]!, tv[i * cols]!];
            regression.absError += Math.abs(a - b);
            regression.count++;
            if (regression.truth.length < limit) {
              regression.truth.push(b);
              regression.predicted.push(a);
            }
          }
        }
      } finally {
        hg.endScope(scope);
      }
    }
  } finally {
    if (wasTraining) model.train();
  }
  const report: EvaluationReport = {
    split: options.split,
    samples: n,
    task,
    loss: hasLoss && n > 0 ? (sum ? lossSum : lossSum / n) : null,
    accuracy: task !== 'regression' && scored > 0 ? correct / scored : null,
  };
  if (task === 'classification') {
    report.confusion = confusion;
    report.perClass = perClassScores(confusion);
    report.misclassified = misclassified;
    report.correct = correctSamples;
  }
  if (task === 'regression' && regression.count > 0)
    report.regression = {
      truth: regression.truth,
      predicted: regression.predicted,
      meanAbsoluteError: regression.absError / regression.count,
    };
  return report;
}

/** A subset's samples as tensors (null when it is empty), e.g. a run's validation split. */
export function subsetData(subset: hg.data.Subset<hg.Tensor[]>): LoadedData | null {
  if (subset.length === 0) return null;
  const [x, y] = (subset.dataset as hg.data.TensorDataset).tensors as [hg.Tensor, hg.Tensor];
  const index = hg.tensor(subset.indices);
  return { x: x.indexSelect(0, index), y: y.indexSelect(0, index) };
}

function topThree(row: ArrayLike<number>): Misclassified['top'] {
  return Array.from(row, (probability, label) => ({ label, probability }))
    .sort((a, b) => b.probability - a.probability)
    .slice(0, 3);
}

/** Precision and recall per class from counts[truth][predicted]. */
export function perClassScores(confusion: readonly (readonly number[])[]): ClassScore[] {
  return confusion.map((row, c) => {
    const support = row.reduce((a, b) => a + b, 0);
    const predicted = confusion.reduce((a, r) => a + r[c]!, 0);
    return {
      precision: predicted === 0 ? null : row[c]! / predicted,
      recall: support === 0 ? null : row[c]! / support,
      support,
    };
  });
}

/** The confusion matrix as text: rows are the true class, columns the predicted one. */
export function confusionTable(
  confusion: readonly (readonly number[])[],
  labels: readonly string[],
): string[] {
  const names = confusion.map((_, i) => `${i} ${labels[i] ?? ''}`.trimEnd());
  const width = Math.max(4, ...confusion.flat().map((v) => String(v).length));
  const corner = 'true \\ predicted';
  const nameWidth = Math.max(corner.length, ...names.map((s) => s.length));
  const head = `${corner.padEnd(nameWidth)}  ${names.map((_, i) => String(i).padStart(width)).join(' ')}`;
  return [
    head,
    ...confusion.map(
      (row, i) => `${names[i]!.padEnd(nameWidth)}  ${row.map((v) => String(v).padStart(width)).join(' ')}`,
    ),
  ];
}
