// Time travel: the history stays bounded and spread over the run, and a snapshot shows exactly
// the weights the run had then (equal to a checkpoint taken at that step), through the protocol.
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import * as hg from '@hgrad/engine';
import type { RuntimeEvent } from '@hgrad/protocol';
import { startNodeRuntime } from './node-client.ts';
import { WeightHistory } from './time-travel.ts';

const example = JSON.parse(
  readFileSync(new URL('../../../examples/mlp-blobs.hgrad.json', import.meta.url), 'utf8'),
);
const workers: { terminate(): Promise<number> }[] = [];
afterEach(async () => {
  await Promise.all(workers.splice(0).map((w) => w.terminate()));
});

describe('weight history', () => {
  it('keeps at most its bound, always the first, spread evenly over a long run', async () => {
    const layer = new hg.nn.Linear(3, 2);
    const history = new WeightHistory(10);
    for (let step = 0; step <= 1000; step++) {
      if (history.due(step)) await history.record(step, 0, layer);
    }
    const steps = history.list().map((s) => s.step);
    expect(steps.length).toBeLessThanOrEqual(10);
    expect(steps[0]).toBe(0);
    expect(history.interval).toBe(128);
    expect(steps).toEqual([0, 128, 256, 384, 512, 640, 768, 896]);
    // Each snapshot is a copy: later changes to the layer do not reach it.
    const kept = history.at(896)!.state.get('weight')!.dataSync().slice();
    hg.noGrad(() => layer.weight.add_(1));
    expect(Array.from(history.at(896)!.state.get('weight')!.dataSync())).toEqual(Array.from(kept));
  });

  it('keeps fewer snapshots of a model too large for its memory budget', async () => {
    const layer = new hg.nn.Linear(100, 100); // 10,100 floats: 40,400 bytes
    const history = new WeightHistory(40, 100_000);
    for (let step = 0; step < 50; step++) if (history.due(step)) await history.record(step, 0, layer);
    expect(history.list().length).toBeLessThanOrEqual(2);
  });
});

describe('time travel over the protocol', () => {
  it('a snapshot shows the weights, activations and gradients the run had at that step', async () => {
    const { client, worker } = startNodeRuntime();
    workers.push(worker);
    const events: RuntimeEvent[] = [];
    client.on((e) => events.push(e));
    await client.request({ type: 'load', document: example });
    await client.request({ type: 'step', steps: 8 });
    const checkpoint = await client.request({ type: 'getWeights' });
    if (checkpoint.type !== 'weights') throw new Error('weights');
    const then = hg.loadSafetensors(new Uint8Array(checkpoint.safetensors)).tensors;
    for (let e = 0; e < 3; e++) await client.request({ type: 'runEpoch' });

    const history = events.filter((e) => e.type === 'history').at(-1);
    if (history?.type !== 'history') throw new Error('no history event');
    const kept = history.snapshots.map((s) => s.step);
    expect(kept).toContain(0);
    expect(kept).toContain(8);
    expect(history.viewing).toBeNull();

    const weight = async (name: string) => {
      const r = await client.request({ type: 'inspect', target: { kind: 'parameter', name }, full: true });
      if (r.type !== 'inspection') throw new Error('inspection');
      return r.inspection.values!;
    };
    const live = await weight('fc1.weight');
    expect(await client.request({ type: 'travel', step: 8 })).toEqual({ type: 'travel', step: 8, epoch: 0 });
    for (const name of ['fc1.weight', 'fc1.bias', 'fc2.weight', 'fc2.bias'])
      expect(await weight(name)).toEqual(Array.from(then.get(name)!.dataSync()));
    expect(await weight('fc1.weight')).not.toEqual(live);
    // The studio is told, with the gradients of that step's model (for the node bars).
    const viewing = events.filter((e) => e.type === 'history').at(-1);
    expect(viewing?.type === 'history' && viewing.viewing).toBe(8);
    const stats = events.filter((e) => e.type === 'stats').at(-1);
    expect(stats?.type === 'stats' && stats.step).toBe(8);
    expect(stats?.type === 'stats' && stats.params.every((p) => p.gradNorm > 0)).toBe(true);
    // Activations and gradients of that model on a batch are there to inspect.
    const act = await client.request({
      type: 'inspect',
      target: { kind: 'output', nodeId: 'fc1', port: 'output' },
    });
    expect(act.type === 'inspection' && act.inspection.shape).toEqual([32, 16]);
    const grad = await client.request({ type: 'inspect', target: { kind: 'gradient', name: 'fc2.bias' } });
    expect(grad.type === 'inspection' && grad.inspection.summary.count).toBe(3);

    // A snapshot that was not kept is refused by name, listing the kept ones.
    await expect(client.request({ type: 'travel', step: 7 })).rejects.toThrow(
      /travel: no snapshot at step 7 \(kept: 0, /,
    );

    // Training again returns to the live run, which continues where it was.
    await client.request({ type: 'step', steps: 1 });
    const back = events.filter((e) => e.type === 'history').at(-1);
    expect(back?.type === 'history' && back.viewing).toBeNull();
    expect(await weight('fc1.weight')).not.toEqual(Array.from(then.get('fc1.weight')!.dataSync()));
    // runEpoch finishes the epoch it is in: three epochs of 15 steps, then one step.
    const state = await client.request({ type: 'pause' });
    expect(state).toMatchObject({ type: 'ok', step: 3 * 15 + 1 });
  });
});

describe('activation strips', () => {
  it("stats carry each floating output's first sample, bucketed, as the inspector shows it", async () => {
    const { client, worker } = startNodeRuntime();
    workers.push(worker);
    const events: RuntimeEvent[] = [];
    client.on((e) => events.push(e));
    await client.request({ type: 'load', document: example });
    await client.request({ type: 'step', steps: 3 });
    // Stats follow the step's losses; wait for those of step 3.
    const last = () => events.filter((e) => e.type === 'stats').at(-1);
    await vi.waitFor(() => expect(last()).toMatchObject({ step: 3 }));
    const stats = last();
    if (stats?.type !== 'stats') throw new Error('no stats');
    const strips = new Map(stats.activations.map((a) => [`${a.nodeId}.${a.port}`, a.values]));
    // Class labels (integers) and the scalar loss have none.
    expect([...strips.keys()].sort()).toEqual(['act1.output', 'data.x', 'fc1.output', 'fc2.output']);
    const r = await client.request({
      type: 'inspect',
      target: { kind: 'output', nodeId: 'fc1', port: 'output' },
      full: true,
    });
    if (r.type !== 'inspection') throw new Error('inspection');
    expect(strips.get('fc1.output')).toEqual(r.inspection.values!.slice(0, 16));
    expect(strips.get('act1.output')!.every((v) => v >= 0)).toBe(true);
  });
});
