// Methods PyTorch code calls out of habit (tensor-methods/habits.ts): values as PyTorch 1.13
// gives them for the same calls, in-place fills that bump the version counter, and new tensors
// that take this tensor's dtype.
import { describe, expect, it } from 'vitest';
import * as hg from '../src/index.ts';

const x = () =>
  hg.tensor([
    [1.5, -2.25],
    [3, -0.5],
  ]);

describe('PyTorch habit methods', () => {
  it('aliases and small compositions', () => {
    // torch: frac → [[0.5, -0.25], [0, -0.5]]; msort → [[1.5, -2.25], [3, -0.5]];
    // clamp_min(0) → [[1.5, 0], [3, 0]]; clamp_max(0) → [[0, -2.25], [0, -0.5]]
    expect(x().frac().tolist()).toEqual([
      [0.5, -0.25],
      [0, -0.5],
    ]);
    expect(x().msort().tolist()).toEqual([
      [1.5, -2.25],
      [3, -0.5],
    ]);
    expect(x().clampMin(0).tolist()).toEqual([
      [1.5, 0],
      [3, 0],
    ]);
    expect(x().clampMax(0).tolist()).toEqual([
      [0, -2.25],
      [0, -0.5],
    ]);
    expect([x().nelement(), x().ndimension(), x().isFloatingPoint(), hg.arange(3).isFloatingPoint()]).toEqual(
      [4, 2, true, false],
    );
    expect(x().ravel().shape).toEqual([4]);
    expect(hg.zeros([2, 3, 4]).moveaxis(0, -1).shape).toEqual([3, 4, 2]);
    expect(hg.zeros([2, 3, 4]).swapaxes(0, 2).shape).toEqual([4, 3, 2]);
    expect(x().sgn().tolist()).toEqual([
      [1, -1],
      [1, -1],
    ]);
    expect(x().maskedSelect(x().gt(0)).tolist()).toEqual([1.5, 3]);
  });

  it('new tensors take this tensor’s dtype unless told; typeAs, viewAs, reshapeAs borrow from another', () => {
    const d = hg.zeros([2], { dtype: 'float64' });
    expect(d.newZeros([3]).dtype).toBe('float64');
    expect(d.newOnes([2, 2]).tolist()).toEqual([
      [1, 1],
      [1, 1],
    ]);
    expect(d.newFull([2], 7, { dtype: 'int32' }).dtype).toBe('int32');
    expect(d.newTensor([1, 2]).dtype).toBe('float64');
    expect(hg.arange(4).typeAs(d).dtype).toBe('float64');
    expect(hg.arange(4).viewAs(hg.zeros([2, 2])).shape).toEqual([2, 2]);
    expect(hg.arange(6).reshapeAs(hg.zeros([3, 2])).shape).toEqual([3, 2]);
  });

  it('in-place fills: fillDiagonal_, uniform_ and normal_ (PyTorch’s values for the seed), bernoulli_', () => {
    const e = hg.zeros([3, 4]);
    const version = e.version;
    e.fillDiagonal_(7);
    expect(e.tolist()).toEqual([
      [7, 0, 0, 0],
      [0, 7, 0, 0],
      [0, 0, 7, 0],
    ]);
    expect(e.version).toBeGreaterThan(version);
    hg.manualSeed(0);
    const u = Array.from(hg.empty([3]).uniform_(-1, 1).dataSync());
    [-0.007486820220947266, 0.5364435911178589, -0.8230451345443726].forEach((v, i) =>
      expect(u[i]).toBeCloseTo(v, 6),
    );
    hg.manualSeed(0);
    const n = Array.from(hg.empty([3]).normal_(2, 0.5).dataSync());
    [2.770498037338257, 1.853285551071167, 0.9106053113937378].forEach((v, i) =>
      expect(n[i]).toBeCloseTo(v, 6),
    );
    const b = hg.empty([1000]).bernoulli_(0.3);
    const ones = b.sum().item();
    expect(b.dataSync().every((v) => v === 0 || v === 1)).toBe(true);
    expect(Math.abs(ones - 300)).toBeLessThan(60);
    expect(() => hg.zeros([3]).fillDiagonal_(1)).toThrow(/expected a matrix/);
    expect(() => hg.zeros([3]).bernoulli_(2)).toThrow(/between 0 and 1/);
  });
});
