// Where trained states are kept between sessions: IndexedDB in the web build and in Electron's
// renderer alike (weights and optimizer state are binary and can be megabytes, too big for
// localStorage). One record per model (keyed by a hash of its model key), so two windows training
// two graphs never overwrite each other's; the most recently saved few are kept.
import type { EpochMetrics } from '@hgrad/protocol';
import { hasIndexedDb, transact } from './idb.ts';

export interface TrainedState {
  /** The model key of the graph the snapshot belongs to (engine-controller's modelKey). */
  modelKey: string;
  /** The run snapshot: weights (safetensors) and the rest (JSON), as the runtime's 'snapshot' gives. */
  weights: ArrayBuffer;
  state: string;
  step: number;
  epoch: number;
  /** The charts' history (losses: each entry the mean of `lossStride` steps, series.ts). */
  losses: number[];
  lossStride?: number;
  epochs: EpochMetrics[];
  savedAt: number;
}

/** How many models' trained states are kept (the oldest saved go first). */
export const KEEP_TRAINED = 6;

async function recordKey(modelKey: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(modelKey));
  return `model:${Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('')}`;
}

/** Which records to delete so that the `keep` most recently saved remain. */
export function staleRecords(records: readonly { key: string; savedAt: number }[], keep: number): string[] {
  return [...records]
    .sort((a, b) => b.savedAt - a.savedAt)
    .slice(keep)
    .map((r) => r.key);
}

export async function saveTrained(state: TrainedState): Promise<void> {
  const key = await recordKey(state.modelKey);
  await transact('trained', 'readwrite', (s) => s.put(state, key));
  const keys = (await transact('trained', 'readonly', (s) => s.getAllKeys())) as string[];
  if (keys.length <= KEEP_TRAINED) return;
  const records = await Promise.all(
    keys.map(async (k) => ({
      key: k,
      savedAt:
        ((await transact('trained', 'readonly', (s) => s.get(k))) as TrainedState | undefined)?.savedAt ?? 0,
    })),
  );
  for (const stale of staleRecords(records, KEEP_TRAINED))
    await transact('trained', 'readwrite', (s) => s.delete(stale));
}

/** The trained state saved for this model, if any. */
export async function loadTrained(modelKey: string): Promise<TrainedState | null> {
  if (!hasIndexedDb()) return null;
  const key = await recordKey(modelKey);
  return ((await transact('trained', 'readonly', (s) => s.get(key))) as TrainedState | undefined) ?? null;
}

export async function clearTrained(modelKey: string): Promise<void> {
  if (!hasIndexedDb()) return;
  const key = await recordKey(modelKey);
  await transact('trained', 'readwrite', (s) => s.delete(key));
}
