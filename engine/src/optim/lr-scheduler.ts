// Learning-rate schedulers with PyTorch's semantics: constructing one sets the initial lr
// (step 0); each step() advances one epoch and writes the new lr into every param group.
// CosineAnnealingLR uses PyTorch's recursive (chainable) form, so values match torch exactly.
import { pyArgs, is, type Check, type PyRest } from '../args.ts';
import { Optimizer } from './optimizer.ts';
import { nextLr, type Schedule } from './schedule.ts';

export interface SchedulerState {
  lastEpoch: number;
  baseLrs: number[];
  lastLr: number[];
  [key: string]: unknown;
}

/** A scheduler's arguments after the optimizer: positional in PyTorch's order, or options. */
function schedulerArgs<T extends Record<string, unknown>>(
  name: string,
  optimizer: unknown,
  names: readonly (keyof T & string)[],
  required: readonly (keyof T & string)[],
  rest: readonly unknown[],
  checks: Partial<Record<keyof T & string, Check>>,
): Partial<T> {
  if (!(optimizer instanceof Optimizer))
    throw new TypeError(`${name}: the first argument must be an optimizer, got ${typeof optimizer}`);
  const values = pyArgs<T>(name, names, rest, checks);
  for (const key of required)
    if (values[key] === undefined) throw new TypeError(`${name}: missing required argument '${key}'`);
  return values;
}

export abstract class LRScheduler {
  lastEpoch = -1;
  baseLrs: number[];
  lastLr: number[] = [];

  constructor(
    readonly optimizer: Optimizer,
    lastEpoch = -1,
  ) {
    for (const g of optimizer.paramGroups)
      if (g.options.initial_lr === undefined) g.options.initial_lr = g.options.lr as number;
    this.baseLrs = optimizer.paramGroups.map((g) => g.options.initial_lr as number);
    this.lastEpoch = lastEpoch;
  }

  /** Called at the end of subclass constructors: PyTorch's initial step to epoch 0. */
  protected initialStep(): void {
    this.step();
  }

  protected currentLrs(): number[] {
    return this.optimizer.paramGroups.map((g) => g.options.lr as number);
  }

  /** The lrs for the new lastEpoch, from the current ones (chainable form). */
  protected abstract computeLr(): number[];

  /** computeLr for a schedule described as data (see schedule.ts). */
  protected scheduled(s: Schedule): number[] {
    return this.currentLrs().map((lr, i) => nextLr(s, lr, this.baseLrs[i]!, this.lastEpoch));
  }

  step(): void {
    this.lastEpoch++;
    const lrs = this.computeLr();
    this.optimizer.paramGroups.forEach((g, i) => (g.options.lr = lrs[i]!));
    this.lastLr = lrs;
  }

  getLastLr(): number[] {
    return [...this.lastLr];
  }

  /** The closed-form lrs at epoch 0 (what PyTorch's step(0) sets); most schedules start at base. */
  lrAtZero(): number[] {
    return [...this.baseLrs];
  }

  /** Restarts the schedule at epoch 0 (SequentialLR's switch at a milestone). */
  restart(): void {
    this.lastEpoch = 0;
    const lrs = this.lrAtZero();
    this.optimizer.paramGroups.forEach((g, i) => (g.options.lr = lrs[i]!));
    this.lastLr = lrs;
  }

  stateDict(): SchedulerState {
    const { optimizer: _optimizer, ...rest } = this as unknown as Record<string, unknown>;
    return JSON.parse(JSON.stringify(rest)) as SchedulerState;
  }

  loadStateDict(state: SchedulerState): void {
    Object.assign(this, state);
  }
}

export class StepLR extends LRScheduler {
  readonly stepSize: number;
  readonly gamma: number;
  constructor(optimizer: Optimizer, options: { stepSize: number; gamma?: number });
  constructor(optimizer: Optimizer, stepSize: number, gamma?: number, options?: { gamma?: number });
  constructor(optimizer: Optimizer, ...rest: unknown[]) {
    const o = schedulerArgs<{ stepSize: number; gamma: number }>(
      'StepLR',
      optimizer,
      ['stepSize', 'gamma'],
      ['stepSize'],
      rest,
      {
        stepSize: is.positiveInt,
        gamma: is.number,
      },
    );
    super(optimizer);
    this.stepSize = o.stepSize!;
    this.gamma = o.gamma ?? 0.1;
    this.initialStep();
  }
  protected computeLr(): number[] {
    return this.scheduled({ kind: 'step', stepSize: this.stepSize, gamma: this.gamma });
  }
}

export class MultiStepLR extends LRScheduler {
  readonly milestones: number[];
  readonly gamma: number;
  constructor(optimizer: Optimizer, options: { milestones: number[]; gamma?: number });
  constructor(optimizer: Optimizer, milestones: number[], gamma?: number, options?: { gamma?: number });
  constructor(optimizer: Optimizer, ...rest: unknown[]) {
    const o = schedulerArgs<{ milestones: number[]; gamma: number }>(
      'MultiStepLR',
      optimizer,
      ['milestones', 'gamma'],
      ['milestones'],
      rest,
      { milestones: is.listOf(is.nonNegativeInt, 'epoch numbers'), gamma: is.number },
    );
    super(optimizer);
    this.milestones = [...o.milestones!];
    this.gamma = o.gamma ?? 0.1;
    this.initialStep();
  }
  protected computeLr(): number[] {
    return this.scheduled({ kind: 'multistep', milestones: this.milestones, gamma: this.gamma });
  }
}

export class ExponentialLR extends LRScheduler {
  readonly gamma: number;
  constructor(optimizer: Optimizer, options: { gamma: number });
  constructor(optimizer: Optimizer, gamma: number);
  constructor(optimizer: Optimizer, ...rest: unknown[]) {
    const o = schedulerArgs<{ gamma: number }>('ExponentialLR', optimizer, ['gamma'], ['gamma'], rest, {
      gamma: is.number,
    });
    super(optimizer);
    this.gamma = o.gamma!;
    this.initialStep();
  }
  protected computeLr(): number[] {
    return this.scheduled({ kind: 'exponential', gamma: this.gamma });
  }
}

export class CosineAnnealingLR extends LRScheduler {
  readonly tMax: number;
  readonly etaMin: number;
  constructor(optimizer: Optimizer, options: { tMax: number; etaMin?: number });
  constructor(optimizer: Optimizer, tMax: number, etaMin?: number, options?: { etaMin?: number });
  constructor(optimizer: Optimizer, ...rest: unknown[]) {
    const o = schedulerArgs<{ tMax: number; etaMin: number }>(
      'CosineAnnealingLR',
      optimizer,
      ['tMax', 'etaMin'],
      ['tMax'],
      rest,
      {
        tMax: is.positiveInt,
        etaMin: is.nonNegative,
      },
    );
    super(optimizer);
    this.tMax = o.tMax!;
    this.etaMin = o.etaMin ?? 0;
    this.initialStep();
  }
  protected computeLr(): number[] {
    return this.scheduled({ kind: 'cosine', tMax: this.tMax, etaMin: this.etaMin });
  }
}

export class LinearLR extends LRScheduler {
  readonly startFactor: number;
  readonly endFactor: number;
  readonly totalIters: number;
  constructor(
    optimizer: Optimizer,
    options?: { startFactor?: number; endFactor?: number; totalIters?: number },
  );
  constructor(
    optimizer: Optimizer,
    startFactor?: number,
    endFactor?: number,
    totalIters?: number,
    options?: { startFactor?: number; endFactor?: number; totalIters?: number },
  );
  constructor(optimizer: Optimizer, ...rest: unknown[]) {
    const o = schedulerArgs<{ startFactor: number; endFactor: number; totalIters: number }>(
      'LinearLR',
      optimizer,
      ['startFactor', 'endFactor', 'totalIters'],
      [],
      rest,
      { startFactor: is.number, endFactor: is.number, totalIters: is.positiveInt },
    );
    super(optimizer);
    this.startFactor = o.startFactor ?? 1 / 3;
    this.endFactor = o.endFactor ?? 1;
    this.totalIters = o.totalIters ?? 5;
    if (this.startFactor > 1 || this.startFactor <= 0)
      throw new Error(
        'LinearLR: starting multiplicative factor expected to be greater than 0 and less or equal to 1',
      );
    if (this.endFactor > 1 || this.endFactor < 0)
      throw new Error('LinearLR: ending multiplicative factor expected to be between 0 and 1');
    this.initialStep();
  }
  override lrAtZero(): number[] {
    return this.baseLrs.map((b) => b * this.startFactor);
  }

  protected computeLr(): number[] {
    const { startFactor, endFactor, totalIters } = this;
    return this.scheduled({ kind: 'linear', startFactor, endFactor, totalIters });
  }
}

export class LambdaLR extends LRScheduler {
  readonly lrLambda: (epoch: number) => number;
  constructor(optimizer: Optimizer, options: { lrLambda: (epoch: number) => number });
  constructor(optimizer: Optimizer, lrLambda: (epoch: number) => number);
  constructor(optimizer: Optimizer, ...rest: unknown[]) {
    const o = schedulerArgs<{ lrLambda: (epoch: number) => number }>(
      'LambdaLR',
      optimizer,
      ['lrLambda'],
      ['lrLambda'],
      rest,
      {
        lrLambda: is.function,
      },
    );
    super(optimizer);
    this.lrLambda = o.lrLambda!;
    this.initialStep();
  }
  protected computeLr(): number[] {
    return this.baseLrs.map((base) => base * this.lrLambda(this.lastEpoch));
  }
  override stateDict(): SchedulerState {
    const { lrLambda: _fn, ...rest } = super.stateDict();
    return rest as SchedulerState;
  }
}

/** The lr times `factor` until epoch `totalIters`, then the lr itself (torch's ConstantLR). */
export class ConstantLR extends LRScheduler {
  readonly factor: number;
  readonly totalIters: number;
  constructor(optimizer: Optimizer, options?: { factor?: number; totalIters?: number });
  constructor(optimizer: Optimizer, factor?: number, totalIters?: number, options?: { totalIters?: number });
  constructor(optimizer: Optimizer, ...rest: unknown[]) {
    const o = schedulerArgs<{ factor: number; totalIters: number }>(
      'ConstantLR',
      optimizer,
      ['factor', 'totalIters'],
      [],
      rest,
      { factor: is.probability, totalIters: is.nonNegativeInt },
    );
    super(optimizer);
    this.factor = o.factor ?? 1 / 3;
    this.totalIters = o.totalIters ?? 5;
    this.initialStep();
  }
  override lrAtZero(): number[] {
    return this.baseLrs.map((b) => b * this.factor);
  }
  protected computeLr(): number[] {
    return this.scheduled({ kind: 'constant', factor: this.factor, totalIters: this.totalIters });
  }
}

/** The lr decayed as (1 − epoch/totalIters)^power, then held (torch's PolynomialLR). */
export class PolynomialLR extends LRScheduler {
  readonly totalIters: number;
  readonly power: number;
  constructor(optimizer: Optimizer, options?: { totalIters?: number; power?: number });
  constructor(optimizer: Optimizer, totalIters?: number, power?: number, options?: { power?: number });
  constructor(optimizer: Optimizer, ...rest: unknown[]) {
    const o = schedulerArgs<{ totalIters: number; power: number }>(
      'PolynomialLR',
      optimizer,
      ['totalIters', 'power'],
      [],
      rest,
      { totalIters: is.positiveInt, power: is.number },
    );
    super(optimizer);
    this.totalIters = o.totalIters ?? 5;
    this.power = o.power ?? 1;
    this.initialStep();
  }
  protected computeLr(): number[] {
    return this.scheduled({ kind: 'polynomial', totalIters: this.totalIters, power: this.power });
  }
}

/** The lr multiplied by lrLambda(epoch) at every epoch after the first (torch's MultiplicativeLR). */
export class MultiplicativeLR extends LRScheduler {
  readonly lrLambda: (epoch: number) => number;
  constructor(optimizer: Optimizer, options: { lrLambda: (epoch: number) => number });
  constructor(optimizer: Optimizer, lrLambda: (epoch: number) => number);
  constructor(optimizer: Optimizer, ...rest: unknown[]) {
    const o = schedulerArgs<{ lrLambda: (epoch: number) => number }>(
      'MultiplicativeLR',
      optimizer,
      ['lrLambda'],
      ['lrLambda'],
      rest,
      { lrLambda: is.function },
    );
    super(optimizer);
    this.lrLambda = o.lrLambda!;
    this.initialStep();
  }
  protected computeLr(): number[] {
    return this.currentLrs().map((lr) => (this.lastEpoch > 0 ? lr * this.lrLambda(this.lastEpoch) : lr));
  }
  override stateDict(): SchedulerState {
    const { lrLambda: _fn, ...rest } = super.stateDict();
    return rest as SchedulerState;
  }
}

/**
 * Cosine annealing from the base lr to etaMin over tI epochs, restarting at the base lr; each
 * period tMult times the last (torch's CosineAnnealingWarmRestarts, stepped once per epoch).
 */
export class CosineAnnealingWarmRestarts extends LRScheduler {
  readonly t0: number;
  readonly tMult: number;
  readonly etaMin: number;
  /** Epochs since the last restart, and the current period. */
  tCur = -1;
  tI: number;
  constructor(optimizer: Optimizer, options: { t0: number; tMult?: number; etaMin?: number });
  constructor(
    optimizer: Optimizer,
    t0: number,
    tMult?: number,
    etaMin?: number,
    options?: { etaMin?: number },
  );
  constructor(optimizer: Optimizer, ...rest: unknown[]) {
    const o = schedulerArgs<{ t0: number; tMult: number; etaMin: number }>(
      'CosineAnnealingWarmRestarts',
      optimizer,
      ['t0', 'tMult', 'etaMin'],
      ['t0'],
      rest,
      { t0: is.positiveInt, tMult: is.positiveInt, etaMin: is.number },
    );
    super(optimizer);
    this.t0 = o.t0!;
    this.tI = this.t0;
    this.tMult = o.tMult ?? 1;
    this.etaMin = o.etaMin ?? 0;
    this.initialStep();
  }
  override step(): void {
    if (this.lastEpoch < 0) this.tCur = 0;
    else if (++this.tCur >= this.tI) {
      this.tCur -= this.tI;
      this.tI *= this.tMult;
    }
    super.step();
  }
  override restart(): void {
    [this.tCur, this.tI] = [0, this.t0];
    super.restart();
  }
  protected computeLr(): number[] {
    const { etaMin, tCur, tI } = this;
    return this.baseLrs.map((base) => etaMin + ((base - etaMin) * (1 + Math.cos((Math.PI * tCur) / tI))) / 2);
  }
}

/** Runs schedulers one after another, switching at the milestones. */
export class SequentialLR extends LRScheduler {
  readonly schedulers: LRScheduler[];
  readonly milestones: number[];
  constructor(optimizer: Optimizer, options: { schedulers: LRScheduler[]; milestones: number[] });
  constructor(optimizer: Optimizer, schedulers: LRScheduler[], milestones: number[]);
  constructor(optimizer: Optimizer, ...rest: unknown[]) {
    const o = schedulerArgs<{ schedulers: LRScheduler[]; milestones: number[] }>(
      'SequentialLR',
      optimizer,
      ['schedulers', 'milestones'],
      ['schedulers', 'milestones'],
      rest,
      { milestones: is.listOf(is.nonNegativeInt, 'epoch numbers') },
    );
    super(optimizer);
    const schedulers = o.schedulers!;
    const milestones = o.milestones!;
    this.schedulers = schedulers;
    this.milestones = milestones;
    if (milestones.length !== schedulers.length - 1)
      throw new Error(`SequentialLR: expected ${schedulers.length - 1} milestones, got ${milestones.length}`);
    // Undo the initial steps the child schedulers took, then start the first one again.
    optimizer.paramGroups.forEach((g, i) => (g.options.lr = this.baseLrs[i]!));
    for (const s of schedulers) s.lastEpoch -= 1;
    schedulers[0]!.step();
    this.lastEpoch = 0;
    this.lastLr = schedulers[0]!.getLastLr();
  }

  protected computeLr(): number[] {
    return this.currentLrs();
  }

  override step(): void {
    this.lastEpoch++;
    const idx = this.milestones.filter((m) => m <= this.lastEpoch).length;
    const scheduler = this.schedulers[idx]!;
    if (idx > 0 && this.milestones[idx - 1] === this.lastEpoch) scheduler.restart();
    else scheduler.step();
    this.lastLr = scheduler.getLastLr();
  }

  override stateDict(): SchedulerState {
    return {
      lastEpoch: this.lastEpoch,
      baseLrs: this.baseLrs,
      lastLr: this.lastLr,
      schedulers: this.schedulers.map((s) => s.stateDict()),
    };
  }

  override loadStateDict(state: SchedulerState): void {
    this.lastEpoch = state.lastEpoch;
    this.lastLr = state.lastLr;
    (state.schedulers as SchedulerState[]).forEach((s, i) => this.schedulers[i]!.loadStateDict(s));
  }
}

export interface PlateauOptions {
  mode?: 'min' | 'max';
  factor?: number;
  patience?: number;
  threshold?: number;
  thresholdMode?: 'rel' | 'abs';
  cooldown?: number;
  minLr?: number;
  eps?: number;
}

/** Lowers the lr by `factor` when a metric stops improving for `patience` epochs. */
export class ReduceLROnPlateau {
  best: number;
  numBadEpochs = 0;
  cooldownCounter = 0;
  lastEpoch = 0;
  private readonly o: Required<PlateauOptions>;

  constructor(optimizer: Optimizer, options?: PlateauOptions);
  constructor(
    optimizer: Optimizer,
    ...rest: PyRest<
      [
        mode: 'min' | 'max',
        factor: number,
        patience: number,
        threshold: number,
        thresholdMode: 'rel' | 'abs',
        cooldown: number,
        minLr: number,
        eps: number,
      ],
      PlateauOptions
    >
  );
  constructor(
    readonly optimizer: Optimizer,
    ...rest: unknown[]
  ) {
    const options = schedulerArgs<PlateauOptions & Record<string, unknown>>(
      'ReduceLROnPlateau',
      optimizer,
      ['mode', 'factor', 'patience', 'threshold', 'thresholdMode', 'cooldown', 'minLr', 'eps'],
      [],
      rest,
      {
        mode: is.oneOf('min', 'max'),
        factor: is.positive,
        patience: is.nonNegativeInt,
        threshold: is.nonNegative,
        thresholdMode: is.oneOf('rel', 'abs'),
        cooldown: is.nonNegativeInt,
        minLr: is.nonNegative,
        eps: is.nonNegative,
      },
    );
    this.o = {
      mode: 'min',
      factor: 0.1,
      patience: 10,
      threshold: 1e-4,
      thresholdMode: 'rel',
      cooldown: 0,
      minLr: 0,
      eps: 1e-8,
      ...options,
    };
    if (this.o.factor >= 1) throw new Error('ReduceLROnPlateau: factor should be < 1.0');
    this.best = this.o.mode === 'min' ? Infinity : -Infinity;
  }

  private isBetter(a: number): boolean {
    const { mode, thresholdMode, threshold } = this.o;
    if (mode === 'min')
      return thresholdMode === 'rel' ? a < this.best * (1 - threshold) : a < this.best - threshold;
    return thresholdMode === 'rel' ? a > this.best * (threshold + 1) : a > this.best + threshold;
  }

  step(metric: number): void {
    this.lastEpoch++;
    if (this.isBetter(metric)) {
      this.best = metric;
      this.numBadEpochs = 0;
    } else this.numBadEpochs++;
    if (this.cooldownCounter > 0) {
      this.cooldownCounter--;
      this.numBadEpochs = 0;
    }
    if (this.numBadEpochs > this.o.patience) {
      for (const g of this.optimizer.paramGroups) {
        const old = g.options.lr as number;
        const next = Math.max(old * this.o.factor, this.o.minLr);
        if (old - next > this.o.eps) g.options.lr = next;
      }
      this.cooldownCounter = this.o.cooldown;
      this.numBadEpochs = 0;
    }
  }

  getLastLr(): number[] {
    return this.optimizer.paramGroups.map((g) => g.options.lr as number);
  }

  stateDict(): Record<string, number> {
    return {
      best: this.best,
      numBadEpochs: this.numBadEpochs,
      cooldownCounter: this.cooldownCounter,
      lastEpoch: this.lastEpoch,
    };
  }

  loadStateDict(state: Record<string, number>): void {
    Object.assign(this, state);
  }
}
