// A trained model as one file: safetensors weights whose metadata carries the graph document,
// the run's state (optimizer, schedule, counters, data order) and the charts' history. Save
// writes it next to the document (and Open of it brings all of it back); any weights file
// homemade-grad writes opens the same way, with whatever state it carries.
import { loadSafetensors, saveSafetensors } from '@hgrad/engine';
import { weightsMetadata } from '@hgrad/export';
import { checkGraph } from '@hgrad/ir';
import type { EpochMetrics } from '@hgrad/protocol';
import { engineCommands } from './engine-controller.ts';
import { fullDocument } from './document-store.ts';
import { useRun } from './run-store.ts';
import { runRecorder } from './run-recorder.ts';
import { lossesUpTo } from './series.ts';

interface History {
  losses: number[];
  /** Steps per loss entry (series.ts); absent in files from before the bound: 1. */
  lossStride?: number;
  epochs: EpochMetrics[];
}

/**
 * The trained state of the open document as a file, or null when it has not been trained.
 * `document`: the document as just saved (its text is what Open matches the file against).
 */
export async function trainedFileBytes(document = fullDocument()): Promise<Uint8Array | null> {
  if (useRun.getState().step === 0) return null;
  const checked = checkGraph(document);
  if (!checked.ok) return null;
  const snap = await engineCommands.snapshot();
  if (!snap) return null;
  const { losses, lossStride, epochs } = useRun.getState();
  const history: History = {
    losses: lossesUpTo(losses, lossStride, snap.step),
    lossStride,
    epochs: epochs.filter((e) => e.epoch <= snap.epoch),
  };
  const { tensors } = loadSafetensors(new Uint8Array(snap.weights));
  return saveSafetensors(
    tensors,
    weightsMetadata(checked.graph, { run: snap.state, history: JSON.stringify(history) }),
  );
}

/**
 * Puts a weights file's contents into the engine, once it has loaded the file's graph: the whole
 * run when the file carries it (then the charts come back too), else the weights. Returns what
 * came back, for the message, or null when nothing could be.
 */
export async function restoreTrainedFile(bytes: Uint8Array): Promise<string | null> {
  if (!(await engineCommands.sync(true))) return null;
  const { metadata } = loadSafetensors(bytes);
  if (typeof metadata.run === 'string') {
    const { tensors } = loadSafetensors(bytes);
    const ok = await engineCommands.restoreSnapshot(saveSafetensors(tensors), metadata.run);
    if (ok) {
      const history = JSON.parse(metadata.history ?? '{"losses":[],"epochs":[]}') as History;
      const { step, epoch } = JSON.parse(metadata.run) as { step: number; epoch: number };
      useRun.getState().actions.restoredHistory({ ...history, step, epoch });
      runRecorder.restored();
      return `its trained state (epoch ${epoch}, step ${step})`;
    }
  }
  return (await engineCommands.loadWeights(bytes)) ? 'its trained weights' : null;
}
