// 20-step trajectories of every optimizer, both clipping functions and every LR scheduler,
// against PyTorch (fixtures/generate_optim.py): parameters agree to rel 1e-5 in float32.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as hg from '../src/index.ts';
import { optim, type Tensor } from '../src/index.ts';
import { closeness } from './fixture.ts';

interface Trajectory {
  params: number[][];
  lrs: number[];
}
const fx = JSON.parse(readFileSync(new URL('./fixtures/optim.json', import.meta.url), 'utf8')) as {
  w0: number[][];
  b0: number[];
  x: number[][];
  y: number[][];
  optimizers: Record<string, Trajectory>;
  clipping: Record<string, Trajectory>;
  schedulers: Record<string, Trajectory>;
  adamOneCycle: Trajectory;
};

const X = hg.tensor(fx.x, { dtype: 'float32' });
const Y = hg.tensor(fx.y, { dtype: 'float32' });
const lossOf = (w: Tensor, b: Tensor) => X.matmul(w.t()).add(b).tanh().sub(Y).pow(2).mean();

type AnyScheduler = { step(metric?: number): void };
const OPTIMIZERS: Record<string, (p: Tensor[]) => optim.Optimizer> = {
  sgd: (p) => new optim.SGD(p, { lr: 0.1 }),
  sgdMomentum: (p) => new optim.SGD(p, { lr: 0.1, momentum: 0.9 }),
  sgdNesterov: (p) => new optim.SGD(p, { lr: 0.1, momentum: 0.9, nesterov: true, weightDecay: 0.01 }),
  sgdDampening: (p) => new optim.SGD(p, { lr: 0.1, momentum: 0.9, dampening: 0.5, weightDecay: 0.1 }),
  adam: (p) => new optim.Adam(p, { lr: 0.01 }),
  adamAmsgrad: (p) => new optim.Adam(p, { lr: 0.01, amsgrad: true, weightDecay: 0.01, betas: [0.8, 0.99] }),
  adamW: (p) => new optim.AdamW(p, { lr: 0.01, weightDecay: 0.1 }),
  adamWAmsgrad: (p) => new optim.AdamW(p, { lr: 0.02, amsgrad: true }),
  rmsprop: (p) => new optim.RMSprop(p, { lr: 0.01 }),
  rmspropCentered: (p) =>
    new optim.RMSprop(p, { lr: 0.01, centered: true, momentum: 0.5, weightDecay: 0.01 }),
  adagrad: (p) => new optim.Adagrad(p, { lr: 0.1 }),
  adagradDecay: (p) =>
    new optim.Adagrad(p, { lr: 0.1, lrDecay: 0.01, weightDecay: 0.01, initialAccumulatorValue: 0.1 }),
  adamGroups: (p) =>
    new optim.Adam([{ params: [p[0]!] }, { params: [p[1]!], options: { lr: 0.05 } }], { lr: 0.01 }),
  adamax: (p) => new optim.Adamax(p, { lr: 0.02 }),
  adamaxDecay: (p) => new optim.Adamax(p, 0.02, [0.8, 0.99], 1e-3, 0.1),
  nadam: (p) => new optim.NAdam(p, { lr: 0.02 }),
  nadamDecay: (p) => new optim.NAdam(p, { lr: 0.005, weightDecay: 0.05, momentumDecay: 0.01 }),
  radam: (p) => new optim.RAdam(p, { lr: 0.02 }),
  radamDecay: (p) => new optim.RAdam(p, { lr: 0.05, betas: [0.8, 0.9], weightDecay: 0.1 }),
  adadelta: (p) => new optim.Adadelta(p),
  adadeltaDecay: (p) => new optim.Adadelta(p, { lr: 0.5, rho: 0.8, weightDecay: 0.05 }),
};

const SCHEDULERS: Record<string, (o: optim.Optimizer) => AnyScheduler> = {
  stepLR: (o) => new optim.StepLR(o, 5, 0.5),
  multiStepLR: (o) => new optim.MultiStepLR(o, [3, 8, 8], 0.5),
  exponentialLR: (o) => new optim.ExponentialLR(o, 0.9),
  cosineAnnealingLR: (o) => new optim.CosineAnnealingLR(o, 7, 0.01),
  linearLR: (o) => new optim.LinearLR(o, 0.25, 1, 6),
  oneCycleLR: (o) => new optim.OneCycleLR(o, { maxLr: 0.5, totalSteps: 21, cycleMomentum: false }),
  oneCycleLRMomentum: (o) => new optim.OneCycleLR(o, { maxLr: 0.3, totalSteps: 20 }),
  oneCycleLRThreePhaseLinear: (o) =>
    new optim.OneCycleLR(o, {
      maxLr: 0.5,
      totalSteps: 25,
      threePhase: true,
      annealStrategy: 'linear',
      cycleMomentum: false,
    }),
  lambdaLR: (o) => new optim.LambdaLR(o, (e) => 0.95 ** e),
  sequentialLR: (o) =>
    new optim.SequentialLR(o, [new optim.LinearLR(o, 0.1, 1, 4), new optim.ExponentialLR(o, 0.9)], [5]),
  reduceLROnPlateau: (o) => new optim.ReduceLROnPlateau(o, { patience: 2, factor: 0.5 }),
  constantLR: (o) => new optim.ConstantLR(o, 0.25, 4),
  polynomialLR: (o) => new optim.PolynomialLR(o, { totalIters: 8, power: 2 }),
  multiplicativeLR: (o) => new optim.MultiplicativeLR(o, (e) => (e % 2 ? 0.9 : 0.95)),
  cosineWarmRestarts: (o) => new optim.CosineAnnealingWarmRestarts(o, 3, 2, 0.01),
  cosineWarmRestartsFlat: (o) => new optim.lrScheduler.CosineAnnealingWarmRestarts(o, { t0: 5 }),
  sequentialConstantCosine: (o) =>
    new optim.SequentialLR(
      o,
      [new optim.ConstantLR(o, { factor: 0.5, totalIters: 3 }), new optim.CosineAnnealingWarmRestarts(o, 4)],
      [6],
    ),
};

function run(
  makeOpt: (p: Tensor[]) => optim.Optimizer,
  makeSched?: (o: optim.Optimizer) => AnyScheduler,
  clip?: 'norm' | 'value',
): Trajectory {
  const w = hg.tensor(fx.w0, { dtype: 'float32', requiresGrad: true });
  const b = hg.tensor(fx.b0, { dtype: 'float32', requiresGrad: true });
  const opt = makeOpt([w, b]);
  const sched = makeSched?.(opt);
  const out: Trajectory = { params: [], lrs: [] };
  for (let s = 0; s < 20; s++) {
    opt.zeroGrad();
    const loss = lossOf(w, b);
    loss.backward();
    if (clip === 'norm') optim.clipGradNorm_([w, b], 0.1);
    if (clip === 'value') optim.clipGradValue_([w, b], 0.01);
    opt.step();
    if (sched instanceof optim.ReduceLROnPlateau) sched.step(loss.item());
    else sched?.step();
    out.params.push([...w.dataSync(), ...b.dataSync()]);
    out.lrs.push(opt.paramGroups[0]!.options.lr as number);
  }
  return out;
}

function expectTrajectory(actual: Trajectory, expected: Trajectory): void {
  expected.params.forEach((p, step) => {
    const worst = closeness(actual.params[step]!, p, 1e-5, 1e-6);
    expect(
      worst.index,
      `step ${step + 1}: param ${worst.index} is ${worst.actual}, expected ${worst.expected}`,
    ).toBe(-1);
  });
  expect(
    closeness(actual.lrs, expected.lrs, 1e-12, 1e-15).index,
    `lrs ${actual.lrs} vs ${expected.lrs}`,
  ).toBe(-1);
}

describe('optimizers follow PyTorch for 20 steps', () => {
  it('covers every optimizer in the fixture', () =>
    expect(Object.keys(OPTIMIZERS).sort()).toEqual(Object.keys(fx.optimizers).sort()));
  for (const [name, make] of Object.entries(OPTIMIZERS))
    it(name, () => expectTrajectory(run(make), fx.optimizers[name]!));
  it('clipGradNorm_', () =>
    expectTrajectory(
      run((p) => new optim.SGD(p, { lr: 0.5 }), undefined, 'norm'),
      fx.clipping.sgdClipNorm!,
    ));
  it('clipGradValue_', () =>
    expectTrajectory(
      run((p) => new optim.SGD(p, { lr: 0.5 }), undefined, 'value'),
      fx.clipping.sgdClipValue!,
    ));
});

describe('LR schedulers follow PyTorch for 20 steps', () => {
  it("OneCycleLR cycles Adam's beta1", () =>
    expectTrajectory(
      run(
        (p) => new optim.Adam(p, { lr: 0.01 }),
        (o) => new optim.OneCycleLR(o, { maxLr: 0.05, totalSteps: 20 }),
      ),
      fx.adamOneCycle,
    ));
  it('covers every scheduler in the fixture', () =>
    expect(Object.keys(SCHEDULERS).sort()).toEqual(Object.keys(fx.schedulers).sort()));
  for (const [name, make] of Object.entries(SCHEDULERS))
    it(name, () =>
      expectTrajectory(
        run((p) => new optim.SGD(p, { lr: 0.1, momentum: 0.9 }), make),
        fx.schedulers[name]!,
      ),
    );
});
