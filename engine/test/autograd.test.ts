// Autograd semantics: accumulation, retained graphs, hooks, retainGrad, detach, grad modes,
// the functional grad() API with createGraph, deep chains, and anomaly detection.
import { describe, expect, it } from 'vitest';
import * as hg from '../src/index.ts';

const leaf = (values: number[]) => hg.tensor(values, { dtype: 'float64', requiresGrad: true });

describe('backward', () => {
  it('accumulates into leaves across calls and sums fan-in', () => {
    const x = leaf([1, 2, 3]);
    x.mul(x).add(x).sum().backward();
    expect(x.grad!.tolist()).toEqual([3, 5, 7]);
    x.mul(2).sum().backward();
    expect(x.grad!.tolist()).toEqual([5, 7, 9]);
  });

  it('reduces broadcast gradients to each input shape', () => {
    const a = leaf([1, 2, 3]).reshape(3, 1);
    const b = leaf([10, 20]);
    a.retainGrad();
    a.add(b).sum().backward();
    expect(a.grad!.tolist()).toEqual([[2], [2], [2]]);
    expect(b.grad!.tolist()).toEqual([3, 3]);
  });

  it('needs an explicit gradient for non-scalar outputs', () => {
    const x = leaf([1, 2]);
    expect(() => x.mul(2).backward()).toThrow(
      'backward: grad can be implicitly created only for scalar outputs (got shape [2])',
    );
    x.mul(2).backward(hg.tensor([1, 10], { dtype: 'float64' }));
    expect(x.grad!.tolist()).toEqual([2, 20]);
    expect(() => x.mul(2).backward(hg.ones([3], { dtype: 'float64' }))).toThrow(
      'backward: mismatch in shape: grad_output[0] has a shape of [3] and output[0] has a shape of [2]',
    );
  });

  it('refuses a second backward through freed saved tensors unless retainGraph', () => {
    const x = leaf([1, 2]);
    const z = x.exp().sum();
    z.backward(undefined, { retainGraph: true });
    z.backward();
    expect(x.grad!.dataSync()[1]).toBeCloseTo(2 * Math.exp(2), 12);
    expect(() => z.backward()).toThrow(/ExpBackward0: trying to backward through the graph a second time/);
  });

  it('throws for tensors that do not require grad', () => {
    expect(() => hg.tensor([1.5]).sum().backward()).toThrow(
      'backward: element 0 of tensors does not require grad and does not have a grad_fn',
    );
  });

  it('walks a 10,000-op chain without overflowing the stack', () => {
    const x = leaf([1]);
    let y = x;
    for (let i = 0; i < 10_000; i++) y = y.mul(1.0001);
    y.sum().backward();
    expect(x.grad!.item()).toBeCloseTo(1.0001 ** 10_000, 6);
  });

  it('runs hooks, which may replace the gradient', () => {
    const x = leaf([1, 2]);
    const seen: number[][] = [];
    const handle = x.registerHook((g) => {
      seen.push(g.tolist() as number[]);
      return g.mul(10);
    });
    const y = x.mul(3);
    y.registerHook((g) => g.add(1));
    y.sum().backward();
    expect(seen).toEqual([[6, 6]]);
    expect(x.grad!.tolist()).toEqual([60, 60]);
    handle.remove();
    x.grad = null;
    x.mul(3).sum().backward();
    expect(x.grad!.tolist()).toEqual([3, 3]);
  });

  it('detach, detach_, requiresGrad_ and noGrad cut the graph', () => {
    const x = leaf([1, 2]);
    expect(x.mul(2).detach().requiresGrad).toBe(false);
    expect(hg.noGrad(() => x.mul(2)).requiresGrad).toBe(false);
    expect(hg.noGrad(() => hg.enableGrad(() => x.mul(2))).gradFn?.name).toBe('MulBackward0');
    const y = x.mul(2);
    y.detach_();
    expect(y.isLeaf).toBe(true);
    expect(() => hg.tensor([1, 2]).requiresGrad_()).toThrow(
      'Only Tensors of floating point dtype can require gradients (got int64)',
    );
    expect(() => x.mul(2).requiresGrad_(false)).toThrow(
      'you can only change requires_grad flags of leaf variables',
    );
  });
});

describe('grad()', () => {
  it('returns gradients without touching .grad, and supports createGraph for higher orders', () => {
    const x = leaf([2]);
    const y = x.pow(3);
    const [dy] = hg.grad(y, x, { createGraph: true });
    expect(dy!.item()).toBe(12);
    const [d2y] = hg.grad(dy!, x, { createGraph: true });
    expect(d2y!.item()).toBe(12);
    const [d3y] = hg.grad(d2y!, x);
    expect(d3y!.item()).toBe(6);
    expect(x.grad).toBeNull();
  });

  it('reports unused inputs unless allowUnused', () => {
    const x = leaf([1]);
    const unused = leaf([1]);
    expect(() => hg.grad(x.mul(2).sum(), [x, unused])).toThrow(
      'grad: input 1 appears to not have been used in the graph',
    );
    expect(hg.grad(x.mul(2).sum(), [x, unused], { allowUnused: true })[1]).toBeNull();
  });

  it('differentiates with respect to intermediate tensors', () => {
    const x = leaf([1, 2]);
    const h = x.mul(3);
    const [gh, gx] = hg.grad(h.square().sum(), [h, x]);
    expect(gh!.tolist()).toEqual([6, 12]);
    expect(gx!.tolist()).toEqual([18, 36]);
  });
});

describe('anomaly detection', () => {
  it('names the forward op that produced NaN', () => {
    const x = hg.tensor([-1, 1], { dtype: 'float32', requiresGrad: true });
    expect(() => hg.detectAnomaly(() => x.log())).toThrow(
      "Anomaly detected: forward op 'Log' produced nan values in its output",
    );
  });

  it('names the backward function that returned NaN, and where its forward ran', () => {
    const x = hg.tensor([0, 1], { dtype: 'float32', requiresGrad: true });
    const z = hg.detectAnomaly(() => x.sqrt());
    expect(() => hg.detectAnomaly(() => z.sum().backward())).toThrow(
      /Anomaly detected: function 'SqrtBackward0' returned inf values in its 0th output\nThe forward op was called at:/,
    );
    expect(hg.isAnomalyEnabled()).toBe(false);
  });
});

describe('norm at zero', () => {
  it('has a zero gradient at the zero vector, as in PyTorch', () => {
    const x = hg.zeros([3], { dtype: 'float64', requiresGrad: true });
    x.norm().backward();
    expect(x.grad!.tolist()).toEqual([0, 0, 0]);
    const y = hg.zeros([2], { dtype: 'float64', requiresGrad: true });
    y.norm(3).backward();
    expect(y.grad!.tolist()).toEqual([0, 0]);
  });
});

describe('gradient accumulation in the engine', () => {
  it('adds the gradients of many slices of one tensor in place, equal to the dense sum', () => {
    hg.manualSeed(2);
    const x = hg.randn([6, 4], { requiresGrad: true });
    const w = hg.randn([4]);
    // Every row is read twice (as an RNN reads its input projection), plus the whole tensor once.
    let y = x.mul(0.5).sum();
    for (let t = 0; t < 6; t++) y = y.add(x.index(t).mul(w).tanh().sum()).add(x.index(t).square().sum());
    y.backward();
    const expected = hg.noGrad(() => {
      const rows = [];
      for (let t = 0; t < 6; t++) {
        const xt = x.index(t);
        const th = xt.mul(w).tanh();
        rows.push(th.square().neg().add(1).mul(w).add(xt.mul(2)).add(0.5));
      }
      return hg.stack(rows, 0);
    });
    const got = Array.from(x.grad!.dataSync());
    Array.from(expected.dataSync()).forEach((v, i) => expect(got[i]).toBeCloseTo(v, 5));
    // With createGraph the sums stay differentiable (second derivatives through the slices).
    const z = hg.randn([5], { requiresGrad: true });
    const [g] = hg.grad(z.index(1).pow(3).add(z.index(3).pow(3)), [z], { createGraph: true });
    const [gg] = hg.grad(g!.sum(), [z]);
    const zs = Array.from(z.dataSync());
    expect(Array.from(gg!.dataSync())).toEqual([0, 6 * zs[1]!, 0, 6 * zs[3]!, 0].map((v) => Math.fround(v)));
  });
});

describe('backward walk', () => {
  it('refuses a backward started from inside another one, saying so', () => {
    const x = hg.tensor([1.5, 2.5], { requiresGrad: true });
    const z = hg.tensor([3.5], { requiresGrad: true });
    const y = x.mul(2);
    y.registerHook(() => void z.mul(3).sum().backward());
    expect(() => y.sum().backward()).toThrow(
      'backward()/grad() was called while another backward pass was running',
    );
    // The engine is usable afterwards.
    x.mul(x).sum().backward();
    expect(x.grad!.tolist()).toEqual([3, 5]);
  });
});
