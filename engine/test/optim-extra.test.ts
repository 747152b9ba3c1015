// The added optimizers and schedulers refuse bad options as PyTorch's constructors do, naming
// the option; their trajectories are checked against PyTorch in optim-parity.test.ts.
import { describe, expect, it } from 'vitest';
import * as hg from '../src/index.ts';
import { optim } from '../src/index.ts';

const params = () => [hg.zeros([2]).requiresGrad_()];

describe('the added optimizers and schedulers check their options', () => {
  it('optimizers', () => {
    expect(() => new optim.Adadelta(params(), { rho: 1.5 })).toThrow(/rho/);
    expect(() => new optim.Adamax(params(), { lr: -1 })).toThrow(/invalid learning rate/);
    expect(() => new optim.NAdam(params(), { momentumDecay: -0.1 })).toThrow(/momentum_decay/);
    expect(() => new optim.RAdam(params(), { betas: [0.9, 1.2] })).toThrow(/betas/);
    expect(() => new optim.RAdam(params(), { beta: [0.9, 0.99] } as never)).toThrow(/did you mean 'betas'/);
  });

  it('schedulers', () => {
    const opt = new optim.SGD(params(), { lr: 0.1 });
    expect(() => new optim.ConstantLR(opt, 1.5)).toThrow(/factor must be between 0 and 1/);
    expect(() => new optim.PolynomialLR(opt, { totalIters: 0 })).toThrow(
      /totalIters must be a positive integer/,
    );
    expect(() => new optim.CosineAnnealingWarmRestarts(opt, { tMult: 2 } as never)).toThrow(
      /missing required argument 't0'/,
    );
    expect(() => new optim.MultiplicativeLR(opt, 0.5 as never)).toThrow(/lrLambda must be a function/);
  });

  it('CosineAnnealingWarmRestarts restarts at the base lr after t0, then 2·t0 epochs', () => {
    const opt = new optim.SGD(params(), { lr: 1 });
    const s = new optim.CosineAnnealingWarmRestarts(opt, 2, 2);
    const lrs = [opt.paramGroups[0]!.options.lr];
    for (let i = 0; i < 6; i++) {
      s.step();
      lrs.push(opt.paramGroups[0]!.options.lr);
    }
    // Epochs 0–1: period 2; 2–5: period 4; 6: restart.
    expect(lrs.map((v) => Number((v as number).toFixed(6)))).toEqual([1, 0.5, 1, 0.853553, 0.5, 0.146447, 1]);
  });
});
