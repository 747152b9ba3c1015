// Learning-rate schedules as data, and the lr they give as pure functions of the step. The
// scheduler classes (lr-scheduler.ts, one-cycle.ts) compute with these functions, and so does
// anything that only needs the numbers (the studio's preview curve), so both agree bit for bit.
// Epoch schedules use PyTorch's chainable form (the new lr from the current one), which is what
// makes them equal to torch's values; lrAt replays that recursion from the base lr.

export type Schedule =
  | { kind: 'step'; stepSize: number; gamma: number }
  | { kind: 'multistep'; milestones: readonly number[]; gamma: number }
  | { kind: 'exponential'; gamma: number }
  | { kind: 'cosine'; tMax: number; etaMin: number }
  | { kind: 'linear'; startFactor: number; endFactor: number; totalIters: number }
  | { kind: 'constant'; factor: number; totalIters: number }
  | { kind: 'polynomial'; totalIters: number; power: number }
  | {
      kind: 'onecycle';
      maxLr: number;
      totalSteps: number;
      pctStart: number;
      annealStrategy: 'cos' | 'linear';
      divFactor: number;
      finalDivFactor: number;
      threePhase: boolean;
    };

export type OneCycleSchedule = Extract<Schedule, { kind: 'onecycle' }>;

/** The lr at `epoch` given the lr at epoch − 1 (`lr`) and the base lr (PyTorch's get_lr). */
export function nextLr(s: Schedule, lr: number, base: number, epoch: number): number {
  switch (s.kind) {
    case 'step':
      return epoch === 0 || epoch % s.stepSize !== 0 ? lr : lr * s.gamma;
    case 'multistep':
      return lr * s.gamma ** s.milestones.filter((m) => m === epoch).length;
    case 'exponential':
      return epoch === 0 ? lr : lr * s.gamma;
    case 'cosine': {
      const T = s.tMax;
      if (epoch === 0) return lr;
      if ((epoch - 1 - T) % (2 * T) === 0) return lr + ((base - s.etaMin) * (1 - Math.cos(Math.PI / T))) / 2;
      return (
        ((1 + Math.cos((Math.PI * epoch) / T)) / (1 + Math.cos((Math.PI * (epoch - 1)) / T))) *
          (lr - s.etaMin) +
        s.etaMin
      );
    }
    case 'linear': {
      if (epoch === 0) return lr * s.startFactor;
      if (epoch > s.totalIters) return lr;
      const { startFactor: a, endFactor: b, totalIters: n } = s;
      return lr * (1 + (b - a) / (n * a + (epoch - 1) * (b - a)));
    }
    case 'constant':
      if (epoch === 0) return lr * s.factor;
      return epoch === s.totalIters ? lr * (1 / s.factor) : lr;
    case 'polynomial': {
      if (epoch === 0 || epoch > s.totalIters) return lr;
      const n = s.totalIters;
      return lr * ((1 - epoch / n) / (1 - (epoch - 1) / n)) ** s.power;
    }
    case 'onecycle':
      return oneCycleAt(s, epoch).lr;
  }
}

/** The lr at `step` of a schedule that starts from `base` (step 0 is the lr a new scheduler sets). */
export function lrAt(s: Schedule, base: number, step: number): number {
  if (s.kind === 'onecycle') return oneCycleAt(s, step).lr;
  let lr = base;
  for (let e = 0; e <= step; e++) lr = nextLr(s, lr, base, e);
  return lr;
}

/** lrAt for steps 0 … count − 1, in one pass. */
export function lrCurve(s: Schedule, base: number, count: number): number[] {
  const lrs: number[] = [];
  let lr = base;
  for (let e = 0; e < count; e++) lrs.push((lr = nextLr(s, lr, base, e)));
  return lrs;
}

type Level = 'initial' | 'max' | 'min';
type MomentumLevel = 'base' | 'max';
interface Phase {
  end: number;
  start: Level;
  stop: Level;
  /** Momentum goes the opposite way to the lr. */
  mStart: MomentumLevel;
  mStop: MomentumLevel;
}

function phases(s: OneCycleSchedule): Phase[] {
  const { pctStart: p, totalSteps: n } = s;
  return s.threePhase
    ? [
        { end: p * n - 1, start: 'initial', stop: 'max', mStart: 'max', mStop: 'base' },
        { end: 2 * p * n - 2, start: 'max', stop: 'initial', mStart: 'base', mStop: 'max' },
        { end: n - 1, start: 'initial', stop: 'min', mStart: 'max', mStop: 'max' },
      ]
    : [
        { end: p * n - 1, start: 'initial', stop: 'max', mStart: 'max', mStop: 'base' },
        { end: n - 1, start: 'max', stop: 'min', mStart: 'base', mStop: 'max' },
      ];
}

/**
 * One-cycle's lr at `step` in closed form, as in PyTorch: warm up from maxLr/divFactor to maxLr,
 * then anneal to a tiny value; with `momentum`, also the momentum, which cycles the other way.
 */
export function oneCycleAt(
  s: OneCycleSchedule,
  step: number,
  momentum?: { base: number; max: number },
): { lr: number; momentum: number | null } {
  const anneal = (start: number, end: number, pct: number) =>
    s.annealStrategy === 'linear'
      ? (end - start) * pct + start
      : end + ((start - end) / 2) * (Math.cos(Math.PI * pct) + 1);
  const initial = s.maxLr / s.divFactor;
  const levels: Record<Level, number> = { initial, max: s.maxLr, min: initial / s.finalDivFactor };
  const list = phases(s);
  let startStep = 0;
  let phase = list[0]!;
  for (let i = 0; i < list.length; i++) {
    phase = list[i]!;
    if (step <= phase.end || i === list.length - 1) break;
    startStep = phase.end;
  }
  const pct = (step - startStep) / (phase.end - startStep);
  return {
    lr: anneal(levels[phase.start], levels[phase.stop], pct),
    momentum: momentum ? anneal(momentum[phase.mStart], momentum[phase.mStop], pct) : null,
  };
}
