// The training configuration's learning-rate schedule → an engine scheduler. Epoch schedules
// (step, exponential, cosine, linear warm-up) advance after each epoch; one-cycle advances
// after each step, as in PyTorch training loops.
import type { TrainingConfig } from '@hgrad/ir';
import { Parameter } from '../nn/parameter.ts';
import { zeros } from '../creation.ts';
import { SGD } from '../optim/sgd.ts';
import type { Optimizer } from '../optim/optimizer.ts';
import {
  CosineAnnealingLR,
  ExponentialLR,
  LinearLR,
  StepLR,
  type LRScheduler,
} from '../optim/lr-scheduler.ts';
import { OneCycleLR } from '../optim/one-cycle.ts';

type Schedule = NonNullable<TrainingConfig['schedule']>;

export interface ScheduledRun {
  scheduler: LRScheduler;
  /** 'epoch': step() after every epoch; 'step': after every optimisation step. */
  every: 'epoch' | 'step';
}

const num = (params: Record<string, unknown>, key: string, fallback: number): number =>
  typeof params[key] === 'number' ? (params[key] as number) : fallback;

export function makeScheduler(
  schedule: Schedule,
  optimizer: Optimizer,
  { epochs, stepsPerEpoch }: { epochs: number; stepsPerEpoch: number },
): ScheduledRun {
  const p = schedule.params;
  switch (schedule.kind) {
    case 'step':
      return {
        scheduler: new StepLR(optimizer, num(p, 'stepSize', 10), num(p, 'gamma', 0.1)),
        every: 'epoch',
      };
    case 'exponential':
      return { scheduler: new ExponentialLR(optimizer, num(p, 'gamma', 0.95)), every: 'epoch' };
    case 'cosine':
      return {
        scheduler: new CosineAnnealingLR(optimizer, num(p, 'tMax', epochs), num(p, 'etaMin', 0)),
        every: 'epoch',
      };
    case 'linear':
      return {
        scheduler: new LinearLR(
          optimizer,
          num(p, 'startFactor', 0.1),
          num(p, 'endFactor', 1),
          num(p, 'totalIters', 5),
        ),
        every: 'epoch',
      };
    case 'onecycle': {
      const lr = optimizer.paramGroups[0]!.options.lr as number;
      const totalSteps = Math.max(1, epochs * stepsPerEpoch);
      return {
        scheduler: new OneCycleLR(optimizer, {
          maxLr: num(p, 'maxLr', lr),
          totalSteps,
          pctStart: num(p, 'pctStart', 0.3),
        }),
        every: 'step',
      };
    }
  }
}

/** The learning rate at every step of a run with this schedule (for the studio's preview). */
export function scheduleCurve(
  schedule: Schedule | undefined,
  lr: number,
  { epochs, stepsPerEpoch }: { epochs: number; stepsPerEpoch: number },
): number[] {
  const optimizer = new SGD([new Parameter(zeros([1]))], { lr });
  const run = schedule ? makeScheduler(schedule, optimizer, { epochs, stepsPerEpoch }) : null;
  const lrs: number[] = [];
  for (let e = 0; e < epochs; e++) {
    for (let s = 0; s < stepsPerEpoch; s++) {
      lrs.push(optimizer.paramGroups[0]!.options.lr as number);
      // OneCycle must not step past its last step (PyTorch raises there).
      if (run?.every === 'step' && lrs.length < epochs * stepsPerEpoch) run.scheduler.step();
    }
    if (run?.every === 'epoch') run.scheduler.step();
  }
  return lrs;
}
