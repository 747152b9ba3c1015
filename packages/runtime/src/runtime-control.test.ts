// Through the worker protocol: the step-through debugger, cancelling long requests, and
// recovering from a dead worker with the graph and the last weights snapshot.
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import * as hg from '@hgrad/engine';
import { loadGraph } from '@hgrad/ir';
import { prepareRun } from '@hgrad/train';
import type { RuntimeResult } from '@hgrad/protocol';
import { startNodeRuntime, startSupervisedNodeRuntime } from './node-client.ts';

const exampleText = readFileSync(new URL('../../../examples/mlp-blobs.hgrad.json', import.meta.url), 'utf8');
const example = JSON.parse(exampleText);
const live: { terminate(): Promise<number> }[] = [];
afterEach(async () => {
  await Promise.all(live.splice(0).map((w) => w.terminate()));
});

function start(timeoutMs?: number) {
  const { client, worker } = startNodeRuntime(timeoutMs);
  live.push(worker);
  return client;
}

function debugResult(r: RuntimeResult) {
  if (r.type !== 'debug') throw new Error(`expected a debug result, got ${r.type}`);
  return r;
}

describe('step-through over the protocol', () => {
  it('steps every node forward and backward; the weight gradient equals a plain backward', async () => {
    const client = start();
    await client.request({ type: 'load', document: example });
    const started = debugResult(await client.request({ type: 'debug', action: 'start', samples: 8 }));
    expect(started.cursor).toBe(-1);
    expect(started.plan.map((s) => `${s.phase[0]}:${s.nodeId}`)).toEqual([
      'f:data',
      'f:fc1',
      'f:act1',
      'f:fc2',
      'f:loss',
      'b:loss',
      'b:fc2',
      'b:act1',
      'b:fc1',
    ]);
    const first = debugResult(await client.request({ type: 'debug', action: 'forward' }));
    expect(first.frame).toMatchObject({ index: 0, phase: 'forward', nodeId: 'data' });
    expect(first.frame!.tensors.map((t) => `${t.role}:${t.name}`)).toEqual(['output:x', 'output:y']);
    const atFc1 = debugResult(await client.request({ type: 'debug', action: 'jump', index: 8 }));
    expect(atFc1.frame!.rule).toBe('Linear: dx = g · W, dW = gᵀ · x, db = Σ g over the batch');
    const shown = atFc1.frame!.tensors.find((t) => t.role === 'gradParam' && t.name === 'fc1.weight')!;
    expect(shown.inspection.shape).toEqual([16, 2]);

    // The same batch and weights in-process: the first 8 samples of the training split.
    const loaded = loadGraph(exampleText);
    if (!loaded.ok) throw new Error('example');
    const { model, data, run } = await prepareRun(loaded.graph);
    const rows = hg.tensor(run.train.indices.slice(0, 8), { dtype: 'int32' });
    model.forward({ x: data.x.indexSelect(0, rows), y: data.y.indexSelect(0, rows) }).loss!.backward();
    const expected = Array.from(model.namedParameters().next().value![1].grad!.dataSync());
    expect(shown.inspection.values).toEqual(expected);

    const back = debugResult(await client.request({ type: 'debug', action: 'back' }));
    expect(back.frame).toMatchObject({ index: 7, phase: 'backward', nodeId: 'act1' });
    const full = await client.request({
      type: 'inspect',
      target: { kind: 'debug', step: 8, role: 'gradParam', name: 'fc1.weight' },
      full: true,
    });
    expect(full.type === 'inspection' && full.inspection.values).toEqual(expected);
    const end = debugResult(await client.request({ type: 'debug', action: 'end' }));
    expect(end.cursor).toBe(8);
    // Training closes the step-through (its values belong to the old weights).
    await client.request({ type: 'step', steps: 1 });
    await expect(client.request({ type: 'debug', action: 'forward' })).rejects.toThrow(
      /no step-through is open/,
    );
  });
});

describe('cancel and timeouts', () => {
  it('cancels a long step request; the session stays usable', async () => {
    const client = start(60_000);
    await client.request({ type: 'load', document: example });
    const controller = new AbortController();
    const long = client.request({ type: 'step', steps: 1_000_000 }, { signal: controller.signal });
    setTimeout(() => controller.abort(), 300);
    await expect(long).rejects.toMatchObject({
      name: 'CancelledError',
      message: expect.stringMatching(/^step \(request \d+\) was cancelled$/),
    });
    const ok = await client.request({ type: 'step', steps: 2 });
    expect(ok.type === 'ok' && ok.step).toBeGreaterThan(2);
    expect(client.lossHistory.length).toBe(ok.type === 'ok' ? ok.step : -1);
  });

  it('refuses to change the run while a long request runs, and answers inspections meanwhile', async () => {
    const client = start(60_000);
    await client.request({ type: 'load', document: example });
    await client.request({ type: 'step', steps: 1 });
    const controller = new AbortController();
    const long = client.request({ type: 'step', steps: 1_000_000 }, { signal: controller.signal });
    await new Promise((r) => setTimeout(r, 100));
    await expect(client.request({ type: 'resetWeights' })).rejects.toThrow(
      /^busy: step \(request \d+\) is running; wait for it or cancel it$/,
    );
    const w = await client.request({ type: 'inspect', target: { kind: 'parameter', name: 'fc1.bias' } });
    expect(w.type === 'inspection' && w.inspection.shape).toEqual([16]);
    controller.abort();
    await expect(long).rejects.toMatchObject({ name: 'CancelledError' });
  });

  it('a timed-out request is also stopped in the worker', async () => {
    const client = start();
    await client.request({ type: 'load', document: example });
    await expect(client.request({ type: 'step', steps: 1_000_000 }, { timeoutMs: 200 })).rejects.toThrow(
      "request 'step' timed out after 200 ms",
    );
    // The worker stopped the long request, so a mutating request is accepted again.
    await expect
      .poll(() => client.request({ type: 'resetWeights' }).then((r) => r.type), { timeout: 5000 })
      .toBe('ok');
  });
});

describe('crash recovery', () => {
  it('notices a dead worker, starts a new one and restores the graph and the last weights', async () => {
    const { supervisor, workers } = startSupervisedNodeRuntime();
    const deaths: Error[] = [];
    supervisor.onDeath((e) => deaths.push(e));
    await supervisor.load({ type: 'load', document: example });
    await supervisor.client.request({ type: 'runEpoch' });
    await expect.poll(() => supervisor.snapshotBytes !== null).toBe(true);
    const before = await supervisor.client.request({ type: 'getWeights' });
    if (before.type !== 'weights') throw new Error('weights');
    const saved = new Uint8Array(before.safetensors);

    await workers[0]!.terminate(); // the crash
    await expect.poll(() => deaths.length).toBe(1);
    expect(deaths[0]!.message).toMatch(/^the engine worker stopped: worker exited with code/);
    await expect(supervisor.client.request({ type: 'step', steps: 1 })).rejects.toThrow(/worker stopped/);

    expect(await supervisor.restart()).toEqual({ reloaded: true, weightsRestored: true });
    live.push(...workers);
    const after = await supervisor.client.request({ type: 'getWeights' });
    expect(after.type === 'weights' && new Uint8Array(after.safetensors)).toEqual(saved);
    // Training goes on in the new worker.
    const epoch = await supervisor.client.request({ type: 'runEpoch' });
    expect(epoch.type).toBe('ok');
    expect(workers.length).toBe(2);
  });
});

describe('studio views', () => {
  it('draws the decision boundary of a 2-D classifier and streams output gradient norms', async () => {
    const client = start();
    const events: import('@hgrad/protocol').RuntimeEvent[] = [];
    client.on((e) => events.push(e));
    await client.request({ type: 'load', document: example });
    for (let e = 0; e < 3; e++) await client.request({ type: 'runEpoch' });
    const r = await client.request({ type: 'decisionBoundary', resolution: 24 });
    if (r.type !== 'decisionBoundary' || !r.boundary) throw new Error('no boundary');
    const b = r.boundary;
    expect(b.classes.length).toBe(24 * 24);
    expect(new Set(b.classes)).toEqual(new Set([0, 1, 2]));
    expect(b.confidence.every((c) => c >= 1 / 3 - 1e-6 && c <= 1)).toBe(true);
    expect(b.points.length).toBe(400);
    // A trained model puts most training points in their own class's region.
    const cell = (p: { x: number; y: number }) => {
      const j = Math.min(23, Math.floor(((p.x - b.xMin) / (b.xMax - b.xMin)) * 24));
      const i = Math.min(23, Math.floor(((b.yMax - p.y) / (b.yMax - b.yMin)) * 24));
      return b.classes[i * 24 + j];
    };
    expect(b.points.filter((p) => cell(p) === p.label).length / b.points.length).toBeGreaterThan(0.9);
    const stats = events.filter((e) => e.type === 'stats').at(-1);
    if (stats?.type !== 'stats') throw new Error('no stats');
    expect(stats.outputs.map((o) => `${o.nodeId}.${o.port}`)).toEqual([
      'fc1.output',
      'act1.output',
      'fc2.output',
    ]);
    expect(stats.outputs.every((o) => o.gradNorm > 0)).toBe(true);
  });
});
