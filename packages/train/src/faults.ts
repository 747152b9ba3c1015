// Where a NaN/Inf first appeared in a training step: the first node (in graph order) whose output
// is not finite, and, by replaying the step's forward pass in anomaly mode, the first engine op
// that produced it. A model on a GPU is replayed on a CPU copy of its weights, so every device
// gets the same report.
import * as hg from '@hgrad/engine';
import { GraphModel } from './compile.ts';
import type { Outputs } from './kinds.ts';

type Tensor = hg.Tensor;

/**
 * Training stopped because numbers stopped being finite: a result to report to the user (what
 * and where, and what to change), not an internal error.
 */
export class TrainingStopped extends Error {
  constructor(
    message: string,
    readonly nodeId?: string,
  ) {
    super(message);
    this.name = 'TrainingStopped';
  }
}

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
  /** The learning rate now: a schedule that raised it is the usual cause. */
  lr?: number,
): Promise<Error> {
  const badNode = await firstNonFiniteNode(model, values);
  const op = await firstNonFiniteOp(model, batch);
  const kind = badNode ? model.analysis.nodes.get(badNode)!.kind.kind : '';
  const where = badNode
    ? `node ${badNode} (${kind}) produced non-finite values${op}`
    : `the loss is not finite${op}`;
  const rate = lr === undefined ? '' : `; the learning rate is now ${lr}`;
  return new TrainingStopped(`training stopped at step ${step}: ${where}${rate}`, badNode);
}

/**
 * Whether every parameter is finite after an optimizer step. On the CPU a scan of the values
 * (x − x is 0 for every finite x, NaN for ±Inf and NaN); on a GPU one reduction (x·0 summed)
 * read back once.
 */
function finiteValues(values: Float32Array): boolean {
  // x·0 is 0 for finite x and NaN otherwise; four independent sums keep the loop short.
  let a = 0;
  let b = 0;
  let c = 0;
  let d = 0;
  const n = values.length - (values.length % 4);
  for (let i = 0; i < n; i += 4) {
    a += values[i]! * 0;
    b += values[i + 1]! * 0;
    c += values[i + 2]! * 0;
    d += values[i + 3]! * 0;
  }
  for (let i = n; i < values.length; i++) a += values[i]! * 0;
  return a + b + c + d === 0;
}

export async function parametersFinite(params: readonly Tensor[]): Promise<boolean> {
  if (!params.length) return true;
  if (params.every((p) => p.device === 'cpu')) {
    for (const p of params) {
      // A dense float32 parameter is scanned in place (the CPU backend's buffer is the array).
      const values =
        p.dtype === 'float32' && p.isContiguous()
          ? (p.storage.buffer as Float32Array).subarray(p.offset, p.offset + p.numel())
          : Float32Array.from(p.dataSync() as ArrayLike<number>);
      if (!finiteValues(values)) return false;
    }
    return true;
  }
  const probe = hg.noGrad(() => params.map((p) => p.mul(0).sum()).reduce((a, b) => a.add(b)));
  return Number.isFinite((await probe.data())[0]!);
}

/**
 * The optimizer step left a parameter non-finite: which one, and whether its gradient was
 * already non-finite (then backward is to blame) or the step itself overflowed (the learning
 * rate, a schedule's gamma, the optimizer's settings).
 */
export async function optimizerFaultError(
  named: readonly [string, Tensor][],
  optimizer: string,
  lr: number,
  step: number,
): Promise<TrainingStopped> {
  const finite = async (t: Tensor) => parametersFinite([t]);
  for (const [name, p] of named) {
    if (await finite(p)) continue;
    const node = name.split('.')[0];
    if (p.grad && !(await finite(p.grad)))
      return new TrainingStopped(
        `training stopped at step ${step}: the gradient of ${name} is not finite (backward overflowed); lower the learning rate or normalise the inputs`,
        node,
      );
    return new TrainingStopped(
      `training stopped at step ${step}: the optimizer step (${optimizer}, lr ${lr}) made ${name} non-finite though its gradient was finite; lower the learning rate (or the schedule's gamma)`,
      node,
    );
  }
  return new TrainingStopped(`training stopped at step ${step}: a parameter is not finite`);
}
