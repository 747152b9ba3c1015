// The runtime with a document whose training device is 'webgpu': in a worker_thread with Dawn,
// training streams the same losses as the CPU, and everything the studio asks for (stats,
// inspection, weights, decision boundary, step-through) is answered from the GPU model. Where
// no adapter exists, loading says so and trains on the CPU.
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import * as hg from '@hgrad/engine';
import type { RuntimeEvent } from '@hgrad/protocol';
import { startNodeRuntime } from './node-client.ts';

const example = JSON.parse(
  readFileSync(new URL('../../../examples/mlp-blobs.hgrad.json', import.meta.url), 'utf8'),
);
const onDevice = (device: string) => ({ ...example, training: { ...example.training, device } });
const gpu = await hg.initWebGPU().catch((e: Error) => e.message);

const workers: { terminate(): Promise<number> }[] = [];
afterEach(async () => {
  await Promise.all(workers.splice(0).map((w) => w.terminate()));
});

function start() {
  const { client, worker } = startNodeRuntime();
  workers.push(worker);
  const events: RuntimeEvent[] = [];
  client.on((e) => events.push(e));
  return { client, events };
}

describe('runtime on WebGPU', () => {
  it(`loads on ${typeof gpu === 'string' ? 'the CPU, saying why (no adapter here)' : 'the GPU'} and trains the CPU's loss curve`, async () => {
    const cpu = start();
    await cpu.client.request({ type: 'load', document: onDevice('cpu') });
    await cpu.client.request({ type: 'runEpoch' });

    const { client, events } = start();
    const loaded = await client.request({ type: 'load', document: onDevice('webgpu') });
    if (typeof gpu === 'string') {
      expect(loaded).toMatchObject({
        type: 'loaded',
        device: 'cpu',
        deviceFallback: expect.stringContaining('WebGPU is not available'),
      });
      return;
    }
    expect(loaded).toMatchObject({
      type: 'loaded',
      device: 'webgpu',
      compute: `WebGPU on ${gpu.info.adapter}`,
    });
    expect(loaded.type === 'loaded' && loaded.deviceFallback).toBeUndefined();
    await client.request({ type: 'runEpoch' });
    expect(client.lossHistory.length).toBe(cpu.client.lossHistory.length);
    client.lossHistory.forEach((l, i) => expect(Math.abs(l - cpu.client.lossHistory[i]!)).toBeLessThan(1e-4));
    const epochs = events.find((e) => e.type === 'epochs');
    expect(epochs?.type === 'epochs' && epochs.closed[0]!.report.valAccuracy).toBeGreaterThan(0.5);

    // Stats (gradient and weight norms) arrive with real values.
    const stats = events.filter((e) => e.type === 'stats').at(-1);
    expect(stats?.type === 'stats' && stats.params.every((p) => p.weightNorm > 0 && p.gradNorm > 0)).toBe(
      true,
    );

    // Weights read back from the GPU equal the CPU run's.
    const [a, b] = await Promise.all([
      cpu.client.request({ type: 'getWeights' }),
      client.request({ type: 'getWeights' }),
    ]);
    if (a.type !== 'weights' || b.type !== 'weights') throw new Error('weights');
    const [wa, wb] = [a, b].map((w) => hg.loadSafetensors(new Uint8Array(w.safetensors)).tensors);
    for (const [name, t] of wa!)
      Array.from(wb!.get(name)!.dataSync()).forEach((v, i) =>
        expect(Math.abs(v - t.dataSync()[i]!)).toBeLessThan(1e-4),
      );

    const inspected = await client.request({
      type: 'inspect',
      target: { kind: 'parameter', name: 'fc1.weight' },
    });
    expect(inspected.type === 'inspection' && inspected.inspection.shape).toEqual([16, 2]);
    const boundary = await client.request({ type: 'decisionBoundary', resolution: 8 });
    expect(boundary.type === 'decisionBoundary' && boundary.boundary?.classes.length).toBe(64);
    const debug = await client.request({ type: 'debug', action: 'start' });
    expect(debug.type === 'debug' && debug.plan.length).toBeGreaterThan(0);
  });
});
