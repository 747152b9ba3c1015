// Fused CPU kernels that replace a chain of composed ops on the hot path: each equals the chain
// it replaces bit for bit (NaN, ±0 and ±∞ included), on contiguous and strided inputs, and stays
// differentiable twice.
import { afterEach, describe, expect, it } from 'vitest';
import * as hg from '../src/index.ts';
import { sigmoidBackward, tanhBackward, thresholdBackward } from '../src/ops/activation-grad.ts';
import { setWasmElementwise, wasmElementwiseStats } from '../src/backend/wasm/elementwise.ts';

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
    // 2,057 values: the WebAssembly SIMD kernel (tail lanes included), then the scalar loop.
    for (const wasm of [true, false]) {
      setWasmElementwise(wasm);
      const calls = wasmElementwiseStats.calls;
      expect(bits(thresholdBackward(g, out))).toEqual(bits(hg.where(hg.gt(out, 0), g, 0)));
      expect(bits(thresholdBackward(g, out, 1))).toEqual(bits(hg.where(hg.gt(out, 1), g, 0)));
      expect(bits(thresholdBackward(g, out, -2.5))).toEqual(bits(hg.where(hg.gt(out, -2.5), g, 0)));
      expect(wasmElementwiseStats.calls - calls).toBe(wasm ? 3 : 0);
      // A threshold that float32 cannot hold compares in double (the scalar loop, either way).
      expect(bits(thresholdBackward(g, out, 0.1))).toEqual(bits(hg.where(hg.gt(out, 0.1), g, 0)));
      expect(wasmElementwiseStats.calls - calls).toBe(wasm ? 3 : 0);
    }
    setWasmElementwise(true);
  });

  it('where() over float32 under a bool mask keeps each side’s bits (a NaN payload, −0), dense, broadcast and strided', () => {
    const a = new Float32Array([NaN, -0, 0, 1.5, -Infinity, 3, -2, 7]);
    new Uint32Array(a.buffer)[0] = 0x7fc01234; // a NaN with a payload
    const b = new Float32Array([-0, NaN, 4, -1e-30, 0, -0, 9, Infinity]);
    const mask = [1, 0, 1, 0, 1, 0, 0, 1];
    const expected = (take: (i: number) => [number, number]) =>
      mask.map((m, i) => {
        const [ai, bi] = take(i);
        return new Uint32Array((m ? a : b).buffer)[m ? ai : bi]!;
      });
    const [ta, tb, tm] = [hg.tensor(a), hg.tensor(b), hg.tensor(mask).bool()];
    expect(bits(hg.where(tm, ta, tb))).toEqual(expected((i) => [i, i]));
    // A number on one side, and a reversed (strided) view on the other.
    expect(bits(hg.where(tm, ta, 0))).toEqual(mask.map((m, i) => (m ? new Uint32Array(a.buffer)[i]! : 0)));
    expect(bits(hg.where(tm, ta.flip(0), tb))).toEqual(expected((i) => [7 - i, i]));
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

describe("tanh's and sigmoid's backward (tanh_backward, sigmoid_backward) in one pass", () => {
  const special = [NaN, -0, 0, 1, -1, 0.5, Infinity, -Infinity, 1e-20, 3.5];
  const cases = [
    ['tanh', tanhBackward, (g: hg.Tensor, y: hg.Tensor) => g.mul(hg.sub(1, y.mul(y)))],
    ['sigmoid', sigmoidBackward, (g: hg.Tensor, y: hg.Tensor) => g.mul(y.mul(hg.sub(1, y)))],
  ] as const;
  for (const [name, fused, composed] of cases) {
    it(`${name}: equals the composed ops bit for bit, special values and strided views included`, () => {
      hg.manualSeed(8);
      const y = hg.tensor([...special, ...(hg.rand([3000]).tolist() as number[])]);
      const g = hg.tensor([
        ...special.map((_, i) => special[(i + 3) % special.length]!),
        ...(hg.randn([3000]).tolist() as number[]),
      ]);
      // 3,010 values: WebAssembly SIMD (tail lanes included), then the TypeScript loop; and a
      // small tensor, which takes the loop either way.
      for (const wasm of [true, false]) {
        setWasmElementwise(wasm);
        const calls = wasmElementwiseStats.calls;
        const once = bits(fused(g, y));
        expect(wasmElementwiseStats.calls - calls).toBe(wasm ? 1 : 0);
        expect(once).toEqual(bits(composed(g, y)));
        expect(bits(fused(g.narrow(0, 0, 37), y.narrow(0, 0, 37)))).toEqual(
          bits(composed(g.narrow(0, 0, 37), y.narrow(0, 0, 37))),
        );
      }
      setWasmElementwise(true);
      const gs = hg.randn([5, 6]).t();
      const ys = hg.rand([6, 5]);
      expect(bits(fused(gs, ys))).toEqual(bits(composed(gs, ys)));
    });

    it(`${name}: is what ${name}().backward() gives, and its own gradients match float64 differences`, () => {
      hg.manualSeed(9);
      const x = hg.randn([4, 9], { requiresGrad: true });
      const r = hg.randn([4, 9]);
      const y = name === 'tanh' ? x.tanh() : x.sigmoid();
      y.mul(r).sum().backward();
      expect(bits(x.grad!)).toEqual(bits(composed(r, y.detach())));
      const x64 = hg.randn([3, 4], { dtype: 'float64', requiresGrad: true });
      const f = (t: hg.Tensor) => (name === 'tanh' ? t.tanh() : t.sigmoid()).square().mul(t);
      expect(hg.gradcheck(f, [x64])).toBe(true);
      expect(hg.gradgradcheck(f, [x64])).toBe(true);
      // float32 through the fused kernel: gradients of gradients agree with the composed ops.
      const g = hg.randn([4, 9], { requiresGrad: true });
      const yy = hg.rand([4, 9], { requiresGrad: true });
      const [a1, a2] = hg.grad([fused(g, yy).mul(r).sum()], [g, yy]);
      const [b1, b2] = hg.grad([composed(g, yy).mul(r).sum()], [g, yy]);
      expect(bits(a1!)).toEqual(bits(b1!));
      expect(a2!.sub(b2!).abs().max().item()).toBeLessThan(1e-6);
    });
  }
});

describe("softmax's and log-softmax's backward in one pass", () => {
  afterEach(() => hg.setWasmElementwise(true));
  for (const name of ['softmax', 'logSoftmax'] as const)
    for (const wasm of [true, false])
      it(`${name}${wasm ? '' : ' (TypeScript kernels)'}: the same bits as the composed formula (which gradients of gradients use)`, () => {
        hg.setWasmElementwise(wasm);
        hg.manualSeed(31);
        // Rows of 65 (a char-RNN's classes) with a spread of magnitudes, and a sparse gradient like
        // cross-entropy's next to a dense one.
        const x = hg.randn([40, 65]).mul(hg.rand([40, 65]).mul(30));
        const dense = hg.randn([40, 65]);
        const sparse = hg.zeros([40, 65]).scatter(1, hg.randint(0, 65, [40, 1]), -1 / 40);
        for (const g of [dense, sparse]) {
          const one = x.detach().requiresGrad_();
          const [fast] = hg.grad([one[name](-1)], [one], { gradOutputs: [g] });
          const two = x.detach().requiresGrad_();
          const [composed] = hg.grad([two[name](-1)], [two], { gradOutputs: [g], createGraph: true });
          expect(bits(fast!)).toEqual(bits(composed!));
        }
      });
});
