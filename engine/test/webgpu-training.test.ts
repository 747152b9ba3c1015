// The WebGPU backend under training workloads: fused optimizer updates follow the CPU
// trajectory, optimizer state saves and restores, tidy() scopes free what they made, and modules
// move between devices with clear errors. Skipped, by name, without an adapter.
import { describe, expect, it } from 'vitest';
import * as hg from '../src/index.ts';
import { gpuOrReason } from './webgpu-available.ts';

const gpu = await gpuOrReason();

describe.skipIf(typeof gpu === 'string')(
  `WebGPU training${typeof gpu === 'string' ? ` (skipped: ${gpu})` : ''}`,
  () => {
    const backend = gpu as hg.WebGPUBackend;

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

    it('runs a batch-first, two-layer nn.RNN (its fused time loop) as the CPU does', async () => {
      hg.manualSeed(3);
      const cpu = new hg.nn.RNN(6, 10, { batchFirst: true, numLayers: 2 });
      const onGpu = new hg.nn.RNN(6, 10, { batchFirst: true, numLayers: 2 });
      onGpu.loadStateDict(cpu.stateDict());
      onGpu.to(backend.device);
      const x = hg.randn([3, 5, 6]);
      const [a] = cpu.forward(x);
      const [b] = onGpu.forward(x.to(backend.device));
      a.square().sum().backward();
      b.square().sum().backward();
      const close = async (t: hg.Tensor, want: hg.Tensor) =>
        expect(hg.allclose(await t.toAsync('cpu'), want, { rtol: 1e-4, atol: 1e-5 })).toBe(true);
      await close(b, a);
      const grads = new Map(onGpu.namedParameters());
      for (const [name, p] of cpu.namedParameters()) await close(grads.get(name)!.grad!, p.grad!);
    });
  },
);
