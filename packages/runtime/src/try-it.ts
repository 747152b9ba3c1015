// "Try it": the trained model on a person's own input — a drawn or dropped image, a typed row of
// features (standardised as the table's spec says), or a prompt for a character model, which
// continues it one sampled character at a time with a temperature.
import * as hg from '@hgrad/engine';
import { datasetClasses, datasetLabels, type CheckedGraph, type DatasetParams } from '@hgrad/ir';
import type { RuntimeResult } from '@hgrad/protocol';
import { datasetOf, sampleShape, standardizeRow, type GraphModel } from '@hgrad/train';

type Prediction = Extract<RuntimeResult, { type: 'prediction' }>;

/** Runs the model (evaluation mode, no gradients) on one sample given as flat values. */
export async function predictOne(
  graph: CheckedGraph,
  model: GraphModel,
  values: readonly number[],
): Promise<Prediction> {
  const params: DatasetParams = datasetOf(graph);
  const shape = sampleShape(graph);
  if (shape.includes('T')) throw new Error('predict: this model reads text; use generate with a prompt');
  const size = (shape as number[]).reduce((a, b) => a * b, 1);
  if (values.length !== size)
    throw new Error(
      `predict: expected ${size} values (one sample of shape [${shape.join(', ')}]), got ${values.length}`,
    );
  if (values.some((v) => !Number.isFinite(v)))
    throw new Error('predict: every value must be a finite number');
  const row =
    params.name === 'table' && params.table ? standardizeRow(params.table, [...values]) : [...values];
  const device = model.parameters()[0]?.device ?? 'cpu';
  const wasTraining = model.training;
  model.eval();
  try {
    const x = hg.tensor(Float32Array.from(row), { shape: [1, ...(shape as number[])] }).to(device);
    const out = await hg.noGrad(() => model.predict(x)).toAsync('cpu');
    const classes = datasetClasses(params);
    const output = Array.from(out.contiguous().dataSync());
    const labels = datasetLabels(params);
    if (classes > 0 && output.length === classes) {
      const probabilities = Array.from(hg.noGrad(() => out.reshape(classes).softmax(0)).dataSync());
      return { type: 'prediction', output, probabilities, ...(labels ? { labels: [...labels] } : {}) };
    }
    return { type: 'prediction', output };
  } finally {
    if (wasTraining) model.train();
  }
}

/**
 * Continues `prompt` by `length` characters, each sampled from the model's last-step distribution
 * divided by `temperature` (low: likely characters; high: varied). Seeded, so it can be repeated.
 */
export function generateText(
  model: GraphModel,
  vocabulary: readonly string[],
  prompt: string,
  options: { length: number; temperature: number; seed: number; context: number },
): string {
  const index = new Map(vocabulary.map((c, i) => [c, i]));
  const unknown = [...new Set([...prompt].filter((c) => !index.has(c)))];
  if (unknown.length)
    throw new Error(
      `generate: the prompt has characters the model never saw (${unknown.map((c) => JSON.stringify(c)).join(', ')})`,
    );
  if (prompt.length === 0)
    throw new Error('generate: the prompt is empty (type a few characters to continue)');
  const ids = [...prompt].map((c) => index.get(c)!);
  const gen = new hg.Generator().manualSeed(options.seed);
  const wasTraining = model.training;
  model.eval();
  let text = '';
  try {
    for (let k = 0; k < options.length; k++) {
      const window = ids.slice(-options.context);
      const scope = hg.startScope();
      try {
        const x = hg.tensor(Float64Array.from(window), { shape: [1, window.length], dtype: 'int64' });
        const logits = hg.noGrad(() => model.predict(x));
        const last = logits.index(0, -1);
        const probs = hg.noGrad(() => last.div(options.temperature).softmax(0)).dataSync();
        let u = gen.nextFloat64();
        let pick = 0;
        while (pick < probs.length - 1 && u >= probs[pick]!) u -= probs[pick++]!;
        ids.push(pick);
        text += vocabulary[pick] ?? '';
      } finally {
        hg.endScope(scope);
      }
    }
  } finally {
    if (wasTraining) model.train();
  }
  return text;
}
