// Keeps the engine in step with the document and drives it: loads the graph shortly after each
// change that matters to it (not while training), and turns the training and step-through
// commands into requests. Streamed events go to the run store; what a person should know goes
// to a toast (texts in engine-messages.ts). A crashed worker is replaced and the graph and the
// last weights come back.
import { serializeDocument, type GraphDocument } from '@hgrad/ir';
import type { InspectTarget, RuntimeEvent, RuntimeRequestBody, RuntimeResult } from '@hgrad/protocol';
import { connection } from '../engine/connection.ts';
import { datasetFiles } from './dataset-files.ts';
import { useDocument } from './document-store.ts';
import { messages } from './engine-messages.ts';
import { useRun, type EngineStatus } from './run-store.ts';
import { toast, useUi } from './ui-store.ts';
import { clearTrained, loadTrained } from './trained-store.ts';
import { runRecorder } from './run-recorder.ts';

type DebugAction = 'start' | 'forward' | 'back' | 'end' | 'stop' | 'jump';

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

const run = () => useRun.getState();
const actions = () => useRun.getState().actions;
const fail = (e: unknown) => toast('error', (e as Error).message, (e as { nodeId?: string }).nodeId);
const request = (body: RuntimeRequestBody) => connection.request(body);
/** The last 'ready' status, restored when a crashed worker is replaced. */
let lastReady: Extract<EngineStatus, { state: 'ready' }> | null = null;

let lastBoundary = -Infinity;
const BOUNDARY_EVERY_MS = 250;

function onEvent(event: RuntimeEvent): void {
  const before = run();
  actions().receive(event);
  runRecorder.onEvent(event);
  // The decision boundary follows training, at most a few times a second (a small model ends
  // hundreds of epochs a second, and each redraw costs the page a frame).
  const settled = event.type === 'state' && event.state !== 'training' && before.run === 'training';
  if (settled || (event.type === 'epochs' && performance.now() - lastBoundary > BOUNDARY_EVERY_MS)) {
    lastBoundary = performance.now();
    void engineCommands.refreshBoundary();
  }
  // Training that ran to its last epoch says so, with the result.
  const last = before.epochs.at(-1);
  if (event.type === 'state' && before.run === 'training' && event.state === 'ready' && last)
    toast('info', messages.finished(last));
  // A lost GPU device takes its weights with it: a fresh worker (with a fresh device, or the CPU
  // when WebGPU is gone) picks up from the last snapshot, as after a crash.
  if (event.type === 'fault' && event.error.name === 'DeviceLostError') {
    actions().setStatus({ state: 'crashed', message: event.error.message });
    toast('error', messages.deviceLost(event.error.message));
    void engineCommands.restart();
  } else if (event.type === 'fault') toast('error', event.error.message, event.error.nodeId);
}

connection.listen({
  event: onEvent,
  death(e) {
    actions().setStatus({ state: 'crashed', message: e.message });
    toast('error', messages.crashed(e.message));
    void engineCommands.restart();
  },
});

/** The travel request in flight, and the step asked for meanwhile (undefined: none). */
let travelling = false;
let travelWanted: number | null | undefined;

/** Set between an edit's automatic resume of training and the engine reporting it. */
let resuming = false;

/** The first load after the studio starts brings back the trained state autosaved with the document. */
let restorePending = true;

async function restoreTrained(key: string): Promise<void> {
  restorePending = false;
  const saved = await loadTrained(key).catch(() => null);
  if (!saved || saved.modelKey !== key) return;
  const r = await request({ type: 'restoreSnapshot', weights: saved.weights, state: saved.state }).catch(
    (e: unknown) => (
      toast(
        'error',
        `The trained weights saved with this graph could not be restored: ${(e as Error).message}`,
      ),
      null
    ),
  );
  if (!r) return;
  actions().restoredHistory(saved);
  runRecorder.restored();
  toast('info', messages.restoredTraining(saved.epoch, saved.step));
}

/** Which opened document the engine's run belongs to (document-store's `opened` counter). */
let loadedSession = -1;
/**
 * The weights each version of the graph had when it was left for a structurally different one,
 * by model key, so undo and redo bring back the trained weights that went with a version.
 */
const versions = new Map<string, ArrayBuffer>();
const MAX_VERSIONS = 12;

async function rememberVersion(): Promise<void> {
  // The engine still holds the version being left (its status may already say 'loading').
  const key = run().loadedKey;
  if (key === null) return;
  const r = await request({ type: 'getWeights' }).catch(() => null);
  if (r?.type !== 'weights') return;
  versions.delete(key);
  versions.set(key, r.safetensors);
  if (versions.size > MAX_VERSIONS) versions.delete(versions.keys().next().value!);
}

/**
 * Loads the document into the engine. An edit of the open document continues its run: every
 * parameter whose name and shape are unchanged keeps its trained value (and settings apply to
 * them), the rest are initialised and the studio says which; a version met before (undo, redo)
 * gets back the weights it had. Returns what carried over, or null when nothing loaded.
 */
async function load(
  doc: GraphDocument,
  key: string,
): Promise<Extract<RuntimeResult, { type: 'loaded' }> | null> {
  const session = useDocument.getState().opened;
  const continueRun = run().loadedKey !== null && loadedSession === session;
  if (continueRun) await rememberVersion();
  // Another document: the previous one's decision boundary and step-through do not belong to it.
  else {
    actions().setBoundary(null);
    actions().setDebug(null);
  }
  actions().setStatus({ state: 'loading' });
  try {
    const files = await datasetFiles(doc.nodes.find((n) => n.kind === 'Dataset')?.params);
    const loaded = await connection.runtime.load({
      type: 'load',
      document: JSON.parse(serializeDocument(doc)),
      ...(files ? { files } : {}),
      ...(continueRun ? { continueRun: true } : {}),
    });
    if (loaded.type === 'problems') {
      actions().loaded({ state: 'problems', count: loaded.problems.length }, null, 'empty');
      for (const p of loaded.problems.slice(0, 3)) toast('error', p.message, p.nodeId);
      return null;
    }
    if (loaded.type !== 'loaded') return null;
    loadedSession = session;
    // The document asked for WebGPU and there is none: it trains on the CPU, and says so.
    if (loaded.deviceFallback) toast('info', loaded.deviceFallback);
    const { params, trainSamples, valSamples, compute, device, carried } = loaded;
    lastReady = { state: 'ready', params, trainSamples, valSamples, compute, device };
    if (!carried) {
      actions().loaded(lastReady, key, 'ready');
      if (restorePending) await restoreTrained(key);
    } else {
      actions().continued(
        lastReady,
        key,
        carried.counters ? { step: loaded.step, epoch: loaded.epoch } : null,
      );
      runRecorder.changed();
      if (carried.initialized.length) {
        const version = versions.get(key);
        if (
          version &&
          (await request({ type: 'loadWeights', safetensors: version.slice(0) }).catch(() => null))
        )
          toast('info', messages.restoredVersion());
        else toast('info', messages.carried(carried));
      }
    }
    void engineCommands.refreshBoundary();
    return loaded;
  } catch (e) {
    actions().unloaded({ state: 'failed', message: (e as Error).message });
    fail(e);
    return null;
  }
}

export const engineCommands = {
  /**
   * Loads the current document into the engine if it changed since the last load. `announce`:
   * say why when the graph cannot be loaded (a person asked to train).
   */
  async sync(announce = false): Promise<boolean> {
    const { doc, analysis } = useDocument.getState();
    const key = modelKey(doc);
    if (run().loadedKey === key && run().status.state === 'ready') return true;
    if (analysis.problems.length) {
      actions().unloaded({ state: 'problems', count: analysis.problems.length });
      if (announce) {
        toast('error', messages.cannotTrain(analysis.problems), analysis.problems[0]!.nodeId);
        useUi.getState().commands.showTab('problems');
      }
      return false;
    }
    return (await load(doc, key)) !== null;
  },
  /**
   * Train continues from the current weights (after Pause, Stop or an edit); when the run has
   * done its epochs, it first adds `more` epochs to the document (one undoable step).
   */
  async train(more = 10): Promise<void> {
    if (!(await engineCommands.sync(true))) return;
    const { doc } = useDocument.getState();
    const epochs = doc.training?.epochs ?? 0;
    if (run().epoch >= epochs) {
      useDocument
        .getState()
        .commands.setTraining({ epochs: run().epoch + more }, `Train ${more} more epochs`);
      if (!(await engineCommands.sync(true))) return;
    }
    actions().setDebug(null);
    await request({ type: 'start' }).catch(fail);
  },
  /**
   * An edit while training: training pauses at the next step boundary, the edited graph is
   * loaded continuing the run, and training goes on by itself when no parameter changed shape;
   * otherwise it stays paused and says what changed.
   */
  async applyWhileTraining(): Promise<void> {
    const { doc, analysis } = useDocument.getState();
    await request({ type: 'pause' }).catch(() => undefined);
    if (analysis.problems.length) {
      toast(
        'info',
        `Training paused: the graph has a problem (${analysis.problems[0]!.message}); fix it to continue`,
      );
      actions().unloaded({ state: 'problems', count: analysis.problems.length });
      return;
    }
    const loaded = await load(doc, modelKey(doc));
    if (!loaded) return;
    if (loaded.carried?.initialized.length) toast('info', messages.pausedForEdit(loaded.carried));
    else {
      // Training resumes; an edit arriving before the engine says so still counts as during training.
      resuming = true;
      await request({ type: 'start' }).catch(fail);
    }
  },
  async pause(): Promise<void> {
    await request({ type: 'pause' }).catch(fail);
  },
  async stop(): Promise<void> {
    await request({ type: 'stop' }).catch(fail);
  },
  async step(): Promise<void> {
    if (!(await engineCommands.sync(true))) return;
    actions().setDebug(null);
    await request({ type: 'step', steps: 1 }).catch(fail);
  },
  async reset(): Promise<void> {
    if (run().loadedKey === null) return;
    // The run ends first: the engine reports step 0 before the request returns.
    runRecorder.ended('Reset weights');
    await request({ type: 'resetWeights' }).catch(fail);
    // Starting over is explicit: the autosaved trained state goes too.
    const key = run().loadedKey;
    if (key !== null) void clearTrained(key).catch(() => undefined);
    actions().clearSeries();
    void engineCommands.refreshBoundary();
  },
  async debug(action: DebugAction, index?: number): Promise<void> {
    if (action === 'stop') {
      actions().setDebug(null);
      if (run().loadedKey !== null) await request({ type: 'debug', action }).catch(() => undefined);
      return;
    }
    if (action === 'start' && !(await engineCommands.sync(true))) return;
    if (action !== 'start' && !run().debug) return engineCommands.debug('start');
    try {
      const r = await request({
        type: 'debug',
        action,
        ...(index !== undefined ? { index } : {}),
        samples: 8,
      });
      if (r.type === 'debug') {
        actions().setDebug({ plan: r.plan, cursor: r.cursor, frame: r.frame });
        // The values of the step are where the person looks: the Step-through tab, and the
        // inspector on the active node.
        useUi.getState().commands.showTab('debugger');
        if (r.frame) useDocument.getState().commands.select({ nodes: [r.frame.nodeId], edges: [] });
      }
    } catch (e) {
      fail(e);
    }
  },
  /** The current weights as safetensors; a graph with problems is refused with a toast. */
  async weights(): Promise<{ bytes: ArrayBuffer; names: string[] } | null> {
    if (!(await engineCommands.sync(true))) return null;
    const r = await request({ type: 'getWeights' }).catch((e: unknown) => (fail(e), null));
    return r?.type === 'weights' ? { bytes: r.safetensors, names: r.names } : null;
  },
  /** The run's whole state (for the autosave), or null when nothing is loaded. */
  async snapshot(): Promise<Extract<RuntimeResult, { type: 'snapshot' }> | null> {
    if (run().loadedKey === null) return null;
    const r = await request({ type: 'snapshot' }).catch(() => null);
    return r?.type === 'snapshot' ? r : null;
  },
  /** Continues a run from a snapshot (weights as safetensors and the run's state as JSON). */
  async restoreSnapshot(weights: Uint8Array, state: string): Promise<boolean> {
    const r = await request({ type: 'restoreSnapshot', weights: weights.slice().buffer, state }).catch(
      (e: unknown) => (fail(e), null),
    );
    return r !== null;
  },
  /** Replaces the model's weights (a full state dict, checked by the engine). */
  async loadWeights(bytes: Uint8Array): Promise<boolean> {
    const copy = bytes.slice().buffer;
    const r = await request({ type: 'loadWeights', safetensors: copy }).catch(
      (e: unknown) => (fail(e), null),
    );
    return r !== null;
  },
  /** The evaluation report of a split (null when nothing is loaded or the engine failed). */
  async report(split: 'validation' | 'test'): Promise<Extract<RuntimeResult, { type: 'report' }> | null> {
    if (run().loadedKey === null) return null;
    const r = await request({ type: 'report', split, examples: 1000 }).catch((e: unknown) => (fail(e), null));
    return r?.type === 'report' ? r : null;
  },
  /** The model on one sample of the person's own (null when nothing is loaded; errors are told). */
  async predict(values: number[]): Promise<Extract<RuntimeResult, { type: 'prediction' }> | null> {
    if (run().loadedKey === null) return null;
    const r = await request({ type: 'predict', values }).catch((e: unknown) => (fail(e), null));
    return r?.type === 'prediction' ? r : null;
  },
  /** The node's gradient checked against finite differences (null when it cannot be; the reason is told). */
  async gradcheck(nodeId: string): Promise<Extract<RuntimeResult, { type: 'gradcheck' }>['report'] | null> {
    if (run().loadedKey === null) return null;
    const r = await request({ type: 'gradcheck', nodeId }).catch((e: unknown) => (fail(e), null));
    return r?.type === 'gradcheck' ? r.report : null;
  },
  /** `length` characters continuing `prompt` (a character model), or null (the error is told). */
  async generate(prompt: string, length: number, temperature: number, seed: number): Promise<string | null> {
    if (run().loadedKey === null) return null;
    const r = await request({ type: 'generate', prompt, length, temperature, seed }).catch(
      (e: unknown) => (fail(e), null),
    );
    return r?.type === 'generated' ? r.text : null;
  },
  async samples(count: number): Promise<Extract<RuntimeResult, { type: 'samples' }> | null> {
    if (run().loadedKey === null) return null;
    const r = await request({ type: 'samples', count }).catch(() => null);
    return r?.type === 'samples' ? r : null;
  },
  /**
   * Shows the run as it was at a snapshot's step (null: live). A scrubber sends many: only the
   * latest one waiting is sent once the one in flight answers.
   */
  async travel(step: number | null): Promise<void> {
    if (run().loadedKey === null) return;
    travelWanted = step;
    if (travelling) return;
    travelling = true;
    try {
      while (travelWanted !== undefined) {
        const next: number | null = travelWanted;
        travelWanted = undefined;
        await request({ type: 'travel', step: next }).catch(fail);
      }
    } finally {
      travelling = false;
    }
    await engineCommands.refreshBoundary();
  },
  async refreshBoundary(): Promise<void> {
    if (run().loadedKey === null) return;
    const r = await request({ type: 'decisionBoundary', resolution: 48 }).catch(() => null);
    if (r?.type === 'decisionBoundary') actions().setBoundary(r.boundary);
  },
  async restart(): Promise<void> {
    const before = run();
    try {
      const report = await connection.runtime.restart();
      if (report.reloaded && before.status.state !== 'failed') {
        actions().loaded(lastReady ?? { state: 'starting' }, before.loadedKey, 'ready');
        toast('info', messages.restarted(report));
      } else actions().loaded({ state: 'starting' }, null, 'empty');
    } catch (e) {
      // A worker that keeps dying is not restarted forever: the studio says why and stops.
      actions().setStatus({ state: 'failed', message: (e as Error).message });
      toast('error', `The engine could not be restarted: ${(e as Error).message}`);
    }
  },
  async inspect(target: InspectTarget, full = false): Promise<RuntimeResult | null> {
    if (run().loadedKey === null) return null;
    return request({ type: 'inspect', target, full }).catch(() => null);
  },
};

/**
 * Loads the graph into the engine shortly after each change that matters to it; while training,
 * the edit is applied at a step boundary (applyWhileTraining), so the running model and the
 * canvas always agree.
 */
export function startAutoSync(): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let busy = false;
  const schedule = () => {
    clearTimeout(timer);
    timer = setTimeout(async () => {
      if (run().loadedKey === modelKey(useDocument.getState().doc)) return;
      if (busy) return schedule();
      busy = true;
      try {
        const training = run().run === 'training' || resuming;
        resuming = false;
        if (training) await engineCommands.applyWhileTraining();
        else await engineCommands.sync();
      } finally {
        busy = false;
      }
    }, 300);
  };
  schedule();
  const unsubscribe = useDocument.subscribe((state, previous) => {
    if (state.doc === previous.doc) return;
    // Another document: the old one's decision boundary and step-through go at once.
    if (state.opened !== previous.opened) {
      actions().setBoundary(null);
      actions().setDebug(null);
    }
    // Say at once that what the engine has is out of date, so nobody acts on the old graph.
    const r = run();
    if (r.run !== 'training' && r.loadedKey !== modelKey(state.doc) && r.status.state === 'ready')
      actions().setStatus({ state: 'loading' });
    schedule();
  });
  return () => {
    clearTimeout(timer);
    unsubscribe();
  };
}
