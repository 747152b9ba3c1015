// The gamma family and erfinv/erfc at their edges, as torch gives them (values from torch 1.13:
// digamma's −∞ at +0 and +∞ at −0, NaN at the negative integers, lgamma's +∞ poles), torch's own
// trigamma (six recurrence steps and three series terms, ~5e-10 from the exact value near 1, so
// that digamma's gradient is torch's), and hg.special's additions.
import { describe, expect, it } from 'vitest';
import * as hg from '../src/index.ts';

const f64 = (v: number[]) => hg.tensor(v, { dtype: 'float64' });

describe('special functions', () => {
  it('gives torch’s values at the poles and infinities', () => {
    expect(hg.lgamma(f64([0, -1, -2, Infinity, -Infinity])).tolist()).toEqual([
      Infinity,
      Infinity,
      Infinity,
      Infinity,
      Infinity,
    ]);
    expect(hg.lgamma(f64([1, 2])).tolist()).toEqual([0, 0]);
    const d = hg.digamma(f64([0, -0, -1, Infinity])).tolist() as number[];
    expect(d.slice(0, 2)).toEqual([-Infinity, Infinity]);
    expect(d[2]).toBeNaN();
    expect(d[3]).toBe(Infinity);
    expect(hg.erfinv(f64([-1, 1])).tolist()).toEqual([-Infinity, Infinity]);
    expect(hg.erfinv(f64([2])).item()).toBeNaN();
    // erfc keeps its relative accuracy far in the tail, where 1 − erf is 0.
    expect(hg.erfc(f64([10])).item()).toBeCloseTo(2.088487583762545e-45, 58);
  });

  it('differentiates digamma with torch’s trigamma, and polygamma with the next one', () => {
    // torch.polygamma(1, 1.) = 1.6449340676383375 (π²/6 = 1.6449340668482264).
    const x = f64([1]).requiresGrad_();
    hg.digamma(x).backward();
    expect(x.grad!.item()).toBe(1.6449340676383375);
    expect(hg.polygamma(2, f64([1])).item()).toBeCloseTo(-2.404113806319188, 14);
    expect(f64([1.5]).polygamma(3).item()).toBeCloseTo(1.4090910340024367, 13);
    expect(() => hg.polygamma(-1, f64([1]))).toThrow(/negative n/);
    expect(hg.polygamma(1, f64([2])).gradFn).toBeNull();
    expect(hg.polygamma(1, f64([2]).requiresGrad_()).gradFn!.name).toBe('PolygammaBackward0');
  });

  it('has in-place forms that record the same gradients', () => {
    const leaf = f64([0.5, 2.5]).requiresGrad_();
    const x = leaf.mul(1);
    x.lgamma_();
    expect(x.tolist()).toEqual(hg.lgamma(f64([0.5, 2.5])).tolist());
    x.sum().backward();
    expect(leaf.grad!.tolist()).toEqual(hg.digamma(f64([0.5, 2.5])).tolist());
    const y = f64([0.25]);
    y.erfinv_().erfc_();
    expect(y.item()).toBeCloseTo(hg.erfc(hg.erfinv(f64([0.25]))).item(), 15);
    expect(f64([1.5]).polygamma_(2).item()).toBe(hg.polygamma(2, f64([1.5])).item());
    expect(f64([1.5]).digamma_().item()).toBe(hg.digamma(f64([1.5])).item());
  });

  it('adds entr, ndtr, ndtri, log_ndtr, xlog1py and multigammaln', () => {
    const e = hg.special.entr(f64([0, 0.5, -1, NaN])).tolist() as number[];
    expect(e.slice(0, 3)).toEqual([0, 0.5 * Math.log(2), -Infinity]);
    expect(e[3]).toBeNaN();
    expect(hg.special.ndtri(hg.special.ndtr(f64([-1.5, 0.3]))).tolist()).toEqual([
      expect.closeTo(-1.5, 12),
      expect.closeTo(0.3, 12),
    ]);
    // Far in the lower tail log Φ stays finite (log of 1 − Φ(−x) would be −∞).
    expect(hg.special.logNdtr(f64([-40])).item()).toBeCloseTo(-804.6084420137538, 8);
    expect(hg.special.xlog1py(f64([0, 2]), f64([-1, 1])).tolist()).toEqual([0, 2 * Math.log(2)]);
    expect(() => hg.special.multigammaln(f64([3]), 0)).toThrow(/greater than or equal to 1/);
  });
});
