// The engine worker as the studio sees it: connection and run state, streamed losses, epoch
// metrics and gradient statistics, the step-through debugger, and the commands that drive them.
// A crashed worker is noticed and replaced; the graph and the last weights come back.
import { create } from 'zustand';
import { serializeDocument, type GraphDocument } from '@hgrad/ir';
import {
  RuntimeSupervisor,
  type DebugFrame,
  type DebugPlanStep,
  type DecisionBoundary,
  type EpochReport,
  type InspectTarget,
  type RunState,
  type RuntimeEvent,
  type RuntimeResult,
} from '@hgrad/protocol';
import { spawnEngineWorker } from '../engine/engine-client.ts';
import { datasetFiles } from './dataset-files.ts';
import { useDocument } from './document-store.ts';
import { toast, useUi } from './ui-store.ts';

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

export interface GradStats {
  step: number;
  lr: number;
  params: { name: string; gradNorm: number; weightNorm: number }[];
  outputs: { nodeId: string; port: string; gradNorm: number }[];
}

export interface DebugState {
  plan: DebugPlanStep[];
  cursor: number;
  frame: DebugFrame | null;
}

interface EngineState {
  status: EngineStatus;
  run: RunState;
  step: number;
  epoch: number;
  /** What the engine has loaded: the document without editor positions (null: nothing). */
  loadedKey: string | null;
  losses: number[];
  epochs: EpochReport[];
  stats: GradStats | null;
  samplesPerSecond: number | null;
  boundary: DecisionBoundary | null;
  debug: DebugState | null;
  commands: EngineCommands;
}

export interface EngineCommands {
  /** Loads the current document into the engine if it changed since the last load. */
  /** `announce`: say why when the graph cannot be loaded (a person asked to train). */
  sync(announce?: boolean): Promise<boolean>;
  train(): Promise<void>;
  pause(): Promise<void>;
  stop(): Promise<void>;
  step(): Promise<void>;
  reset(): Promise<void>;
  debug(action: 'start' | 'forward' | 'back' | 'end' | 'stop' | 'jump', index?: number): Promise<void>;
  weights(): Promise<{ bytes: ArrayBuffer; names: string[] } | null>;
  refreshBoundary(): Promise<void>;
  samples(count: number): Promise<Extract<RuntimeResult, { type: 'samples' }> | null>;
  restart(): Promise<void>;
  inspect(target: InspectTarget, full?: boolean): Promise<RuntimeResult | null>;
}

let supervisor: RuntimeSupervisor | null = null;

/** The document as the engine sees it: everything but editor positions and metadata. */
export function modelKey(doc: GraphDocument): string {
  const strip = (nodes: GraphDocument['nodes']) =>
    nodes.map(({ id, kind, params }) => ({ id, kind, params }));
  return JSON.stringify({
    nodes: strip(doc.nodes),
    edges: doc.edges,
    subgraphs: doc.subgraphs?.map((g) => ({ ...g, nodes: strip(g.nodes) })),
    training: doc.training,
  });
}

/** Loads the graph into the engine shortly after each change that matters to it (not while training). */
export function startAutoSync(): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const schedule = () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      const engine = useEngine.getState();
      if (engine.run === 'training' || engine.loadedKey === modelKey(useDocument.getState().doc)) return;
      void engine.commands.sync();
    }, 300);
  };
  schedule();
  const unsubscribe = useDocument.subscribe((state, previous) => {
    if (state.doc === previous.doc) return;
    // Say at once that what the engine has is out of date, so nobody acts on the old graph.
    const engine = useEngine.getState();
    if (
      engine.run !== 'training' &&
      engine.loadedKey !== modelKey(state.doc) &&
      engine.status.state === 'ready'
    )
      useEngine.setState({ status: { state: 'loading' } });
    schedule();
  });
  return () => {
    clearTimeout(timer);
    unsubscribe();
  };
}
/** The last 'ready' status, restored when a crashed worker is replaced. */
let lastReady: Extract<EngineStatus, { state: 'ready' }> | null = null;

export const useEngine = create<EngineState>()((set, get) => {
  const fail = (e: unknown) => {
    const message = (e as Error).message;
    toast('error', message, (e as { nodeId?: string }).nodeId);
  };
  const onEvent = (event: RuntimeEvent) => {
    const client = supervisor!.client;
    if (event.type === 'losses') set({ losses: [...client.lossHistory], step: client.lossHistory.length });
    else if (event.type === 'epoch') {
      set({
        epochs: [...get().epochs, event.report],
        epoch: event.report.epoch,
        samplesPerSecond: event.report.samplesPerSecond,
      });
      void get().commands.refreshBoundary();
    } else if (event.type === 'state') {
      const status = get().status;
      const last = get().epochs.at(-1);
      // Training that ran to its last epoch says so, with the result.
      if (get().run === 'training' && event.state === 'ready' && last)
        toast(
          'info',
          `Training finished after ${last.epoch} epochs: validation loss ${last.valLoss.toFixed(4)}` +
            (last.valAccuracy !== null ? `, accuracy ${(last.valAccuracy * 100).toFixed(1)}%` : ''),
        );
      set({
        run: event.state,
        step: event.step,
        epoch: event.epoch,
        ...(status.state === 'ready' ? { status: { ...status, compute: event.compute } } : {}),
      });
    } else if (event.type === 'stats') set({ stats: event });
    else if (event.type === 'fault') toast('error', event.error.message, event.error.nodeId);
  };
  const engine = (): RuntimeSupervisor => {
    if (supervisor) return supervisor;
    supervisor = new RuntimeSupervisor(spawnEngineWorker);
    supervisor.on(onEvent);
    supervisor.onDeath((e) => {
      set({ status: { state: 'crashed', message: e.message }, run: 'paused' });
      toast('error', `${e.message}. Restarting the engine with the last saved weights…`);
      void get().commands.restart();
    });
    return supervisor;
  };
  const request = (body: Parameters<RuntimeSupervisor['client']['request']>[0]) =>
    engine().client.request(body);
  const clearRun = () =>
    set({
      losses: [],
      epochs: [],
      stats: null,
      step: 0,
      epoch: 0,
      samplesPerSecond: null,
      boundary: null,
      debug: null,
    });

  return {
    status: { state: 'starting' },
    run: 'empty',
    step: 0,
    epoch: 0,
    loadedKey: null,
    losses: [],
    epochs: [],
    stats: null,
    samplesPerSecond: null,
    boundary: null,
    debug: null,
    commands: {
      async sync(announce = false) {
        const { doc, analysis } = useDocument.getState();
        const key = modelKey(doc);
        if (get().loadedKey === key && get().status.state === 'ready') return true;
        if (analysis.problems.length) {
          set({
            status: { state: 'problems', count: analysis.problems.length },
            loadedKey: null,
            run: 'empty',
          });
          if (announce) {
            const first = analysis.problems[0]!;
            const more =
              analysis.problems.length > 1 ? ` (and ${analysis.problems.length - 1} more in Problems)` : '';
            toast('error', `Cannot train yet: ${first.message}${more}`, first.nodeId);
            useUi.getState().commands.showTab('problems');
          }
          return false;
        }
        set({ status: { state: 'loading' } });
        try {
          const files = await datasetFiles(doc.training?.dataset.name ?? '');
          const loaded = await engine().load({
            type: 'load',
            document: JSON.parse(serializeDocument(doc)),
            files,
          });
          engine().client.lossHistory.length = 0;
          clearRun();
          if (loaded.type === 'problems') {
            set({ status: { state: 'problems', count: loaded.problems.length }, loadedKey: null });
            for (const p of loaded.problems.slice(0, 3)) toast('error', p.message, p.nodeId);
            return false;
          }
          if (loaded.type !== 'loaded') return false;
          // The document asked for WebGPU and there is none: it trains on the CPU, and says so.
          if (loaded.deviceFallback) toast('info', loaded.deviceFallback);
          lastReady = {
            state: 'ready',
            params: loaded.params,
            trainSamples: loaded.trainSamples,
            valSamples: loaded.valSamples,
            compute: loaded.compute,
            device: loaded.device,
          };
          set({
            status: lastReady,
            loadedKey: key,
            run: 'ready',
          });
          void get().commands.refreshBoundary();
          return true;
        } catch (e) {
          set({ status: { state: 'failed', message: (e as Error).message }, loadedKey: null });
          fail(e);
          return false;
        }
      },
      async train() {
        if (!(await get().commands.sync(true))) return;
        set({ debug: null });
        await request({ type: 'start' }).catch(fail);
      },
      async pause() {
        await request({ type: 'pause' }).catch(fail);
      },
      async stop() {
        await request({ type: 'stop' }).catch(fail);
      },
      async step() {
        if (!(await get().commands.sync(true))) return;
        set({ debug: null });
        await request({ type: 'step', steps: 1 }).catch(fail);
      },
      async reset() {
        if (get().loadedKey === null) return;
        await request({ type: 'resetWeights' }).catch(fail);
        engine().client.lossHistory.length = 0;
        clearRun();
        void get().commands.refreshBoundary();
      },
      async debug(action, index) {
        if (action === 'stop') {
          set({ debug: null });
          if (get().loadedKey !== null) await request({ type: 'debug', action }).catch(() => undefined);
          return;
        }
        if (action === 'start' && !(await get().commands.sync(true))) return;
        if (action !== 'start' && !get().debug) return get().commands.debug('start');
        try {
          const r = await request({
            type: 'debug',
            action,
            ...(index !== undefined ? { index } : {}),
            samples: 8,
          });
          if (r.type === 'debug') set({ debug: { plan: r.plan, cursor: r.cursor, frame: r.frame } });
        } catch (e) {
          fail(e);
        }
      },
      async weights() {
        if (!(await get().commands.sync())) return null;
        const r = await request({ type: 'getWeights' }).catch((e: unknown) => (fail(e), null));
        return r?.type === 'weights' ? { bytes: r.safetensors, names: r.names } : null;
      },
      async samples(count) {
        if (get().loadedKey === null) return null;
        const r = await request({ type: 'samples', count }).catch(() => null);
        return r?.type === 'samples' ? r : null;
      },
      async refreshBoundary() {
        if (get().loadedKey === null) return;
        const r = await request({ type: 'decisionBoundary', resolution: 48 }).catch(() => null);
        if (r?.type === 'decisionBoundary') set({ boundary: r.boundary });
      },
      async restart() {
        const before = get();
        try {
          const report = await engine().restart();
          engine().client.lossHistory.length = 0;
          clearRun();
          if (report.reloaded && before.status.state !== 'failed') {
            set({
              loadedKey: before.loadedKey,
              run: 'ready',
              status: lastReady ?? { state: 'starting' },
            });
            toast(
              'info',
              report.weightsRestored
                ? 'Engine restarted; the last weights snapshot was restored'
                : 'Engine restarted with fresh weights',
            );
          } else set({ status: { state: 'starting' }, loadedKey: null, run: 'empty' });
        } catch (e) {
          set({ status: { state: 'failed', message: (e as Error).message } });
        }
      },
      async inspect(target, full = false) {
        if (get().loadedKey === null) return null;
        return request({ type: 'inspect', target, full }).catch(() => null);
      },
    },
  };
});
