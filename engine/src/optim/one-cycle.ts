// OneCycleLR: warm the lr up to maxLr, then anneal it to a tiny value (two or three phases),
// cycling momentum (SGD's momentum, or Adam's beta1) the opposite way, as PyTorch does.
import { pyArgs, is, type PyRest } from '../args.ts';
import { LRScheduler } from './lr-scheduler.ts';
import type { Optimizer } from './optimizer.ts';
import { oneCycleAt, type OneCycleSchedule } from './schedule.ts';

export interface OneCycleOptions {
  maxLr: number | number[];
  /** The steps of the cycle; or give epochs and stepsPerEpoch. */
  totalSteps?: number | null;
  epochs?: number | null;
  stepsPerEpoch?: number | null;
  pctStart?: number;
  annealStrategy?: 'cos' | 'linear';
  divFactor?: number;
  finalDivFactor?: number;
  threePhase?: boolean;
  cycleMomentum?: boolean;
  baseMomentum?: number;
  maxMomentum?: number;
}

export class OneCycleLR extends LRScheduler {
  /** Each param group's schedule (groups may have their own maxLr). */
  private readonly schedules: OneCycleSchedule[];
  private readonly momentum: { base: number; max: number; usesBetas: boolean } | null;

  readonly options: OneCycleOptions & { totalSteps: number };

  constructor(optimizer: Optimizer, options: OneCycleOptions);
  constructor(
    optimizer: Optimizer,
    maxLr: number | number[],
    ...rest: PyRest<
      [
        totalSteps: number | null,
        epochs: number | null,
        stepsPerEpoch: number | null,
        pctStart: number,
        annealStrategy: 'cos' | 'linear',
        cycleMomentum: boolean,
        baseMomentum: number,
        maxMomentum: number,
        divFactor: number,
        finalDivFactor: number,
        threePhase: boolean,
      ],
      Partial<OneCycleOptions>
    >
  );
  constructor(optimizer: Optimizer, ...rest: unknown[]) {
    const given = pyArgs<OneCycleOptions & Record<string, unknown>>(
      'OneCycleLR',
      [
        'maxLr',
        'totalSteps',
        'epochs',
        'stepsPerEpoch',
        'pctStart',
        'annealStrategy',
        'cycleMomentum',
        'baseMomentum',
        'maxMomentum',
        'divFactor',
        'finalDivFactor',
        'threePhase',
      ],
      rest,
      {
        maxLr: (v) =>
          (typeof v === 'number' && v > 0) ||
          (Array.isArray(v) && v.every((x) => typeof x === 'number' && x > 0))
            ? null
            : 'must be a positive number (or one per parameter group)',
        totalSteps: is.orNull(is.positiveInt),
        epochs: is.orNull(is.positiveInt),
        stepsPerEpoch: is.orNull(is.positiveInt),
        pctStart: (v) => (typeof v === 'number' && v >= 0 && v <= 1 ? null : 'must be between 0 and 1'),
        annealStrategy: is.oneOf('cos', 'linear'),
        cycleMomentum: is.bool,
        baseMomentum: is.number,
        maxMomentum: is.number,
        divFactor: is.positive,
        finalDivFactor: is.positive,
        threePhase: is.bool,
      },
    );
    if (given.maxLr === undefined) throw new TypeError("OneCycleLR: missing required argument 'maxLr'");
    const steps =
      given.totalSteps ?? (given.epochs && given.stepsPerEpoch ? given.epochs * given.stepsPerEpoch : null);
    if (!steps)
      throw new TypeError('OneCycleLR: you must define either totalSteps OR (epochs AND stepsPerEpoch)');
    const options = { ...given, maxLr: given.maxLr, totalSteps: steps };
    const {
      maxLr,
      totalSteps,
      pctStart = 0.3,
      divFactor = 25,
      finalDivFactor = 1e4,
      threePhase = false,
    } = options;
    const maxLrs = optimizer.paramGroups.map((_, i) => (Array.isArray(maxLr) ? maxLr[i]! : maxLr));
    // OneCycleLR sets the initial lr itself, before the base constructor records it.
    optimizer.paramGroups.forEach((g, i) => {
      g.options.initial_lr = maxLrs[i]! / divFactor;
      g.options.lr = maxLrs[i]! / divFactor;
    });
    super(optimizer);
    this.schedules = maxLrs.map((max) => ({
      kind: 'onecycle',
      maxLr: max,
      totalSteps,
      pctStart,
      annealStrategy: options.annealStrategy ?? 'cos',
      divFactor,
      finalDivFactor,
      threePhase,
    }));
    if (options.cycleMomentum ?? true) {
      const usesBetas = optimizer.paramGroups.every((g) => Array.isArray(g.options.betas));
      if (!usesBetas && optimizer.paramGroups.some((g) => typeof g.options.momentum !== 'number'))
        throw new Error(
          'OneCycleLR: the optimizer has neither momentum nor betas; pass cycleMomentum: false',
        );
      this.momentum = { base: options.baseMomentum ?? 0.85, max: options.maxMomentum ?? 0.95, usesBetas };
      this.setMomentum(this.momentum.max);
    } else this.momentum = null;
    this.options = options;
    this.initialStep();
  }

  private setMomentum(m: number): void {
    for (const g of this.optimizer.paramGroups)
      if (this.momentum!.usesBetas) g.options.betas = [m, (g.options.betas as number[])[1]!];
      else g.options.momentum = m;
  }

  protected computeLr(): number[] {
    const step = this.lastEpoch;
    if (step > this.options.totalSteps)
      throw new Error(
        `OneCycleLR: tried to step ${step} times; the total number of steps is ${this.options.totalSteps}`,
      );
    const at = this.schedules.map((s) => oneCycleAt(s, step, this.momentum ?? undefined));
    if (this.momentum) this.setMomentum(at[0]!.momentum!);
    return at.map((a) => a.lr);
  }
}
