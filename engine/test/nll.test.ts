// The negative log-likelihood as one op (ops/nll.ts) against the composed ops it replaces on
// [N, C] float32 CPU inputs: the same loss and gradient bits, for mean and sum, with and without
// class weights, with ignored rows, under an upstream gradient other than 1; differentiable again
// when a graph of the gradient is wanted; NaN where every row is ignored (0/0, as PyTorch).
import { describe, expect, it } from 'vitest';
import * as hg from '../src/index.ts';

const bits = (t: hg.Tensor) => Array.from(new Uint32Array(Float32Array.from(t.dataSync()).buffer));

/** The loss and x's gradient; a strided x takes the composed ops (the fused op wants dense rows). */
function run(x: hg.Tensor, target: hg.Tensor, options: Record<string, unknown>, strided: boolean) {
  const leaf = x.detach().requiresGrad_();
  // (Columns of a transposed copy: rows no longer one dense stretch.)
  const input = strided ? leaf.t().contiguous().t() : leaf;
  expect(input.isContiguous()).toBe(!strided);
  const loss = hg.F.nllLoss(input, target, options);
  loss.mul(1.7).backward();
  return { loss: bits(loss), grad: bits(leaf.grad!), op: loss.gradFn?.name };
}

describe('nll_loss as one op', () => {
  hg.manualSeed(31);
  const cases: [string, number, number, Record<string, unknown>][] = [
    ['mean', 37, 5, {}],
    ['sum', 37, 5, { reduction: 'sum' }],
    ['mean, class weights', 64, 65, { weight: hg.rand([65]).add(0.1) }],
    ['sum, class weights', 64, 65, { weight: hg.rand([65]).add(0.1), reduction: 'sum' }],
    ['mean, ignoreIndex 2 and class weights', 29, 7, { ignoreIndex: 2, weight: hg.rand([7]) }],
    ['two rows', 2, 3, {}],
  ];
  for (const [label, n, c, options] of cases)
    it(`${label}: the composed ops' loss and gradient, bit for bit`, () => {
      const x = hg.randn([n, c]).logSoftmax(1);
      const ids = Array.from({ length: n }, (_, i) => (i * 7 + 3) % c);
      // Rows the loss ignores: the default −100, or the class chosen as ignoreIndex.
      const ignore = (options.ignoreIndex as number | undefined) ?? -100;
      if (n > 4) ids[1] = ids[4] = ignore;
      const target = hg.tensor(ids, { dtype: 'int64' });
      const fused = run(x, target, options, false);
      const composed = run(x, target, options, true);
      expect(fused.op).toBe('NllLossBackward0');
      expect(composed.op).not.toBe('NllLossBackward0');
      expect(fused).toEqual({ ...composed, op: 'NllLossBackward0' });
      // An ignored row's gradient is +0 throughout, as the scatter onto zeros leaves it.
      if (n > 4) expect(fused.grad.slice(c, 2 * c)).toEqual(new Array(c).fill(0));
    });

  it('is differentiable again when the gradient’s graph is wanted, with the same values', () => {
    const x = hg.randn([6, 4]).logSoftmax(1).detach().requiresGrad_();
    const target = hg.tensor([0, 3, 1, 1, 2, 0], { dtype: 'int64' });
    const weight = hg.tensor([1, 2, 0.5, 3]);
    // An upstream scale that itself requires grad: the gradient is s·∂loss/∂x, a function of s.
    const s = hg.tensor(1.3).requiresGrad_();
    const [g] = hg.grad([hg.F.nllLoss(x, target, { weight }).mul(s)], [x], { createGraph: true });
    const [plain] = hg.grad([hg.F.nllLoss(x, target, { weight }).mul(1.3)], [x]);
    expect(bits(g!)).toEqual(bits(plain!));
    expect(g!.requiresGrad).toBe(true);
    const r = hg.randn([6, 4]);
    const [ds] = hg.grad([g!.mul(r).sum()], [s]);
    const [unit] = hg.grad([hg.F.nllLoss(x, target, { weight })], [x]);
    expect(ds!.item()).toBeCloseTo(unit!.mul(r).sum().item(), 6);
  });

  it('gives NaN for the mean when every row is ignored, as PyTorch does (0/0)', () => {
    const x = hg.randn([3, 4]).requiresGrad_();
    const loss = hg.F.nllLoss(x, hg.tensor([-100, -100, -100], { dtype: 'int64' }));
    expect(loss.gradFn?.name).toBe('NllLossBackward0');
    expect(Number.isNaN(loss.item())).toBe(true);
  });
});
