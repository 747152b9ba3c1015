// Edges of the builders, statistics and extra elementwise functions that the PyTorch fixtures
// (cases.ts) do not reach: refusals worded as torch words them, options checked by name, heaviside's
// missing derivative said rather than given as zeros, and empty or degenerate inputs.
import { describe, expect, it } from 'vitest';
import * as hg from '../src/index.ts';

describe('builders, statistics and extra elementwise functions', () => {
  it('refuses what torch refuses, naming the problem', () => {
    const x = hg.tensor([-1, 0, 2], { dtype: 'float32' }).requiresGrad_();
    const y = hg.heaviside(x, 0.5);
    expect(y.tolist()).toEqual([0, 0.5, 1]);
    expect(() => y.sum().backward()).toThrow("the derivative for 'heaviside' is not implemented");
    expect(() => hg.bincount(hg.tensor([1, -2]))).toThrow(/non-negative/);
    expect(() => hg.quantile(hg.tensor([1, 2], { dtype: 'float32' }), 1.5)).toThrow(
      /q values must be in the range \[0, 1\]/,
    );
    expect(() => hg.quantile(hg.tensor([1, 2], { dtype: 'int64' }), 0.5)).toThrow(/float or double/);
    expect(() => hg.searchsorted(hg.tensor([1, 2]), hg.tensor([1]), { side: 'left', right: true })).toThrow(
      /side and right can't be set to opposites/,
    );
    expect(() => hg.blockDiag(hg.zeros([2, 2, 2]))).toThrow(/Input 0 has 3 dimensions/);
    expect(() => hg.inner(hg.zeros([2, 3]), hg.zeros([3, 2]))).toThrow(/last dimension must match/);
    expect(() => hg.cov(hg.zeros([2, 2, 2]))).toThrow(/two or fewer dimensions/);
    expect(() => hg.indexFill(hg.zeros([2, 3]), 1, hg.tensor([3]), 1)).toThrow(/out of bounds/);
    expect(() => hg.histc(hg.tensor([1, 2], { dtype: 'float32' }), { bin: 3 } as never)).toThrow(
      /'bin'.*'bins'/,
    );
    expect(() => hg.combinations(hg.zeros([2, 2]))).toThrow(/1D vector/);
    expect(() => hg.tensorSplit(hg.zeros([3]), 0)).toThrow(/larger than 0/);
    expect(() => hg.gcd(hg.tensor([1.5]), hg.tensor([2]))).toThrow(/expected integer tensors/);
    expect(() => hg.nextafter(hg.tensor([1]), 2)).toThrow(/one floating-point dtype/);
    expect(() => hg.frexp(hg.tensor([3]))).toThrow(/only supports floating-point dtypes/);
    expect(() => hg.nextafter(hg.ones([2], { dtype: 'float16' }), 2)).toThrow(
      /supports float32 and float64 .*got float16/,
    );
    expect(() => hg.histc(hg.tensor([1, 2]))).toThrow(
      /histc: expected a floating-point tensor \(as torch\), got int64/,
    );
  });

  it('splits, combines and counts at the edges as torch does', () => {
    const r = hg.arange(5);
    expect(hg.tensorSplit(r, [-2, 10]).map((t) => t.tolist())).toEqual([[0, 1, 2], [3, 4], []]);
    expect(hg.tensorSplit(r, 7).map((t) => t.numel())).toEqual([1, 1, 1, 1, 1, 0, 0]);
    expect(hg.combinations(hg.tensor([1, 2]), 3).shape).toEqual([0, 3]);
    expect(hg.triuIndices(0, 3).shape).toEqual([2, 0]);
    expect(hg.isin(hg.tensor([1, 2, 3]), hg.tensor([2]), { invert: true }).tolist()).toEqual([
      true,
      false,
      true,
    ]);
    expect(hg.bincount(hg.tensor([], { dtype: 'int64' }), { minlength: 3 }).tolist()).toEqual([0, 0, 0]);
    expect(hg.histc(hg.tensor([1, 1, 1], { dtype: 'float32' }), 3).tolist()).toEqual([0, 3, 0]);
    expect(hg.signbit(hg.tensor([-0, 0, -3], { dtype: 'float32' })).tolist()).toEqual([true, false, true]);
    expect(hg.nanquantile(hg.tensor([NaN, NaN]), 0.5).item()).toBeNaN();
    const { min, max } = hg.aminmax(
      hg.tensor([
        [1, 5],
        [3, 2],
      ]),
      { dim: 0 },
    );
    expect([min.tolist(), max.tolist()]).toEqual([
      [1, 2],
      [3, 5],
    ]);
    expect(
      hg
        .countNonzero(
          hg.tensor([
            [0, 1],
            [2, 0],
          ]),
        )
        .item(),
    ).toBe(2);
    // The smallest float32 subnormal, and one ulp above 1 in float64.
    expect(hg.nextafter(hg.zeros([1]), 1).item()).toBe(1.401298464324817e-45);
    expect(hg.nextafter(hg.ones([1], { dtype: 'float64' }), 2).item()).toBe(1 + Number.EPSILON);
    const { mantissa, exponent } = hg.frexp(hg.tensor([8, -0.375, 0], { dtype: 'float64' }));
    expect([mantissa.tolist(), exponent.tolist()]).toEqual([
      [0.5, -0.75, 0],
      [4, -1, 0],
    ]);
    expect(hg.lcm(hg.tensor([4, 0, -6]), hg.tensor([6, 5, 4])).tolist()).toEqual([12, 0, 12]);
  });

  it('gives gradients where torch does: sinc at 0, fmax ties to the first operand, cov through its weights', () => {
    const x = hg.tensor([0, 0.5], { dtype: 'float64' }).requiresGrad_();
    hg.sinc(x).sum().backward();
    expect((x.grad!.tolist() as number[])[0]).toBe(0);
    const [a, b] = [
      hg.tensor([1, 2], { dtype: 'float32' }).requiresGrad_(),
      hg.tensor([1, 3], { dtype: 'float32' }).requiresGrad_(),
    ];
    hg.fmax(a, b).sum().backward();
    expect([a.grad!.tolist(), b.grad!.tolist()]).toEqual([
      [1, 0],
      [0, 1],
    ]);
    const w = hg.tensor([1, 2, 3], { dtype: 'float64' }).requiresGrad_();
    expect(
      hg.gradcheck(
        (aw: hg.Tensor) =>
          hg.cov(
            hg.tensor(
              [
                [1, 4, 2],
                [0, 1, 5],
              ],
              { dtype: 'float64' },
            ),
            { aweights: aw },
          ),
        [w],
      ),
    ).toBe(true);
  });
});
