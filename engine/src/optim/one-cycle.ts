// OneCycleLR: warm the lr up to maxLr, then anneal it to a tiny value (two or three phases),
// cycling momentum (SGD's momentum, or Adam's beta1) the opposite way, as PyTorch does.
import { LRScheduler } from './lr-scheduler.ts';
import type { Optimizer } from './optimizer.ts';

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

type Level = 'initial' | 'max' | 'min';
type MomentumLevel = 'base' | 'max';
interface Phase {
  end: number;
  start: Level;
  stop: Level;
  mStart: MomentumLevel;
  mStop: MomentumLevel;
}

export class OneCycleLR extends LRScheduler {
  private readonly phases: Phase[];
  private readonly groupLrs: Record<Level, number>[];
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
    this.groupLrs = maxLrs.map((max) => ({
      initial: max / divFactor,
      max,
      min: max / divFactor / finalDivFactor,
    }));
    this.phases = threePhase
      ? [
          { end: pctStart * totalSteps - 1, start: 'initial', stop: 'max', mStart: 'max', mStop: 'base' },
          { end: 2 * pctStart * totalSteps - 2, start: 'max', stop: 'initial', mStart: 'base', mStop: 'max' },
          { end: totalSteps - 1, start: 'initial', stop: 'min', mStart: 'max', mStop: 'max' },
        ]
      : [
          { end: pctStart * totalSteps - 1, start: 'initial', stop: 'max', mStart: 'max', mStop: 'base' },
          { end: totalSteps - 1, start: 'max', stop: 'min', mStart: 'base', mStop: 'max' },
        ];
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
    const anneal = (start: number, end: number, pct: number) =>
      this.options.annealStrategy === 'linear'
        ? (end - start) * pct + start
        : end + ((start - end) / 2) * (Math.cos(Math.PI * pct) + 1);
    let startStep = 0;
    let phase = this.phases[0]!;
    for (let i = 0; i < this.phases.length; i++) {
      phase = this.phases[i]!;
      if (step <= phase.end || i === this.phases.length - 1) break;
      startStep = phase.end;
    }
    const pct = (step - startStep) / (phase.end - startStep);
    if (this.momentum) this.setMomentum(anneal(this.momentum[phase.mStart], this.momentum[phase.mStop], pct));
    return this.groupLrs.map((g) => anneal(g[phase.start], g[phase.stop], pct));
  }
}
