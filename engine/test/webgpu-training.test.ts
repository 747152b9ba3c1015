// Training on the WebGPU backend: the same graph and seed give the CPU's loss curve, a training
// step frees its intermediates (GPU memory does not grow over 1,000 steps), and devices are
// moved between, mixed and read with clear errors. Skipped, by name, without an adapter.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { analyze, parseDocument, type GraphDocument } from '@hgrad/ir';
import * as hg from '../src/index.ts';
import { gpuOrReason } from './webgpu-available.ts';

const gpu = await gpuOrReason();

function load(name: string): GraphDocument {
  const r = parseDocument(readFileSync(new URL(`../../examples/${name}`, import.meta.url), 'utf8'));
  if (!r.ok) throw new Error(r.problems.map((p) => p.message).join('\n'));
  return r.document;
}

async function run(doc: GraphDocument, device: hg.Device, steps: number) {
  hg.manualSeed(doc.training!.seed);
  const model = hg.compileGraph(doc, analyze(doc));
  if (device !== 'cpu') model.to(device);
  const data = await hg.loadGraphDataset(doc.training!.dataset, doc.training!.seed);
  const run = new hg.TrainingRun(model, doc, data);
  const losses: number[] = [];
  while (losses.length < steps) {
    const loss = await run.nextStepAsync();
    if (loss === null) await run.finishEpochAsync();
    else losses.push(loss);
  }
  return { model, run, losses };
}

describe.skipIf(typeof gpu === 'string')(
  `WebGPU training${typeof gpu === 'string' ? ` (skipped: ${gpu})` : ''}`,
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
      while ((await cpu.run.nextStepAsync()) !== null);
      while ((await onGpu.run.nextStepAsync()) !== null);
      const [a, b] = [await cpu.run.finishEpochAsync(), await onGpu.run.finishEpochAsync()];
      expect(b.valLoss).toBeCloseTo(a.valLoss, 4);
      expect(b.valAccuracy).toBeCloseTo(a.valAccuracy!, 6);
      expect(b.trainAccuracy).toBeCloseTo(a.trainAccuracy!, 6);
    });

    it('runs the fused Adam, AdamW and SGD updates on the GPU along the CPU trajectory', async () => {
      const configs: Array<[string, (ps: hg.Tensor[]) => hg.optim.Optimizer]> = [
        ['Adam', (ps) => new hg.optim.Adam(ps, { lr: 0.05 })],
        ['AdamW', (ps) => new hg.optim.AdamW(ps, { lr: 0.05, weightDecay: 0.1 })],
        [
          'Adam (coupled decay, maximize)',
          (ps) => new hg.optim.Adam(ps, { lr: 0.05, weightDecay: 0.1, maximize: true }),
        ],
        ['SGD', (ps) => new hg.optim.SGD(ps, { lr: 0.1, weightDecay: 0.01 })],
        ['SGD (Nesterov)', (ps) => new hg.optim.SGD(ps, { lr: 0.1, momentum: 0.9, nesterov: true })],
        ['SGD (dampening)', (ps) => new hg.optim.SGD(ps, { lr: 0.1, momentum: 0.9, dampening: 0.3 })],
      ];
      for (const [name, make] of configs) {
        hg.manualSeed(1);
        const start = hg.randn([7, 5]);
        const target = hg.randn([7, 5]);
        const trajectory = async (device: hg.Device) => {
          const w = start.clone().to(device).requiresGrad_(true);
          const t = target.to(device);
          const opt = make([w]);
          for (let i = 0; i < 20; i++) {
            opt.zeroGrad();
            w.sub(t).square().sum().backward();
            opt.step();
          }
          return Array.from(await w.data());
        };
        const [cpu, onGpu] = [await trajectory('cpu'), await trajectory('webgpu')];
        onGpu.forEach((v, i) =>
          expect(Math.abs(v - cpu[i]!), `${name} [${i}]`).toBeLessThan(1e-5 * (1 + Math.abs(cpu[i]!))),
        );
      }
    });

    it("saves and restores a GPU optimizer's state", async () => {
      hg.manualSeed(2);
      const w = hg.randn([4, 3]).to('webgpu').requiresGrad_(true);
      const opt = new hg.optim.Adam([w], { lr: 0.1 });
      const step = () => {
        opt.zeroGrad();
        w.square().sum().backward();
        opt.step();
      };
      step();
      step();
      const saved = await opt.stateDictAsync();
      expect(() => opt.stateDict()).toThrow("this tensor is on 'webgpu'");
      expect(saved.state[0]!.step).toBe(2);
      const w2 = w.detach().clone().requiresGrad_(true);
      const opt2 = new hg.optim.Adam([w2], { lr: 0.1 });
      opt2.loadStateDict(saved);
      step();
      opt.zeroGrad();
      const [before] = [await w.data()];
      opt2.zeroGrad();
      w2.square().sum().backward();
      opt2.step();
      expect(Array.from(await w2.data())).toEqual(Array.from(before));
    });

    it('does not grow GPU memory over 1,000 training steps', async () => {
      const doc = load('mlp-blobs.hgrad.json');
      const model = hg.compileGraph(doc, analyze(doc)).to('webgpu');
      const data = await hg.loadGraphDataset(doc.training!.dataset, doc.training!.seed);
      const run = new hg.TrainingRun(model, doc, data);
      let steps = 0;
      let warm: ReturnType<hg.WebGPUBackend['memory']> | null = null;
      while (steps < 1000) {
        if ((await run.nextStepAsync()) === null) {
          await run.finishEpochAsync();
          continue;
        }
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

    it('frees what a tidy() scope made, except what it returns or keeps', async () => {
      const xc = hg.randn([64, 64]);
      const x = xc.to('webgpu');
      let kept: hg.Tensor | null = null;
      const step = () =>
        hg.tidy(() => {
          const a = x.matmul(x).relu();
          kept = hg.keep(a.sum(1));
          return a.mean();
        });
      hg.dispose([step(), kept]); // uploads the constants (the mean's divisor), which stay
      const before = backend.memory().liveBuffers - 1; // less x
      const y = step();
      expect(backend.memory().liveBuffers).toBe(before + 3); // x, y, kept
      expect((await y.data())[0]).toBeCloseTo(xc.matmul(xc).relu().mean().item(), 3);
      hg.dispose([x, y, kept]);
      expect(backend.memory().liveBuffers).toBe(before);
      expect(() => y.add(1)).toThrow(/memory was released.*tidy\(\) scope or by dispose\(\)/);
    });

    it('moves modules between devices, and explains what cannot be done synchronously', async () => {
      hg.manualSeed(3);
      const net = new hg.nn.Sequential(new hg.nn.Linear(4, 3), new hg.nn.ReLU(), new hg.nn.Linear(3, 2));
      const x = hg.randn([5, 4]);
      const want = net.forward(x).tolist();
      net.to('webgpu');
      const out = net.forward(x.to('webgpu'));
      expect(out.device).toBe('webgpu');
      expect(() => out.tolist()).toThrow(
        "this tensor is on 'webgpu', whose memory can only be read asynchronously: use `await t.data()`",
      );
      expect(() => out.to('cpu')).toThrow("use `await t.toAsync('cpu')`");
      expect(String(out)).toBe(
        "tensor(<10 values on webgpu: await t.tolistAsync() to read>, size=[5, 2], dtype=float32, device='webgpu')",
      );
      expect(() => net.forward(x)).toThrow(
        /expected all tensors to be on the same device, but found (webgpu and cpu|cpu and webgpu)/,
      );
      expect(() => hg.tensor([1.5], { dtype: 'float64', device: 'webgpu' })).toThrow(
        'float64 is not supported',
      );
      await net.toAsync('cpu');
      const back = net.forward(x).tolist() as number[][];
      back.flat().forEach((v, i) => expect(v).toBeCloseTo((want as number[][]).flat()[i]!, 5));
    });
  },
);
