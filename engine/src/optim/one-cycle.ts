// OneCycleLR: warm the lr up to maxLr, then anneal it to a tiny value (two or three phases),
// cycling momentum (SGD's momentum, or Adam's beta1) the opposite way, as PyTorch does.
import { LRScheduler } from './lr-scheduler.ts';
import type { Optimizer } from './optimizer.ts';
import { oneCycleAt, type OneCycleSchedule } from './schedule.ts';

export interface OneCycleOptions {
  maxLr: number | number[];
  totalSteps: number;
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

  constructor(
    optimizer: Optimizer,
    readonly options: OneCycleOptions,
  ) {
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
