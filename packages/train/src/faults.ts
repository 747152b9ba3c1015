// Where a NaN/Inf first appeared in a training step: the first node (in graph order) whose output
// is not finite, and, by replaying the step's forward pass in anomaly mode, the first engine op
// that produced it. A model on a GPU is replayed on a CPU copy of its weights, so every device
// gets the same report.
import * as hg from '@hgrad/engine';
import { GraphModel } from './compile.ts';
import type { Outputs } from './kinds.ts';

type Tensor = hg.Tensor;

async function firstNonFiniteNode(
  model: GraphModel,
  values: Map<string, Outputs>,
): Promise<string | undefined> {
  for (const id of model.order)
    for (const t of Object.values(values.get(id) ?? {}))
      if (
        t.dtype.startsWith('float') &&
        (await hg.noGrad(() => t.isfinite().logicalNot().any()).data())[0] === 1
      )
        return id;
  return undefined;
}

/** The first op to produce a non-finite value when the batch is run again in anomaly mode. */
async function firstNonFiniteOp(model: GraphModel, batch: { x: Tensor; y: Tensor }): Promise<string> {
  let cpu = model;
  if ((model.parameters()[0]?.device ?? 'cpu') !== 'cpu') {
    cpu = new GraphModel(model.analysis);
    cpu.loadStateDict(await model.stateDictAsync());
    cpu.train(model.training);
  }
  try {
    hg.noGrad(() => hg.detectAnomaly(() => cpu.forward(batch)));
  } catch (e) {
    return ` (${(e as Error).message.replace(/^node \S+ \([^)]*\): /, '')})`;
  }
  return '';
}

export async function nonFiniteError(
  model: GraphModel,
  values: Map<string, Outputs>,
  batch: { x: Tensor; y: Tensor },
  step: number,
): Promise<Error> {
  const badNode = await firstNonFiniteNode(model, values);
  const op = await firstNonFiniteOp(model, batch);
  const kind = badNode ? model.analysis.nodes.get(badNode)!.kind.kind : '';
  const where = badNode
    ? `node ${badNode} (${kind}) produced non-finite values${op}`
    : `the loss is not finite${op}`;
  return Object.assign(new Error(`training stopped at step ${step}: ${where}`), { nodeId: badNode });
}
