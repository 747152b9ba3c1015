// Copies of the user's tables, kept in the browser by their sha256: a document names its table by
// hash, so re-opening it finds the data here (or says which file to locate).
import { hasIndexedDb, transact } from './idb.ts';

export interface StoredTable {
  name: string;
  size: number;
  text: string;
  savedAt: number;
}

export async function saveTable(sha256: string, table: StoredTable): Promise<void> {
  if (hasIndexedDb()) await transact('data', 'readwrite', (s) => s.put(table, sha256));
}

export async function loadTable(sha256: string): Promise<StoredTable | null> {
  if (!hasIndexedDb()) return null;
  return ((await transact('data', 'readonly', (s) => s.get(sha256))) as StoredTable | undefined) ?? null;
}

export interface StoredImages {
  name: string;
  pixels: Float32Array<ArrayBuffer>;
  labels: number[];
  savedAt: number;
}

/** Decoded images depend on the folder and on the size and channels they were fitted to. */
export const imagesKey = (sha256: string, size: number, channels: number): string =>
  `images:${sha256}:${size}:${channels}`;

export async function saveImages(key: string, images: StoredImages): Promise<void> {
  if (hasIndexedDb()) await transact('data', 'readwrite', (s) => s.put(images, key));
}

export async function loadImages(key: string): Promise<StoredImages | null> {
  if (!hasIndexedDb()) return null;
  return ((await transact('data', 'readonly', (s) => s.get(key))) as StoredImages | undefined) ?? null;
}

/** The sha256 of a file's bytes, as lowercase hex (what the document records). */
export async function sha256Hex(bytes: Uint8Array<ArrayBuffer>): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', bytes);
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}
