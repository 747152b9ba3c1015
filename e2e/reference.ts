// What the studio should show, computed by the engine in the test process: the example graph
// with its seed, and the batch the step-through uses (the first 8 samples of the training split).
import { readFileSync } from 'node:fs';
import * as hg from '../engine/src/index.ts';
import { loadGraph, parseDocument, type GraphDocument } from '../packages/ir/src/index.ts';
import { prepareRun } from '../packages/train/src/index.ts';

export function exampleDocument(): GraphDocument {
  const parsed = parseDocument(
    readFileSync(new URL('../examples/mlp-blobs.hgrad.json', import.meta.url), 'utf8'),
  );
  if (!parsed.ok) throw new Error('the example does not parse');
  return parsed.document;
}

export async function referenceRun(weights?: Uint8Array) {
  const loaded = loadGraph(exampleDocument());
  if (!loaded.ok) throw new Error('the example does not load');
  const { model, data, run } = await prepareRun(loaded.graph);
  if (weights) model.loadStateDict(hg.loadSafetensors(weights).tensors);
  const rows = hg.tensor(run.train.indices.slice(0, 8), { dtype: 'int32' });
  const batch = { x: data.x.indexSelect(0, rows), y: data.y.indexSelect(0, rows) };
  return { hg, model, batch };
}

/** The losses of the example's first `steps` training steps, as an uninterrupted run has them. */
export async function referenceLosses(steps: number): Promise<number[]> {
  const loaded = loadGraph(exampleDocument());
  if (!loaded.ok) throw new Error('the example does not load');
  const { run } = await prepareRun(loaded.graph);
  const losses: number[] = [];
  while (losses.length < steps) losses.push((await run.nextStep()).loss);
  return losses;
}
