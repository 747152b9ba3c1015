// The trained state autosave: the run's snapshot (weights, optimizer, schedule, counters, data
// order) and the charts' history are written to IndexedDB after every epoch, when training
// pauses or stops, after single steps, and every few seconds while training — so a reload or a
// crashed renderer brings them back with the autosaved graph (engine-controller restores them).
import { modelKey, engineCommands } from './engine-controller.ts';
import { useDocument } from './document-store.ts';
import { useRun } from './run-store.ts';
import { saveTrained } from './trained-store.ts';
import { lossesUpTo } from './series.ts';

const WHILE_TRAINING_MS = 5000;

export function startTrainedAutosave(): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let writing = false;
  const write = async () => {
    const run = useRun.getState();
    const key = modelKey(useDocument.getState().doc);
    if (writing || run.loadedKey !== key || run.status.state !== 'ready' || run.step === 0) return;
    writing = true;
    try {
      const snap = await engineCommands.snapshot();
      if (!snap || useRun.getState().loadedKey !== key) return;
      const { losses, lossStride, epochs } = useRun.getState();
      await saveTrained({
        modelKey: key,
        weights: snap.weights,
        state: snap.state,
        step: snap.step,
        epoch: snap.epoch,
        losses: lossesUpTo(losses, lossStride, snap.step),
        lossStride,
        epochs: epochs.filter((e) => e.epoch <= snap.epoch),
        savedAt: Date.now(),
      });
    } catch {
      // A full or unavailable IndexedDB only costs the autosave; training goes on.
    } finally {
      writing = false;
    }
  };
  const soon = (ms: number) => {
    clearTimeout(timer);
    timer = setTimeout(() => void write(), ms);
  };
  const unsubscribe = useRun.subscribe((state, previous) => {
    if (state.epochs.length !== previous.epochs.length) soon(50);
    else if (state.run !== previous.run && previous.run === 'training') soon(50);
    else if (state.step !== previous.step && state.run !== 'training') soon(500);
  });
  const periodic = setInterval(() => {
    if (useRun.getState().run === 'training') void write();
  }, WHILE_TRAINING_MS);
  return () => {
    clearTimeout(timer);
    clearInterval(periodic);
    unsubscribe();
  };
}
