// The training runs a document keeps, as plain functions over its `runs` list: start a run,
// add an epoch, follow the loss curve, note a change of settings, end it. The run recorder
// (run-recorder.ts) calls them as the engine reports; the Runs tab and the charts read them.
import type { GraphDocument, RunEpoch, RunRecord, TrainingConfig } from '@hgrad/ir';

/** How many runs a document keeps (the oldest go first). */
export const MAX_RUNS = 30;
/** How many points of a run's loss curve are kept. */
export const MAX_LOSS_POINTS = 500;

/** A short hash of the model (nodes, params, edges; not positions or training): runs of one graph share it. */
export function modelHash(doc: GraphDocument): string {
  const strip = (nodes: GraphDocument['nodes']) =>
    nodes.map(({ id, kind, params }) => ({ id, kind, params }));
  const text = JSON.stringify({
    nodes: strip(doc.nodes),
    edges: doc.edges.map(({ source, target }) => ({ source, target })),
    subgraphs: doc.subgraphs?.map((g) => ({ id: g.id, nodes: strip(g.nodes), edges: g.edges })),
  });
  // FNV-1a, 32 bits: a revision label, not a security measure.
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(16).padStart(8, '0');
}

const finiteOrNull = (v: number | null | undefined): number | null =>
  v != null && Number.isFinite(v) ? v : null;

/**
 * The loss per step as the mean of each block of `every` steps, so that a curve keeps ≤
 * MAX_LOSS_POINTS (`stride`: the steps each entry of `losses` already covers).
 */
export function downsampleLoss(losses: readonly number[], stride = 1): RunRecord['loss'] {
  const every = Math.max(1, Math.ceil(losses.length / MAX_LOSS_POINTS));
  const values: (number | null)[] = [];
  for (let start = 0; start < losses.length; start += every) {
    const block = losses.slice(start, start + every);
    const mean = block.reduce((a, b) => a + b, 0) / block.length;
    values.push(finiteOrNull(mean));
  }
  return { every: every * stride, values };
}

/** A new run of the document's current graph and settings, numbered after the runs kept. */
export function newRun(doc: GraphDocument, runs: readonly RunRecord[], params: number, now: Date): RunRecord {
  if (!doc.training) throw new Error('the document has no training settings');
  const number = runs.reduce((n, r) => Math.max(n, Number(/^run-(\d+)$/.exec(r.id)?.[1] ?? 0)), 0) + 1;
  return {
    id: `run-${number}`,
    name: `Run ${number}`,
    started: now.toISOString(),
    training: doc.training,
    model: modelHash(doc),
    params,
    epochs: [],
    loss: { every: 1, values: [] },
    state: 'training',
    changes: [],
  };
}

/** The run the current weights continue: the last one, unless it ended or the counters went back. */
export function currentRun(runs: readonly RunRecord[] | undefined, step: number): RunRecord | null {
  const last = runs?.at(-1);
  if (!last || last.ended) return null;
  // The steps it is known to have reached: its last epoch, or its loss curve (a lower bound).
  const curve = last.loss.values.length ? (last.loss.values.length - 1) * last.loss.every + 1 : 0;
  const lastStep = Math.max(last.epochs.at(-1)?.step ?? 0, curve);
  return step >= lastStep ? last : null;
}

export function withRun(runs: readonly RunRecord[] | undefined, run: RunRecord): RunRecord[] {
  const list = runs ?? [];
  const at = list.findIndex((r) => r.id === run.id);
  return at >= 0 ? list.map((r, i) => (i === at ? run : r)) : [...list, run].slice(-MAX_RUNS);
}

export function epochOf(
  report: {
    epoch: number;
    trainLoss: number;
    trainAccuracy: number | null;
    valLoss: number | null;
    valAccuracy: number | null;
  },
  step: number,
  lr: number | null | undefined,
): RunEpoch {
  return {
    epoch: report.epoch,
    step,
    trainLoss: finiteOrNull(report.trainLoss),
    trainAccuracy: finiteOrNull(report.trainAccuracy),
    valLoss: finiteOrNull(report.valLoss),
    valAccuracy: finiteOrNull(report.valAccuracy),
    lr: finiteOrNull(lr),
  };
}

/** What changed between two training configurations, in words ("lr 0.01 → 0.005, batch 32 → 16"). */
export function describeTrainingChange(before: TrainingConfig, after: TrainingConfig): string[] {
  const parts: string[] = [];
  const show = (v: unknown) => (typeof v === 'object' ? JSON.stringify(v) : String(v));
  if (before.optimizer.kind !== after.optimizer.kind)
    parts.push(`optimizer ${before.optimizer.kind} → ${after.optimizer.kind}`);
  if (before.optimizer.lr !== after.optimizer.lr)
    parts.push(`lr ${before.optimizer.lr} → ${after.optimizer.lr}`);
  const oldParams = before.optimizer.params as Record<string, unknown>;
  const newParams = after.optimizer.params as Record<string, unknown>;
  for (const key of new Set([...Object.keys(oldParams), ...Object.keys(newParams)]))
    if (show(oldParams[key]) !== show(newParams[key]))
      parts.push(`${key} ${show(oldParams[key] ?? 'default')} → ${show(newParams[key] ?? 'default')}`);
  if (show(before.schedule) !== show(after.schedule))
    parts.push(`schedule ${before.schedule?.kind ?? 'none'} → ${after.schedule?.kind ?? 'none'}`);
  if (before.batchSize !== after.batchSize) parts.push(`batch ${before.batchSize} → ${after.batchSize}`);
  if (before.epochs !== after.epochs) parts.push(`epochs ${before.epochs} → ${after.epochs}`);
  if (before.seed !== after.seed) parts.push(`seed ${before.seed} → ${after.seed}`);
  if (before.validationSplit !== after.validationSplit)
    parts.push(`validation ${before.validationSplit} → ${after.validationSplit}`);
  if (before.device !== after.device) parts.push(`device ${before.device} → ${after.device}`);
  return parts;
}

/** The run's last validation result (the last epoch that had one). */
export function finalResult(run: RunRecord): { valLoss: number | null; valAccuracy: number | null } {
  const last = [...run.epochs].reverse().find((e) => e.valLoss !== null || e.valAccuracy !== null);
  return { valLoss: last?.valLoss ?? null, valAccuracy: last?.valAccuracy ?? null };
}
