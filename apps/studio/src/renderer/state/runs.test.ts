// The runs a document keeps: numbering, which run the weights continue, the loss curve kept
// within its bound, and what a settings change says.
import { describe, expect, it } from 'vitest';
import { parseDocument, serializeDocument, type GraphDocument, type RunRecord } from '@hgrad/ir';
import { TEMPLATES } from './templates.ts';
import {
  currentRun,
  describeTrainingChange,
  downsampleLoss,
  epochOf,
  finalResult,
  MAX_LOSS_POINTS,
  MAX_RUNS,
  modelHash,
  newRun,
  withRun,
} from './runs.ts';

function doc(): GraphDocument {
  const parsed = parseDocument(TEMPLATES[0]!.text);
  if (!parsed.ok) throw new Error('template');
  return parsed.document;
}

const NOW = new Date('2026-11-28T12:00:00Z');

describe('runs', () => {
  it('numbers runs after the highest one kept and records the settings they started with', () => {
    const d = doc();
    const first = newRun(d, [], 99, NOW);
    expect(first).toMatchObject({
      id: 'run-1',
      name: 'Run 1',
      params: 99,
      started: '2026-11-28T12:00:00.000Z',
    });
    expect(first.training).toEqual(d.training);
    const second = newRun(d, [first, { ...first, id: 'run-7' }], 99, NOW);
    expect(second.id).toBe('run-8');
  });

  it('the graph hash ignores positions and training but not params', () => {
    const d = doc();
    const moved = { ...d, nodes: d.nodes.map((n) => ({ ...n, position: { x: n.position.x + 5, y: 0 } })) };
    expect(modelHash(moved)).toBe(modelHash(d));
    expect(modelHash({ ...d, training: { ...d.training!, batchSize: 3 } })).toBe(modelHash(d));
    const edited = {
      ...d,
      nodes: d.nodes.map((n) => (n.id === 'fc1' ? { ...n, params: { ...n.params, outFeatures: 5 } } : n)),
    };
    expect(modelHash(edited)).not.toBe(modelHash(d));
    expect(modelHash(d)).toMatch(/^[0-9a-f]{8}$/);
  });

  it('the weights continue the last run unless it ended or the step counter went back', () => {
    const run: RunRecord = {
      ...newRun(doc(), [], 1, NOW),
      epochs: [
        epochOf({ epoch: 1, trainLoss: 1, trainAccuracy: 0.5, valLoss: 1, valAccuracy: 0.5 }, 40, 0.01),
      ],
    };
    expect(currentRun([run], 40)?.id).toBe('run-1');
    expect(currentRun([run], 55)?.id).toBe('run-1');
    expect(currentRun([run], 0)).toBeNull(); // fresh weights: a new run
    expect(currentRun([{ ...run, ended: 'Reset weights' }], 60)).toBeNull();
    expect(currentRun([], 3)).toBeNull();
    // Without an epoch, the loss curve says how far the run got.
    const early = { ...run, epochs: [], loss: downsampleLoss([1, 0.9, 0.8]) };
    expect(currentRun([early], 3)?.id).toBe('run-1');
    expect(currentRun([early], 0)).toBeNull();
  });

  it('keeps at most MAX_RUNS runs, replacing a run by id', () => {
    let runs: RunRecord[] = [];
    const base = newRun(doc(), [], 1, NOW);
    for (let i = 1; i <= MAX_RUNS + 3; i++)
      runs = withRun(runs, { ...base, id: `run-${i}`, name: `Run ${i}` });
    expect(runs).toHaveLength(MAX_RUNS);
    expect(runs[0]!.id).toBe('run-4');
    runs = withRun(runs, { ...base, id: 'run-10', state: 'finished' });
    expect(runs).toHaveLength(MAX_RUNS);
    expect(runs.find((r) => r.id === 'run-10')!.state).toBe('finished');
  });

  it('a loss curve keeps block means within the bound; non-finite blocks are gaps', () => {
    const losses = Array.from({ length: 1234 }, (_, i) => i);
    const { every, values } = downsampleLoss(losses);
    expect(every).toBe(3);
    expect(values.length).toBe(412);
    expect(values.length).toBeLessThanOrEqual(MAX_LOSS_POINTS);
    expect(values[0]).toBe(1); // mean of 0, 1, 2
    expect(values.at(-1)).toBe(1233); // the last block holds one step
    expect(downsampleLoss([1, NaN, 2, 3])).toEqual({ every: 1, values: [1, null, 2, 3] });
    expect(downsampleLoss([])).toEqual({ every: 1, values: [] });
  });

  it('says what changed between two training settings', () => {
    const t = doc().training!;
    const changed = {
      ...t,
      optimizer: { ...t.optimizer, lr: 0.005, params: { ...t.optimizer.params, weightDecay: 0.1 } },
      batchSize: 16,
    } as typeof t;
    expect(describeTrainingChange(t, changed)).toEqual([
      `lr ${t.optimizer.lr} → 0.005`,
      'weightDecay default → 0.1',
      `batch ${t.batchSize} → 16`,
    ]);
    expect(describeTrainingChange(t, t)).toEqual([]);
  });

  it('the final result is the last epoch with a validation result; records survive save and open', () => {
    const d = doc();
    const run: RunRecord = {
      ...newRun(d, [], 1, NOW),
      epochs: [
        epochOf({ epoch: 1, trainLoss: 0.5, trainAccuracy: 0.8, valLoss: 0.4, valAccuracy: 0.9 }, 10, 0.01),
        epochOf(
          { epoch: 2, trainLoss: NaN, trainAccuracy: null, valLoss: null, valAccuracy: null },
          20,
          Infinity,
        ),
      ],
      changes: [{ step: 12, what: 'lr 0.01 → 0.005' }],
    };
    expect(finalResult(run)).toEqual({ valLoss: 0.4, valAccuracy: 0.9 });
    expect(run.epochs[1]).toMatchObject({ trainLoss: null, lr: null });
    const reopened = parseDocument(serializeDocument({ ...d, runs: [run] }));
    expect(reopened.ok && reopened.document.runs).toEqual([run]);
  });
});

describe('runs in the document store', () => {
  it('recording a run is no undo step, and undo and redo keep the runs', async () => {
    const { documentText, useDocument } = await import('./document-store.ts');
    const { commands } = useDocument.getState();
    commands.open(TEMPLATES[0]!.text, null);
    commands.setTraining({ batchSize: 7 });
    const before = useDocument.getState().doc;
    const run = newRun(before, [], 99, NOW);
    commands.recordRuns((runs) => withRun(runs, run));
    expect(useDocument.getState().past).toHaveLength(1);
    expect(useDocument.getState().dirty).toBe(true);
    // Recording does not touch the graph (the canvas does not redraw).
    expect(useDocument.getState().doc).toBe(before);
    commands.undo();
    expect(useDocument.getState().doc.training!.batchSize).not.toBe(7);
    expect(useDocument.getState().runs).toEqual([run]);
    commands.redo();
    expect(useDocument.getState().doc.training!.batchSize).toBe(7);
    expect(useDocument.getState().runs).toEqual([run]);
    // Saved with the document, and back apart from the graph when it is opened.
    const text = documentText();
    expect(JSON.parse(text).runs).toEqual([run]);
    commands.open(text, null);
    expect(useDocument.getState().runs).toEqual([run]);
    expect(useDocument.getState().doc.runs).toBeUndefined();
  });
});

describe('the run recorder', () => {
  it('records batched epochs with their steps, bounded like the charts, the latest kept', async () => {
    const { useDocument } = await import('./document-store.ts');
    const { useRun } = await import('./run-store.ts');
    const { runRecorder } = await import('./run-recorder.ts');
    const { MAX_EPOCH_ROWS } = await import('./series.ts');
    useDocument.getState().commands.open(TEMPLATES[0]!.text, null);
    useRun.getState().actions.loaded({ state: 'starting' }, 'k', 'ready');
    const report = (epoch: number) => ({
      epoch,
      trainLoss: 1 / epoch,
      trainAccuracy: 0.5,
      valLoss: 2 / epoch,
      valAccuracy: 0.75,
      samplesPerSecond: 100,
    });
    runRecorder.onEvent({ type: 'state', state: 'training', step: 0, epoch: 0, compute: '' });
    // 5,000 epochs of 4 steps, in batches of 7 (the last one shorter).
    const epochs = 5000;
    for (let first = 1; first <= epochs; first += 7) {
      const closed = Array.from({ length: Math.min(7, epochs + 1 - first) }, (_, i) => ({
        step: 4 * (first + i),
        report: report(first + i),
      }));
      useRun.getState().actions.receive({ type: 'epochs', closed });
      runRecorder.onEvent({ type: 'epochs', closed });
    }
    runRecorder.onEvent({ type: 'state', state: 'paused', step: 4 * epochs, epoch: epochs, compute: '' });
    const [run] = useDocument.getState().runs;
    expect(run!.state).toBe('paused');
    expect(run!.epochs.length).toBeLessThanOrEqual(MAX_EPOCH_ROWS);
    expect(run!.epochs.length).toBeGreaterThan(MAX_EPOCH_ROWS / 2);
    expect(run!.epochs[0]).toMatchObject({ epoch: 1, step: 4, trainLoss: 1, valAccuracy: 0.75 });
    expect(run!.epochs.at(-1)).toMatchObject({ epoch: epochs, step: 4 * epochs, valLoss: 2 / epochs });
    expect(run!.epochs.every((e, i) => i === 0 || e.epoch > run!.epochs[i - 1]!.epoch)).toBe(true);
    expect(run!.epochs.every((e) => e.step === 4 * e.epoch)).toBe(true);
  });
});
