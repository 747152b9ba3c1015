// WebGPU kernel paths the conformance table's small cases do not reach: both matmul programs
// (vec4-packed and strided) over awkward sizes, transposed and batched views; reductions and
// elementwise ops over more elements than one dispatch row holds; scatter-add collisions.
// Each is compared with the CPU backend. Skipped, by name, without an adapter.
import { describe, expect, it } from 'vitest';
import * as hg from '../src/index.ts';
import { closeness } from './fixture.ts';
import { gpuOrReason } from './webgpu-available.ts';

const gpu = await gpuOrReason();

async function agree(cpu: hg.Tensor, onGpu: hg.Tensor, rtol = 1e-4): Promise<void> {
  expect(onGpu.shape).toEqual(cpu.shape);
  const want = Array.from(cpu.dataSync());
  const got = Array.from(await onGpu.data());
  const scale = want.reduce((m, v) => Math.max(m, Math.abs(v)), 1);
  const worst = closeness(got, want, rtol, 1e-5 * scale);
  expect(worst.index, `index ${worst.index}: ${worst.actual} vs ${worst.expected}`).toBe(-1);
}

describe.skipIf(typeof gpu === 'string')(
  `WebGPU kernels${typeof gpu === 'string' ? ` (skipped: ${gpu})` : ''}`,
  () => {
    it.each([
      ['packed', [64, 32], [32, 64]],
      ['packed, ragged M and K', [37, 20], [20, 8]],
      ['strided: N not a multiple of 4', [33, 17], [17, 30]],
      ['one row', [1, 128], [128, 256]],
      ['larger than a tile in every dim', [130, 70], [70, 100]],
    ])('matmul %s', async (_name, sa, sb) => {
      hg.manualSeed(7);
      const [a, b] = [hg.randn(sa), hg.randn(sb)];
      await agree(a.matmul(b), a.to('webgpu').matmul(b.to('webgpu')));
    });

    it('matmul of transposed, batched and broadcast views (and their gradients)', async () => {
      hg.manualSeed(8);
      const a = hg.randn([3, 20, 12]);
      const b = hg.randn([16, 20]);
      const cpu = a.transpose(-2, -1).matmul(b.t());
      const [ga, gb] = [a.to('webgpu').requiresGrad_(true), b.to('webgpu').requiresGrad_(true)];
      const onGpu = ga.transpose(-2, -1).matmul(gb.t());
      await agree(cpu, onGpu);
      const [ca, cb] = [a.clone().requiresGrad_(true), b.clone().requiresGrad_(true)];
      ca.transpose(-2, -1).matmul(cb.t()).square().sum().backward();
      onGpu.square().sum().backward();
      await agree(ca.grad!, ga.grad!);
      await agree(cb.grad!, gb.grad!);
    });

    it('elementwise and reductions over 5 million values (a two-dimensional dispatch)', async () => {
      const x = hg.rand([5_000_000]);
      const g = x.to('webgpu');
      await agree(x.mul(2).sub(1).tanh(), g.mul(2).sub(1).tanh());
      const [s, gs] = [x.sum(), g.sum()];
      expect(Math.abs((await gs.data())[0]! - s.item()) / s.item()).toBeLessThan(1e-5);
      const r = x.reshape(1000, 5000);
      await agree(r.amax(1), g.reshape(1000, 5000).amax(1));
      await agree(r.sum(0), g.reshape(1000, 5000).sum(0), 1e-4);
    });

    it('argmax, argmin and cumsum along a dim longer than one invocation may loop', async () => {
      const n = 300_000;
      const x = hg.rand([n]);
      const g = x.to('webgpu');
      expect((await g.argmax().data())[0]).toBe(x.argmax().item());
      expect((await g.argmin().data())[0]).toBe(x.argmin().item());
      // Ties and NaN: the first one wins.
      const ties = hg.zeros([2, 9000]).to('webgpu');
      expect(await ties.argmax(1).tolistAsync()).toEqual([0, 0]);
      const withNan = hg.arange(9000).float();
      const nanAt = hg.where(hg.arange(9000).eq(7000), NaN, withNan);
      expect((await nanAt.to('webgpu').argmax().data())[0]).toBe(7000);
      const ones = hg.ones([3, n]);
      const sums = await ones.to('webgpu').cumsum(1).data();
      expect([sums[n - 1], sums[n], sums[3 * n - 1], sums[5000]]).toEqual([n, 1, n, 5001]);
      await agree(x.reshape(600, 500).cumsum(0), g.reshape(600, 500).cumsum(0), 1e-4);
    });

    it('adds colliding scatter-add updates exactly once each (embedding gradients)', async () => {
      hg.manualSeed(9);
      const idx = hg.randint(0, 5, [4000]);
      const w = hg.randn([5, 3]);
      const cpu = w.clone().requiresGrad_(true);
      const onGpu = w.to('webgpu').requiresGrad_(true);
      cpu.indexSelect(0, idx).sum().backward();
      onGpu.indexSelect(0, idx.to('webgpu')).sum().backward();
      expect(await onGpu.grad!.tolistAsync()).toEqual(cpu.grad!.tolist());
    });
  },
);
