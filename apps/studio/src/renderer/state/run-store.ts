// What the studio knows about the engine's run: its status, state and counters, and the metric
// series it streams (losses per step, epochs, gradient statistics, the decision boundary, the
// step-through). Data plus named actions only: the engine controller calls the actions, the
// components select what they draw.
import { create } from 'zustand';
import { appendEpochs, appendLosses, lossesUpTo } from './series.ts';
import type {
  DebugFrame,
  DebugPlanStep,
  DecisionBoundary,
  EpochMetrics,
  RunState,
  RuntimeEvent,
} from '@hgrad/protocol';

export type EngineStatus =
  | { state: 'starting' }
  | { state: 'loading' }
  | {
      state: 'ready';
      params: number;
      trainSamples: number;
      valSamples: number;
      compute: string;
      device: 'cpu' | 'webgpu';
    }
  | { state: 'problems'; count: number }
  | { state: 'failed'; message: string }
  | { state: 'crashed'; message: string };

export type GradStats = Omit<Extract<RuntimeEvent, { type: 'stats' }>, 'type'>;

export interface DebugState {
  plan: DebugPlanStep[];
  cursor: number;
  frame: DebugFrame | null;
}

interface RunData {
  status: EngineStatus;
  run: RunState;
  step: number;
  epoch: number;
  /** What the engine has loaded: the document without editor positions (null: nothing). */
  loadedKey: string | null;
  /**
   * The loss per step: entry i is the mean of steps i·lossStride + 1 … (i + 1)·lossStride (every
   * step, stride 1, until a long run fills series.ts's bound). Appended in place as losses stream
   * in (a copy per batch would cost a long run quadratic time); lossVersion changes with every append.
   */
  losses: number[];
  lossStride: number;
  lossVersion: number;
  /** The latest step's loss (null before the first). */
  lastLoss: number | null;
  epochs: EpochMetrics[];
  stats: GradStats | null;
  samplesPerSecond: number | null;
  boundary: DecisionBoundary | null;
  debug: DebugState | null;
  /**
   * The weight snapshots the engine keeps (time travel) and the one the studio shows (null: live).
   * Set only by the engine's 'history' events, which arrive before a load's reply: not a series.
   */
  history: { snapshots: { step: number; epoch: number }[]; viewing: number | null };
  /** A long read in the engine (a large table), 0 to 1; null when none is under way. */
  progress: { task: 'scan' | 'measure' | 'load' | 'decode'; fraction: number } | null;
}

export interface RunActions {
  setStatus(status: EngineStatus): void;
  /** A graph was loaded (or reloaded after a restart): the series start empty. */
  loaded(status: EngineStatus, loadedKey: string | null, run: RunState): void;
  /**
   * An edited graph continues the run: the series continue with the counters (the same data),
   * or start again (new data).
   */
  continued(status: EngineStatus, loadedKey: string, counters: { step: number; epoch: number } | null): void;
  /** The engine no longer has a usable graph. */
  unloaded(status: EngineStatus): void;
  /** The charts and counters saved with the trained state come back (after a reload). */
  restoredHistory(saved: {
    losses: number[];
    lossStride?: number;
    epochs: EpochMetrics[];
    step: number;
    epoch: number;
  }): void;
  /** Applies one streamed event; returns the epoch report when the event closed an epoch. */
  receive(event: RuntimeEvent): void;
  clearSeries(): void;
  setBoundary(boundary: DecisionBoundary | null): void;
  setDebug(debug: DebugState | null): void;
}

/** Empty series: fresh arrays each time (losses grows in place, so none may be shared). */
const emptySeries = () =>
  ({
    losses: [],
    lossStride: 1,
    lossVersion: 0,
    lastLoss: null,
    epochs: [],
    stats: null,
    step: 0,
    epoch: 0,
    samplesPerSecond: null,
    boundary: null,
    debug: null,
  }) satisfies Partial<RunData>;

export const useRun = create<RunData & { actions: RunActions }>()((set, get) => ({
  status: { state: 'starting' },
  run: 'empty',
  loadedKey: null,
  progress: null,
  history: { snapshots: [], viewing: null },
  ...emptySeries(),
  actions: {
    setStatus: (status) => set({ status }),
    loaded: (status, loadedKey, run) => set({ ...emptySeries(), status, loadedKey, run }),
    continued: (status, loadedKey, counters) =>
      set(
        counters
          ? {
              status,
              loadedKey,
              run: 'ready',
              step: counters.step,
              epoch: counters.epoch,
              losses: lossesUpTo(get().losses, get().lossStride, counters.step),
              epochs: get().epochs.filter((e) => e.epoch <= counters.epoch),
            }
          : { ...emptySeries(), status, loadedKey, run: 'ready' },
      ),
    unloaded: (status) => set({ status, loadedKey: null, run: 'empty' }),
    restoredHistory: ({ losses, lossStride = 1, epochs, step, epoch }) =>
      set({ losses, lossStride, lastLoss: losses.at(-1) ?? null, epochs, step, epoch, run: 'ready' }),
    clearSeries: () => set(emptySeries()),
    setBoundary: (boundary) => set({ boundary }),
    setDebug: (debug) => set({ debug }),
    receive(event) {
      switch (event.type) {
        case 'losses': {
          const { losses, lossVersion, lossStride } = get();
          if (event.losses.length === 0) return;
          set({
            lossStride: appendLosses(losses, lossStride, event.firstStep, event.losses),
            lossVersion: lossVersion + 1,
            lastLoss: event.losses[event.losses.length - 1]!,
            step: event.firstStep + event.losses.length - 1,
          });
          return;
        }
        case 'epochs': {
          const last = event.closed.at(-1);
          if (!last) return;
          set({
            epochs: appendEpochs(
              get().epochs,
              event.closed.map((c) => c.report),
            ),
            epoch: last.report.epoch,
            samplesPerSecond: last.report.samplesPerSecond,
          });
          return;
        }
        case 'state': {
          const status = get().status;
          set({
            run: event.state,
            step: event.step,
            epoch: event.epoch,
            ...(status.state === 'ready' ? { status: { ...status, compute: event.compute } } : {}),
          });
          return;
        }
        case 'stats': {
          const { type: _type, ...stats } = event;
          set({ stats });
          return;
        }
        case 'history':
          set({ history: { snapshots: event.snapshots, viewing: event.viewing } });
          return;
        case 'fault':
          return;
        case 'progress':
          set({ progress: event.fraction >= 1 ? null : { task: event.task, fraction: event.fraction } });
          return;
      }
    },
  },
}));
