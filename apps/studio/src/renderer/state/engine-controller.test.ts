// The studio's engine stores without a browser: the run store applies streamed events, the
// connection talks to a runtime through a fake port (a RuntimeSession in this process, so every
// answer is the real engine's), and the controller keeps the engine in step with the document.
import { describe, expect, it } from 'vitest';
import type { Port, RuntimeEvent } from '@hgrad/protocol';
import { RuntimeSession } from '@hgrad/runtime';
import { connection } from '../engine/connection.ts';
import { useDocument } from './document-store.ts';
import { engineCommands, modelKey } from './engine-controller.ts';
import { useRun } from './run-store.ts';
import { TEMPLATES } from './templates.ts';

/** A port whose other end is a runtime session in this process (messages are cloned, as postMessage does). */
function inProcessPort(): Port {
  let deliver: (data: unknown) => void = () => undefined;
  const session = new RuntimeSession((message) => queueMicrotask(() => deliver(structuredClone(message))));
  return {
    postMessage: (message) => void session.handle(structuredClone(message)),
    onMessage: (listener) => (deliver = listener),
    onError: () => undefined,
  };
}
connection.useSpawner(inProcessPort);

const until = async (check: () => boolean, ms = 10_000) => {
  const started = Date.now();
  while (!check()) {
    if (Date.now() - started > ms) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 5));
  }
};

describe('run store', () => {
  it('keeps every streamed loss at its step, and the epochs, state and stats', () => {
    const { actions } = useRun.getState();
    actions.loaded({ state: 'starting' }, 'k', 'ready');
    const send = (e: RuntimeEvent) => actions.receive(e);
    send({ type: 'losses', firstStep: 1, losses: Float64Array.from([3, 2]) });
    send({ type: 'losses', firstStep: 3, losses: Float64Array.from([1]) });
    expect(useRun.getState().losses).toEqual([3, 2, 1]);
    expect(useRun.getState().step).toBe(3);
    const report = {
      epoch: 1,
      trainLoss: 2,
      trainAccuracy: 0.5,
      valLoss: null,
      valAccuracy: null,
      samplesPerSecond: 100,
    };
    const next = { ...report, epoch: 2, trainLoss: 1.5, samplesPerSecond: 120 };
    send({
      type: 'epochs',
      closed: [
        { step: 2, report },
        { step: 3, report: next },
      ],
    });
    send({ type: 'state', state: 'training', step: 3, epoch: 2, compute: 'x' });
    send({ type: 'stats', step: 3, lr: 0.1, params: [], outputs: [], activations: [] });
    expect(useRun.getState()).toMatchObject({
      epochs: [report, next],
      epoch: 2,
      samplesPerSecond: 120,
      run: 'training',
    });
    expect(useRun.getState().stats).toEqual({ step: 3, lr: 0.1, params: [], outputs: [], activations: [] });
    actions.clearSeries();
    expect(useRun.getState()).toMatchObject({ losses: [], epochs: [], stats: null, step: 0 });
  });
});

describe('engine controller', () => {
  it('loads the document, steps, trains and resets through the runtime', async () => {
    const blobs = TEMPLATES.find((t) => t.id === 'mlp-blobs')!;
    expect(useDocument.getState().commands.open(blobs.text, blobs.fileName).ok).toBe(true);
    expect(await engineCommands.sync()).toBe(true);
    expect(useRun.getState()).toMatchObject({
      status: { state: 'ready', params: 99, trainSamples: 480, valSamples: 120 },
      loadedKey: modelKey(useDocument.getState().doc),
      run: 'ready',
    });
    await engineCommands.step();
    await until(() => useRun.getState().losses.length === 1);
    const first = useRun.getState().losses[0]!;
    expect(first).toBeGreaterThan(0.5);

    await engineCommands.train();
    await until(() => useRun.getState().epochs.length >= 2);
    await engineCommands.pause();
    await until(() => useRun.getState().run === 'paused');
    const { losses, epochs } = useRun.getState();
    expect(losses.length).toBeGreaterThanOrEqual(2 * 15);
    expect(epochs[1]!.valAccuracy!).toBeGreaterThan(0.9);

    await engineCommands.reset();
    expect(useRun.getState()).toMatchObject({ losses: [], epochs: [], step: 0 });
    await engineCommands.step();
    await until(() => useRun.getState().losses.length === 1);
    expect(useRun.getState().losses[0]).toBe(first); // the same seed gives the same first step
  }, 60_000);

  it('does not load a document with problems, and reports them as the status', async () => {
    useDocument.getState().commands.setParam('fc1', 'inFeatures', 5);
    expect(await engineCommands.sync()).toBe(false);
    expect(useRun.getState().status).toEqual({ state: 'problems', count: 1 });
    expect(useRun.getState().loadedKey).toBeNull();
  });
});
