// Training graphs on the WebGPU backend: the same graph and seed give the CPU's loss curve and
// epoch metrics, and a training step frees its intermediates (GPU memory does not grow over
// 1,000 steps). Skipped, by name, without an adapter.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadGraph, type CheckedGraph } from '@hgrad/ir';
import * as hg from '@hgrad/engine';
import { gpuOrReason } from '../../../engine/test/webgpu-available.ts';
import { prepareRun, type EpochMetrics, type TrainingRun } from './index.ts';

const gpu = await gpuOrReason();

function load(name: string): CheckedGraph {
  const r = loadGraph(readFileSync(new URL(`../../../examples/${name}`, import.meta.url), 'utf8'));
  if (!r.ok) throw new Error(r.problems.map((p) => p.message).join('\n'));
  return r.graph;
}

async function run(graph: CheckedGraph, device: hg.Device, steps: number) {
  const { model, run } = await prepareRun(graph, { device });
  const losses: number[] = [];
  while (losses.length < steps) losses.push((await run.nextStep()).loss);
  return { model, run, losses };
}

async function finishEpoch(run: TrainingRun): Promise<EpochMetrics> {
  for (;;) {
    const p = await run.next();
    if (p.kind === 'epoch') return p.metrics;
  }
}

describe.skipIf(typeof gpu === 'string')(
  `WebGPU training of graphs${typeof gpu === 'string' ? ` (skipped: ${gpu})` : ''}`,
  () => {
    const backend = gpu as hg.WebGPUBackend;

    it('trains the blobs MLP to the CPU loss curve (60 steps, within 1e-4 relative)', async () => {
      const doc = load('mlp-blobs.hgrad.json');
      const cpu = await run(doc, 'cpu', 60);
      const onGpu = await run(doc, 'webgpu', 60);
      expect(onGpu.model.parameters()[0]!.device).toBe('webgpu');
      for (let i = 0; i < 60; i++)
        expect(Math.abs(onGpu.losses[i]! - cpu.losses[i]!)).toBeLessThan(1e-4 * cpu.losses[i]! + 1e-6);
      expect(cpu.losses[59]!).toBeLessThan(cpu.losses[0]! * 0.5);
      // The trained weights agree too.
      const cpuW = cpu.model.stateDict();
      for (const [name, t] of await onGpu.model.stateDictAsync()) {
        const want = Array.from(cpuW.get(name)!.dataSync());
        Array.from(t.dataSync()).forEach((v, i) => expect(Math.abs(v - want[i]!), name).toBeLessThan(1e-4));
      }
    });

    it('finishes an epoch with validation metrics read from the GPU', async () => {
      const doc = load('mlp-blobs.hgrad.json');
      const cpu = await run(doc, 'cpu', 1);
      const onGpu = await run(doc, 'webgpu', 1);
      const [a, b] = [await finishEpoch(cpu.run), await finishEpoch(onGpu.run)];
      expect(b.valLoss!).toBeCloseTo(a.valLoss!, 4);
      expect(b.valAccuracy).toBeCloseTo(a.valAccuracy!, 6);
      expect(b.trainAccuracy).toBeCloseTo(a.trainAccuracy!, 6);
    });

    it('does not grow GPU memory over 1,000 training steps', async () => {
      const doc = load('mlp-blobs.hgrad.json');
      const { run } = await prepareRun(doc, { device: 'webgpu' });
      let steps = 0;
      let warm: ReturnType<hg.WebGPUBackend['memory']> | null = null;
      while (steps < 1000) {
        if ((await run.next()).kind === 'epoch') continue;
        steps++;
        if (steps === 50) warm = backend.memory();
      }
      const end = backend.memory();
      // Nothing new is allocated after the first steps; what is in use can only shrink (tensors
      // of earlier tests are still being collected meanwhile).
      expect(end.allocatedBytes).toBe(warm!.allocatedBytes);
      expect(end.liveBuffers).toBeLessThanOrEqual(warm!.liveBuffers);
      expect(end.liveBytes).toBeLessThanOrEqual(warm!.liveBytes);
    });
  },
);
