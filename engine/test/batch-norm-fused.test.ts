// Batch norm in training as one op (ops/batch-norm.ts, backend/wasm/batchnorm.wat) against the
// composed ops (the path taken with the WebAssembly elementwise kernels switched off): the same
// output and running statistics bit for bit; gradients equal to float64 ones from the composed
// ops and to float64 finite differences; a gradient's graph (createGraph) from the composed
// formula. The PyTorch fixtures (nn-parity) run through the fused op too.
import { afterEach, describe, expect, it } from 'vitest';
import * as hg from '../src/index.ts';
import { nn } from '../src/index.ts';

const bits = (t: hg.Tensor) => Array.from(new Uint32Array(Float32Array.from(t.dataSync()).buffer));

/** The largest |a − b| relative to b's largest magnitude. */
function relError(a: hg.Tensor, b: hg.Tensor): number {
  const [x, y] = [a.dataSync(), b.dataSync()];
  let [worst, scale] = [0, 1e-12];
  for (let i = 0; i < y.length; i++) {
    worst = Math.max(worst, Math.abs(Number(x[i]) - Number(y[i])));
    scale = Math.max(scale, Math.abs(Number(y[i])));
  }
  return worst / scale;
}

type Shape = readonly number[];

/** A batch-norm layer for x's rank: BatchNorm1d for [n, C] and [n, C, L], else BatchNorm2d. */
function layer(shape: Shape, affine: boolean, dtype: 'float32' | 'float64' = 'float32') {
  const C = shape[1]!;
  const m = shape.length === 4 ? new nn.BatchNorm2d(C, { affine }) : new nn.BatchNorm1d(C, { affine });
  if (affine) {
    // Weights and biases away from 1 and 0, so that a slip in either shows.
    hg.noGrad(() => {
      m.weight!.copy_(hg.rand([C]).add(0.5));
      m.bias!.copy_(hg.randn([C]));
    });
  }
  return dtype === 'float64' ? m.double() : m;
}

/** One training step's values: output, statistics, and every gradient of Σ y·w. */
function step(
  shape: Shape,
  affine: boolean,
  {
    fused = true,
    scope = false,
    dtype = 'float32',
  }: { fused?: boolean; scope?: boolean; dtype?: 'float32' | 'float64' } = {},
) {
  hg.setWasmElementwise(fused);
  hg.manualSeed(11);
  const m = layer(shape, affine, dtype);
  const x = hg
    .randn([...shape])
    .mul(2)
    .add(0.5)
    .to(dtype)
    .requiresGrad_();
  const w = hg.randn([...shape]).to(dtype);
  const run = () => {
    const y = m.forward(x);
    y.mul(w).sum().backward();
    return y.detach().clone();
  };
  const y = scope ? hg.tidy(run) : run();
  const out = {
    y,
    name: m.forward(x).gradFn?.name,
    x: x.grad!,
    weight: m.weight?.grad ?? null,
    bias: m.bias?.grad ?? null,
    mean: m.running_mean!.clone(),
    variance: m.running_var!.clone(),
  };
  hg.setWasmElementwise(true);
  return out;
}

const SHAPES: [string, Shape, boolean][] = [
  ['BatchNorm2d, 16 channels of 9×9 (a scalar tail per row)', [6, 16, 9, 9], true],
  ['BatchNorm2d without affine, 3 channels (singles only)', [4, 3, 5, 5], false],
  ['BatchNorm1d on [n, C, L], 7 channels (a group and singles), L = 13', [5, 7, 13], true],
  ['BatchNorm1d on [n, C] (L = 1)', [10, 6], true],
  ['BatchNorm2d on 1×1 planes, 9 channels', [3, 9, 1, 1], true],
];

describe('batch norm in training as one op', () => {
  afterEach(() => hg.setWasmElementwise(true));

  for (const [label, shape, affine] of SHAPES)
    it(`${label}: the composed output and statistics bit for bit, float64 gradients`, () => {
      for (const scope of [false, true]) {
        const fused = step(shape, affine, { scope });
        const composed = step(shape, affine, { fused: false, scope });
        const exact = step(shape, affine, { fused: false, scope, dtype: 'float64' });
        expect(fused.name).toBe('NativeBatchNormBackward0');
        expect(composed.name).not.toBe('NativeBatchNormBackward0');
        expect(bits(fused.y)).toEqual(bits(composed.y));
        expect(bits(fused.mean)).toEqual(bits(composed.mean));
        expect(bits(fused.variance)).toEqual(bits(composed.variance));
        expect(relError(fused.x, exact.x)).toBeLessThan(2e-6);
        if (affine) {
          expect(relError(fused.weight!, exact.weight!)).toBeLessThan(2e-6);
          expect(relError(fused.bias!, exact.bias!)).toBeLessThan(2e-6);
        } else expect(fused.weight).toBeNull();
      }
    });

  it('gradients equal float64 central differences of the loss', () => {
    const shape = [4, 5, 3, 3];
    hg.manualSeed(2);
    const m = layer(shape, true);
    const x0 = hg.randn(shape).mul(1.5);
    const w = hg.randn(shape);
    const x = x0.clone().requiresGrad_();
    m.forward(x).mul(w).sum().backward();
    // The loss in float64 from the composed ops (the same layer's parameters).
    const weight = m.weight!.detach().double();
    const bias = m.bias!.detach().double();
    const loss = (v: Float64Array): number =>
      hg.F.batchNorm(hg.tensor(Array.from(v), { dtype: 'float64' }).reshape(shape), null, null, {
        weight,
        bias,
        training: true,
      })
        .mul(w.double())
        .sum()
        .item();
    const base = Float64Array.from(x0.dataSync());
    const grad = x.grad!.dataSync();
    const h = 1e-6;
    for (const i of [0, 7, 44, 93, 179]) {
      const [up, down] = [base.slice(), base.slice()];
      up[i]! += h;
      down[i]! -= h;
      const numeric = (loss(up) - loss(down)) / (2 * h);
      expect(Math.abs(grad[i]! - numeric), `x[${i}]`).toBeLessThan(1e-4 * Math.max(1, Math.abs(numeric)));
    }
  });

  it('without a gradient for the input (a first layer): only the weight and bias gradients', () => {
    hg.manualSeed(5);
    const m = layer([8, 4, 6, 6], true);
    const x = hg.randn([8, 4, 6, 6]);
    const g = hg.randn([8, 4, 6, 6]);
    m.forward(x).backward(g);
    const exact = layer([8, 4, 6, 6], true, 'float64');
    exact.loadStateDict(m.stateDict());
    // (The second forward moved the running statistics: only the gradients are compared.)
    exact.forward(x.double()).backward(g.double());
    expect(relError(m.weight!.grad!, exact.weight!.grad!)).toBeLessThan(2e-6);
    expect(relError(m.bias!.grad!, exact.bias!.grad!)).toBeLessThan(2e-6);
    expect(x.grad).toBeNull();
  });

  it('a gradient of the gradient (createGraph): the composed formula, equal to the composed ops’', () => {
    const second = (fused: boolean) => {
      hg.setWasmElementwise(fused);
      hg.manualSeed(9);
      const m = layer([6, 3, 4, 4], true);
      const x = hg.randn([6, 3, 4, 4]).requiresGrad_();
      const y = m.forward(x);
      const [gx] = hg.grad([y.pow(3).sum()], [x], { createGraph: true });
      const [ggx, ggw] = hg.grad([gx!.square().sum()], [x, m.weight!]);
      return { gx: gx!, ggx: ggx!, ggw: ggw!, name: y.gradFn?.name };
    };
    const fused = second(true);
    const composed = second(false);
    expect(fused.name).toBe('NativeBatchNormBackward0');
    expect(relError(fused.gx, composed.gx)).toBeLessThan(1e-5);
    expect(relError(fused.ggx, composed.ggx)).toBeLessThan(1e-4);
    expect(relError(fused.ggw, composed.ggw)).toBeLessThan(1e-4);
  });

  it('an input changed in place after the forward is refused at the backward', () => {
    const m = layer([4, 2, 3, 3], true);
    const x = hg.randn([4, 2, 3, 3]).requiresGrad_();
    const h = x.mul(1);
    const y = m.forward(h);
    hg.noGrad(() => h.add_(1));
    expect(() => y.sum().backward()).toThrow(/modified by an inplace operation/);
  });

  it('eval mode: without a gradient, one kernel pass equal to the composed ops bit for bit; with one, the composed ops', () => {
    const evalRun = (fused: boolean, shape: Shape) => {
      hg.setWasmElementwise(fused);
      hg.manualSeed(21);
      const m = layer(shape, true);
      // Running statistics away from 0 and 1.
      hg.noGrad(() => {
        m.running_mean!.copy_(hg.randn([shape[1]!]));
        m.running_var!.copy_(hg.rand([shape[1]!]).add(0.2));
      });
      m.eval();
      const x = hg.randn([...shape]).mul(2);
      const before = hg.wasmElementwiseStats.calls;
      const y = hg.noGrad(() => m.forward(x));
      return { y, calls: hg.wasmElementwiseStats.calls - before, m, x };
    };
    for (const shape of [
      [4, 3, 5, 5],
      [6, 7, 13],
      [9, 5],
    ] as Shape[]) {
      const fused = evalRun(true, shape);
      const composed = evalRun(false, shape);
      expect(bits(fused.y)).toEqual(bits(composed.y));
      expect(fused.calls).toBe(1);
      // With a gradient wanted (a saliency map through a model in eval mode): the composed ops.
      hg.setWasmElementwise(true);
      const leaf = fused.x.clone().requiresGrad_();
      const y = fused.m.forward(leaf);
      expect(y.gradFn?.name).toBe('AddBackward0');
      expect(bits(y.detach())).toEqual(bits(composed.y));
    }
    const m = layer([4, 3, 5, 5], true).double();
    expect(m.forward(hg.randn([4, 3, 5, 5]).double().requiresGrad_()).gradFn?.name).not.toBe(
      'NativeBatchNormBackward0',
    );
  });
});

describe("layer norm's statistics through the same op", () => {
  afterEach(() => hg.setWasmElementwise(true));

  const run = (
    shape: Shape,
    normalized: number[],
    fused: boolean,
    dtype: 'float32' | 'float64' = 'float32',
  ) => {
    hg.setWasmElementwise(fused);
    hg.manualSeed(13);
    const m = new nn.LayerNorm(normalized);
    hg.noGrad(() => {
      m.weight!.copy_(hg.rand(normalized).add(0.5));
      m.bias!.copy_(hg.randn(normalized));
    });
    if (dtype === 'float64') m.double();
    const x = hg
      .randn([...shape])
      .mul(3)
      .sub(1)
      .to(dtype)
      .requiresGrad_();
    const g = hg.randn([...shape]).to(dtype);
    const y = m.forward(x);
    y.backward(g);
    return { y, x: x.grad!, weight: m.weight!.grad!, bias: m.bias!.grad!, fusedOp: holdsBatchNorm(y) };
  };

  for (const [shape, normalized] of [
    [[5, 7, 12], [12]],
    [
      [4, 6, 10],
      [6, 10],
    ],
    [[3, 33], [33]],
  ] as [Shape, number[]][])
    it(`LayerNorm(${JSON.stringify(normalized)}) on ${JSON.stringify(shape)}: the composed output bit for bit, float64 gradients`, () => {
      const fused = run(shape, normalized, true);
      const composed = run(shape, normalized, false);
      const exact = run(shape, normalized, false, 'float64');
      expect(fused.fusedOp).toBe(true);
      expect(composed.fusedOp).toBe(false);
      expect(bits(fused.y)).toEqual(bits(composed.y));
      expect(relError(fused.x, exact.x)).toBeLessThan(2e-6);
      expect(relError(fused.weight, exact.weight)).toBeLessThan(2e-6);
      expect(relError(fused.bias, exact.bias)).toBeLessThan(2e-6);
    });
});

/** Whether y's graph holds the batch-norm op. */
function holdsBatchNorm(y: hg.Tensor): boolean {
  const seen = new Set<unknown>();
  const walk = (node: typeof y.gradFn): boolean => {
    if (!node || seen.has(node)) return false;
    seen.add(node);
    return node.name === 'NativeBatchNormBackward0' || node.next.some((n) => walk(n));
  };
  return walk(y.gradFn);
}

describe("group norm's statistics through the same op", () => {
  afterEach(() => hg.setWasmElementwise(true));

  it('GroupNorm(3, 6) on [4, 6, 5, 7]: the composed output bit for bit, float64 gradients', () => {
    const run = (fused: boolean, dtype: 'float32' | 'float64' = 'float32') => {
      hg.setWasmElementwise(fused);
      hg.manualSeed(17);
      const m = new nn.GroupNorm(3, 6);
      hg.noGrad(() => {
        m.weight!.copy_(hg.rand([6]).add(0.5));
        m.bias!.copy_(hg.randn([6]));
      });
      if (dtype === 'float64') m.double();
      const x = hg.randn([4, 6, 5, 7]).mul(2).to(dtype).requiresGrad_();
      const y = m.forward(x);
      y.backward(hg.randn([4, 6, 5, 7]).to(dtype));
      return { y, x: x.grad!, weight: m.weight!.grad!, fusedOp: holdsBatchNorm(y) };
    };
    const [fused, composed, exact] = [run(true), run(false), run(false, 'float64')];
    expect([fused.fusedOp, composed.fusedOp]).toEqual([true, false]);
    expect(bits(fused.y)).toEqual(bits(composed.y));
    expect(relError(fused.x, exact.x)).toBeLessThan(2e-6);
    expect(relError(fused.weight, exact.weight)).toBeLessThan(2e-6);
  });
});
