// Records each training run in the document as the engine reports it: a run starts when
// training starts on weights no run continues (fresh ones, or after Reset weights), gains an
// epoch row and its loss curve as it goes, notes each change of settings or graph made during
// it, and ends on Reset weights. The Runs tab compares the records; the charts overlay them.
import type { RuntimeEvent } from '@hgrad/protocol';
import type { RunEpoch, RunRecord, TrainingConfig } from '@hgrad/ir';
import { useDocument } from './document-store.ts';
import { useRun } from './run-store.ts';
import {
  currentRun,
  describeTrainingChange,
  downsampleLoss,
  epochOf,
  modelHash,
  newRun,
  withRun,
} from './runs.ts';
import { appendEpochs } from './series.ts';

/** What the current run last trained with, to say what an edit changed. */
let seen: { id: string; training: TrainingConfig; model: string; params: number } | null = null;

const doc = () => useDocument.getState().doc;
const runs = () => useDocument.getState().runs;
const record = (run: RunRecord) => useDocument.getState().commands.recordRuns((list) => withRun(list, run));
const params = () => {
  const status = useRun.getState().status;
  return status.state === 'ready' ? status.params : 0;
};

function remember(run: RunRecord): void {
  const d = doc();
  if (d.training) seen = { id: run.id, training: d.training, model: modelHash(d), params: params() };
}

/** The run the current weights continue, or a new one. */
function ensureRun(step: number): RunRecord | null {
  const d = doc();
  const existing = currentRun(runs(), step);
  if (existing) return existing;
  if (!d.training) return null;
  const run = newRun(d, runs(), params(), new Date());
  record(run);
  remember(run);
  return run;
}

/** The loss curve of the weights' history so far (every step since they were initialised). */
const lossCurve = () => downsampleLoss(useRun.getState().losses, useRun.getState().lossStride);

/**
 * Epoch rows not yet written to the document. A fast model finishes hundreds of epochs a
 * second; the record is written at most once a second while training (and at once when it
 * pauses, stops or changes), so recording never costs the page its frames.
 */
let pending: { id: string; rows: RunEpoch[] } | null = null;
let flushTimer: ReturnType<typeof setTimeout> | undefined;
const FLUSH_MS = 1000;

function flush(): void {
  clearTimeout(flushTimer);
  flushTimer = undefined;
  if (!pending) return;
  const { id, rows } = pending;
  pending = null;
  const run = runs().find((r) => r.id === id);
  if (!run || !rows.length) return;
  const first = rows[0]!.epoch;
  record({
    ...run,
    epochs: appendEpochs(
      run.epochs.filter((e) => e.epoch < first),
      rows,
    ),
    loss: lossCurve(),
  });
}

export const runRecorder = {
  /** Called with every engine event, after the run store has taken it. */
  onEvent(event: RuntimeEvent): void {
    if (event.type === 'epochs') {
      const first = event.closed[0];
      const run = first && ensureRun(first.step);
      if (!run) return;
      const lr = useRun.getState().stats?.lr;
      const rows = event.closed.map(({ step, report }) => epochOf(report, step, lr));
      if (pending?.id !== run.id) {
        flush();
        pending = { id: run.id, rows: [] };
      }
      pending.rows = [...pending.rows.filter((e) => e.epoch < rows[0]!.epoch), ...rows];
      flushTimer ??= setTimeout(flush, FLUSH_MS);
      return;
    }
    if (event.type !== 'state') return;
    flush();
    if (event.state === 'training') {
      const run = ensureRun(event.step);
      if (run && run.state !== 'training') record({ ...run, state: 'training' });
      return;
    }
    const run = currentRun(runs(), event.step);
    if (!run || (run.state !== 'training' && run.state !== 'paused')) return;
    const epochs = doc().training?.epochs ?? 0;
    const state =
      event.state === 'paused' ? 'paused' : event.epoch >= epochs && epochs > 0 ? 'finished' : 'stopped';
    record({ ...run, state, loss: lossCurve() });
  },
  /**
   * The graph or the settings changed and the run continues with them: the run notes what
   * changed, from which step.
   */
  changed(): void {
    flush();
    const d = doc();
    const step = useRun.getState().step;
    const run = currentRun(runs(), step);
    if (!run || !d.training) return;
    if (seen?.id !== run.id) return remember(run);
    const parts = describeTrainingChange(seen.training, d.training);
    const model = modelHash(d);
    if (model !== seen.model)
      parts.unshift(
        seen.params !== params() ? `graph edited (${seen.params} → ${params()} parameters)` : 'graph edited',
      );
    remember(run);
    if (parts.length)
      record({ ...run, changes: [...run.changes, { step, what: parts.join(', ') }].slice(-1000) });
  },
  /** The trained state came back (a reload, an opened file): the run it continues goes on. */
  restored(): void {
    flush();
    const run = currentRun(runs(), useRun.getState().step);
    if (run) remember(run);
  },
  /** Reset weights: the current run ends; the next training starts a new one. */
  ended(why: string): void {
    flush();
    const run = currentRun(runs(), useRun.getState().step);
    if (run) record({ ...run, ended: why, state: run.state === 'training' ? 'stopped' : run.state });
    seen = null;
  },
};
