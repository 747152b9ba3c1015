// Fused CPU kernels that replace a chain of composed ops on the hot path: each equals the chain
// it replaces bit for bit (NaN, ±0 and ±∞ included), on contiguous and strided inputs, and stays
// differentiable twice.
import { describe, expect, it } from 'vitest';
import * as hg from '../src/index.ts';
import { thresholdBackward } from '../src/ops/threshold.ts';

const bits = (t: hg.Tensor) =>
  Array.from(new Uint32Array(Float32Array.from(t.dataSync() as Float32Array).buffer));

describe("ReLU's backward (threshold_backward) in one pass", () => {
  const special = [NaN, -0, 0, 1e-30, -1e-30, Infinity, -Infinity, 2.5, -3];
  it('equals where(out > 0, g, 0) bit for bit, special values included', () => {
    hg.manualSeed(3);
    const out = hg.tensor([...special, ...(hg.randn([2048]).tolist() as number[])]);
    const g = hg.tensor([
      ...special.map((_, i) => special[(i + 4) % special.length]!),
      ...(hg.randn([2048]).tolist() as number[]),
    ]);
    expect(bits(thresholdBackward(g, out))).toEqual(bits(hg.where(hg.gt(out, 0), g, 0)));
    expect(bits(thresholdBackward(g, out, 1))).toEqual(bits(hg.where(hg.gt(out, 1), g, 0)));
  });

  it('takes strided views and offsets (the composed path) with the same values', () => {
    hg.manualSeed(4);
    const out = hg.randn([6, 5]).relu();
    const g = hg.randn([5, 6]).t();
    expect(bits(thresholdBackward(g, out))).toEqual(bits(hg.where(hg.gt(out, 0), g, 0)));
    const gs = hg.randn([40]).narrow(0, 7, 30).reshape(6, 5);
    expect(bits(thresholdBackward(gs, out))).toEqual(bits(hg.where(hg.gt(out, 0), gs, 0)));
  });

  it('is what relu().backward() gives, and gradients of gradients match float64 differences', () => {
    hg.manualSeed(5);
    const x = hg.randn([4, 7], { requiresGrad: true });
    const r = hg.randn([4, 7]);
    x.relu().mul(r).sum().backward();
    expect(bits(x.grad!)).toEqual(bits(hg.where(hg.gt(x.detach(), 0), r, 0)));
    const x64 = hg.randn([3, 4], { dtype: 'float64' }).add(0.1).requiresGrad_();
    const f = (t: hg.Tensor) => t.relu().square().mul(t);
    expect(hg.gradcheck(f, [x64])).toBe(true);
    expect(hg.gradgradcheck(f, [x64])).toBe(true);
    // float32 through the fused kernel: d/dg of threshold_backward is threshold_backward.
    const g = hg.randn([4, 7], { requiresGrad: true });
    const out = hg.randn([4, 7]).relu();
    const [gg] = hg.grad([thresholdBackward(g, out).mul(r).sum()], [g]);
    expect(bits(gg!)).toEqual(bits(hg.where(hg.gt(out, 0), r, 0)));
  });
});
