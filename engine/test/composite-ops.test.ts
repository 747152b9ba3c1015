// The composed ops' edges that the PyTorch fixtures (cases.ts) do not reach: infinities in
// nanToNum, the zero-distance gradient of cdist, xlogy's NaN rule, and refusals that name what
// is wrong. Values are PyTorch 1.13's for the same calls.
import { describe, expect, it } from 'vitest';
import * as hg from '../src/index.ts';

describe('composed ops at their edges', () => {
  it('nanToNum: NaN, +inf and −inf, by default 0 and the dtype’s largest finite values', () => {
    const x = hg.tensor([NaN, Infinity, -Infinity, 1.5]);
    // torch.nan_to_num(torch.tensor([nan, inf, -inf, 1.5])) → [0, 3.4028e38, -3.4028e38, 1.5]
    expect(Array.from(hg.nanToNum(x).dataSync())).toEqual([
      0, 3.4028234663852886e38, -3.4028234663852886e38, 1.5,
    ]);
    expect(Array.from(x.double().nanToNum().dataSync())).toEqual([
      0,
      Number.MAX_VALUE,
      -Number.MAX_VALUE,
      1.5,
    ]);
    expect(Array.from(x.nanToNum(1, 2, -3).dataSync())).toEqual([1, 2, -3, 1.5]);
    // The replaced entries get no gradient.
    const leaf = x.clone().requiresGrad_();
    hg.nanToNum(leaf).sum().backward();
    expect(Array.from(leaf.grad!.dataSync())).toEqual([0, 0, 0, 1]);
    expect(() => hg.nanToNum(x, { nun: 1 } as never)).toThrow(
      /unknown option 'nun' \(did you mean 'nan'\?\)/,
    );
  });

  it('cdist: a zero distance has a zero gradient (not NaN), as PyTorch', () => {
    const a = hg
      .tensor(
        [
          [0, 0],
          [3, 4],
        ],
        { dtype: 'float32' },
      )
      .requiresGrad_();
    const b = hg.tensor([[0, 0]], { dtype: 'float32' });
    const d = hg.cdist(a, b);
    expect(Array.from(d.dataSync())).toEqual([0, 5]);
    d.sum().backward();
    expect(Array.from(a.grad!.dataSync())).toEqual([0, 0, 0.6000000238418579, 0.800000011920929]);
    expect(Array.from(hg.cdist(a.detach(), b, Infinity).dataSync())).toEqual([0, 4]);
    expect(() => hg.cdist(a, hg.zeros([2, 3]))).toThrow(/same M/);
  });

  it('xlogy: 0 where x is 0, NaN where y is NaN (also for x = 0)', () => {
    const x = hg.tensor([0, 0, 2, 1]);
    const y = hg.tensor([0, NaN, Math.E, 0]);
    // torch.xlogy(x, y) → [0, nan, 2, -inf]
    const out = Array.from(hg.xlogy(x, y).dataSync());
    expect(out[0]).toBe(0);
    expect(out[1]).toBeNaN();
    expect(out[2]).toBeCloseTo(2, 6);
    expect(out[3]).toBe(-Infinity);
    expect(Array.from(hg.xlogy(x, 1).dataSync())).toEqual([0, 0, 0, 0]);
  });

  it('addmm with beta = 0 ignores the input’s NaNs; the input must broadcast to the product', () => {
    const input = hg.tensor([[NaN, 1]]);
    const out = hg.addmm(
      input,
      hg.eye(2),
      hg.tensor([
        [1, 2],
        [3, 4],
      ]),
      { beta: 0 },
    );
    expect(Array.from(out.dataSync())).toEqual([1, 2, 3, 4]);
    expect(() => hg.addmm(hg.zeros([3, 2]), hg.eye(2), hg.eye(2))).toThrow();
    expect(() => hg.addmm(input, hg.eye(2), hg.eye(2), { betta: 1 } as never)).toThrow(/did you mean 'beta'/);
  });

  it('refusals name the shape or the value', () => {
    expect(() => hg.trace(hg.zeros([2, 2, 2]))).toThrow(/expected a matrix, got \[2, 2, 2\]/);
    expect(() => hg.cross(hg.zeros([2, 4]), hg.zeros([2, 4]))).toThrow(/no dimension of size 3/);
    expect(() => hg.cross(hg.zeros([3, 4]), hg.zeros([3, 4]), 1)).toThrow(/dimension 1 does not have size 3/);
    expect(() => hg.tensordot(hg.zeros([2, 3]), hg.zeros([4, 5]), 1)).toThrow(
      /contracted dimensions need to match/,
    );
    expect(() => hg.tile(hg.zeros([2]), [-1])).toThrow(/integers ≥ 0/);
    expect(() => hg.rot90(hg.zeros([2, 2]), 1, [0, 0])).toThrow(/must differ/);
    expect(() => hg.logit(hg.zeros([2]), 0.7)).toThrow(/between 0 and 0.5/);
    expect(() => hg.diff(hg.tensor(1))).toThrow(/scalar/);
  });

  it('cross without a dim takes the first dim of size 3; diff of bools is their xor', () => {
    const a = hg.tensor([
      [1, 0],
      [0, 1],
      [0, 0],
    ]);
    const b = hg.tensor([
      [0, 0],
      [1, 0],
      [0, 1],
    ]);
    // torch.cross(a, b) → dim 0: [[0, 1], [0, 0], [1, 0]]
    expect(hg.cross(a, b).tolist()).toEqual([
      [0, 1],
      [0, 0],
      [1, 0],
    ]);
    expect(hg.diff(hg.tensor([true, true, false, true])).tolist()).toEqual([false, true, true]);
  });
});
