// The training section's optimizer and learning-rate schedule → engine objects. Epoch schedules
// (step, exponential, cosine, linear warm-up) advance after each epoch; one-cycle after each step,
// as in PyTorch training loops. The preview curve uses the engine's pure lr functions, so it
// shows exactly the rates a run will use.
import * as hg from '@hgrad/engine';
import type { OptimizerConfig, ScheduleConfig } from '@hgrad/ir';

export interface RunLength {
  epochs: number;
  stepsPerEpoch: number;
}

/** A schedule as the engine's data (defaults filled in), and whether it advances per epoch or step. */
export function scheduleOf(
  config: ScheduleConfig,
  lr: number,
  { epochs, stepsPerEpoch }: RunLength,
): { schedule: hg.optim.Schedule; every: 'epoch' | 'step' } {
  switch (config.kind) {
    case 'step':
      return {
        schedule: { kind: 'step', stepSize: config.params.stepSize ?? 10, gamma: config.params.gamma ?? 0.1 },
        every: 'epoch',
      };
    case 'exponential':
      return { schedule: { kind: 'exponential', gamma: config.params.gamma ?? 0.95 }, every: 'epoch' };
    case 'cosine':
      return {
        schedule: { kind: 'cosine', tMax: config.params.tMax ?? epochs, etaMin: config.params.etaMin ?? 0 },
        every: 'epoch',
      };
    case 'linear':
      return {
        schedule: {
          kind: 'linear',
          startFactor: config.params.startFactor ?? 0.1,
          endFactor: config.params.endFactor ?? 1,
          totalIters: config.params.totalIters ?? 5,
        },
        every: 'epoch',
      };
    case 'onecycle':
      return {
        schedule: {
          kind: 'onecycle',
          maxLr: config.params.maxLr ?? lr,
          totalSteps: Math.max(1, epochs * stepsPerEpoch),
          pctStart: config.params.pctStart ?? 0.3,
          annealStrategy: 'cos',
          divFactor: 25,
          finalDivFactor: 1e4,
          threePhase: false,
        },
        every: 'step',
      };
  }
}

export interface ScheduledRun {
  scheduler: hg.optim.LRScheduler;
  /** 'epoch': step() after every epoch; 'step': after every optimisation step. */
  every: 'epoch' | 'step';
}

export function makeScheduler(
  config: ScheduleConfig,
  optimizer: hg.optim.Optimizer,
  length: RunLength,
): ScheduledRun {
  const lr = optimizer.paramGroups[0]!.options.lr as number;
  const { schedule: s, every } = scheduleOf(config, lr, length);
  const o = hg.optim;
  const scheduler =
    s.kind === 'step'
      ? new o.StepLR(optimizer, s.stepSize, s.gamma)
      : s.kind === 'exponential'
        ? new o.ExponentialLR(optimizer, s.gamma)
        : s.kind === 'cosine'
          ? new o.CosineAnnealingLR(optimizer, s.tMax, s.etaMin)
          : s.kind === 'linear'
            ? new o.LinearLR(optimizer, s.startFactor, s.endFactor, s.totalIters)
            : s.kind === 'onecycle'
              ? new o.OneCycleLR(optimizer, { maxLr: s.maxLr, totalSteps: s.totalSteps, pctStart: s.pctStart })
              : new o.MultiStepLR(optimizer, [...s.milestones], s.gamma);
  return { scheduler, every };
}

/** The learning rate at every step of a run with this schedule (for the studio's preview). */
export function scheduleCurve(config: ScheduleConfig | undefined, lr: number, length: RunLength): number[] {
  const steps = length.epochs * length.stepsPerEpoch;
  if (!config) return new Array<number>(steps).fill(lr);
  const { schedule, every } = scheduleOf(config, lr, length);
  if (every === 'step') return hg.optim.lrCurve(schedule, lr, steps);
  const perEpoch = hg.optim.lrCurve(schedule, lr, length.epochs);
  return perEpoch.flatMap((value) => new Array<number>(length.stepsPerEpoch).fill(value));
}

/** The optimizer the training section names, over the given parameters. */
export function makeOptimizer(config: OptimizerConfig, params: hg.Tensor[]): hg.optim.Optimizer {
  const o = hg.optim;
  switch (config.kind) {
    case 'sgd':
      return new o.SGD(params, { ...config.params, lr: config.lr });
    case 'adam':
      return new o.Adam(params, { ...config.params, lr: config.lr });
    case 'adamw':
      return new o.AdamW(params, { ...config.params, lr: config.lr });
    case 'rmsprop':
      return new o.RMSprop(params, { ...config.params, lr: config.lr });
    case 'adagrad':
      return new o.Adagrad(params, { ...config.params, lr: config.lr });
  }
}
