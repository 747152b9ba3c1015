// Where the trained state of the open document is kept between sessions: IndexedDB in the web
// build and in Electron's renderer alike (weights and optimizer state are binary and can be
// megabytes, too big for localStorage). One record: the latest snapshot of the autosaved document.
import type { EpochMetrics } from '@hgrad/protocol';
import { transact } from './idb.ts';

export interface TrainedState {
  /** The model key of the graph the snapshot belongs to (engine-controller's modelKey). */
  modelKey: string;
  /** The run snapshot: weights (safetensors) and the rest (JSON), as the runtime's 'snapshot' gives. */
  weights: ArrayBuffer;
  state: string;
  step: number;
  epoch: number;
  /** The charts' history. */
  losses: number[];
  epochs: EpochMetrics[];
  savedAt: number;
}

const KEY = 'autosave';

export async function saveTrained(state: TrainedState): Promise<void> {
  await transact('trained', 'readwrite', (s) => s.put(state, KEY));
}

export async function loadTrained(): Promise<TrainedState | null> {
  if (typeof indexedDB === 'undefined') return null;
  return ((await transact('trained', 'readonly', (s) => s.get(KEY))) as TrainedState | undefined) ?? null;
}

export async function clearTrained(): Promise<void> {
  if (typeof indexedDB === 'undefined') return;
  await transact('trained', 'readwrite', (s) => s.delete(KEY));
}
