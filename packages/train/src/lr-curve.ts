// A training section's schedule as the engine's schedule data (defaults filled in), and the
// learning rate at every step of a run, from the engine's pure lr functions. Free of tensors, so
// the studio's preview curve can use it on the page without loading the engine.
import { lrCurve, type Schedule } from '@hgrad/engine/schedule';
import type { ScheduleConfig } from '@hgrad/ir';

export interface RunLength {
  epochs: number;
  stepsPerEpoch: number;
}

/** A schedule as the engine's data (defaults filled in), and whether it advances per epoch or step. */
export function scheduleOf(
  config: ScheduleConfig,
  lr: number,
  { epochs, stepsPerEpoch }: RunLength,
): { schedule: Schedule; every: 'epoch' | 'step' } {
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

/** The learning rate at every step of a run with this schedule (for the studio's preview). */
export function scheduleCurve(config: ScheduleConfig | undefined, lr: number, length: RunLength): number[] {
  const steps = length.epochs * length.stepsPerEpoch;
  if (!config) return new Array<number>(steps).fill(lr);
  const { schedule, every } = scheduleOf(config, lr, length);
  if (every === 'step') return lrCurve(schedule, lr, steps);
  const perEpoch = lrCurve(schedule, lr, length.epochs);
  return perEpoch.flatMap((value) => new Array<number>(length.stepsPerEpoch).fill(value));
}
