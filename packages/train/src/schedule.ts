// The training section's optimizer and learning-rate schedule → engine objects. Epoch schedules
// (step, exponential, cosine, linear warm-up) advance after each epoch; one-cycle after each step,
// as in PyTorch training loops. The schedulers compute with the same pure lr functions as the
// studio's preview curve (lr-curve.ts), so the preview shows exactly the rates a run will use.
import * as hg from '@hgrad/engine';
import type { OptimizerConfig, ScheduleConfig } from '@hgrad/ir';
import { scheduleOf, type RunLength } from './lr-curve.ts';

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
  return { scheduler: schedulerFor(s, optimizer), every };
}

/** The engine's scheduler for a schedule (every kind the engine's schedule data has). */
function schedulerFor(s: hg.optim.Schedule, optimizer: hg.optim.Optimizer): hg.optim.LRScheduler {
  const o = hg.optim;
  switch (s.kind) {
    case 'step':
      return new o.StepLR(optimizer, s.stepSize, s.gamma);
    case 'multistep':
      return new o.MultiStepLR(optimizer, [...s.milestones], s.gamma);
    case 'exponential':
      return new o.ExponentialLR(optimizer, s.gamma);
    case 'cosine':
      return new o.CosineAnnealingLR(optimizer, s.tMax, s.etaMin);
    case 'linear':
      return new o.LinearLR(optimizer, s.startFactor, s.endFactor, s.totalIters);
    case 'constant':
      return new o.ConstantLR(optimizer, s.factor, s.totalIters);
    case 'polynomial':
      return new o.PolynomialLR(optimizer, s.totalIters, s.power);
    case 'onecycle':
      return new o.OneCycleLR(optimizer, { maxLr: s.maxLr, totalSteps: s.totalSteps, pctStart: s.pctStart });
  }
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
