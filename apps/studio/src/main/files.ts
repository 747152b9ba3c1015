// File work of the main process, without Electron: atomic writes (a temporary file beside the
// target, then a rename, so a crash never leaves half a file), the recent-files list, and the
// document files named on the command line.
import { readFile, rename } from 'node:fs/promises';
import { resolve } from 'node:path';
import { writeFileAtomic } from '@hgrad/runtime/node-files';
import type { OpenedFile, SaveKind } from '../shared/ipc.ts';
import { documentInSafetensors } from '../shared/weights-file.ts';
import { trainedSibling } from './path-grants.ts';

export { writeFileAtomic };

const MAX_RECENT = 10;

/**
 * Most recent first, without duplicates, persisted as JSON (in Electron's userData folder).
 * Writes are queued one after another, each writing the list as it is then, so opens that
 * overlap lose no entry and never leave a torn file.
 */
export class RecentFiles {
  private list: string[] = [];
  private writing: Promise<void> = Promise.resolve();
  /** Why the stored list could not be read at load (it was kept aside), or null. */
  problem: string | null = null;

  constructor(private readonly storePath: string) {}

  async load(): Promise<string[]> {
    let text: string;
    try {
      text = await readFile(this.storePath, 'utf8');
    } catch {
      this.list = []; // no list yet
      return this.entries();
    }
    try {
      const parsed = JSON.parse(text) as unknown;
      if (!Array.isArray(parsed)) throw new Error('it is not a list');
      this.list = parsed.filter((p): p is string => typeof p === 'string').slice(0, MAX_RECENT);
    } catch (e) {
      // Not silently reset: the unreadable list is kept beside it and the reason recorded.
      const kept = `${this.storePath}.unreadable`;
      await rename(this.storePath, kept).catch(() => undefined);
      this.problem = `The recent-files list could not be read (${(e as Error).message}); it was kept as ${kept}`;
      this.list = [];
    }
    return this.entries();
  }

  entries(): string[] {
    return [...this.list];
  }

  async add(path: string): Promise<string[]> {
    this.list = [path, ...this.list.filter((p) => p !== path)].slice(0, MAX_RECENT);
    await this.persist();
    return this.entries();
  }

  async remove(path: string): Promise<string[]> {
    this.list = this.list.filter((p) => p !== path);
    await this.persist();
    return this.entries();
  }

  private persist(): Promise<void> {
    const next = this.writing.then(() =>
      writeFileAtomic(this.storePath, `${JSON.stringify(this.list)}\n`, { makeFolder: true }),
    );
    this.writing = next.catch(() => undefined);
    return next;
  }
}

/** Graph documents named on a command line (the app's own arguments and flags are skipped). */
export function documentsFromArgv(argv: readonly string[], cwd: string): string[] {
  return argv
    .slice(1)
    .filter((a) => !a.startsWith('-') && /\.hgrad\.json$/i.test(a))
    .map((a) => resolve(cwd, a));
}

/** The file types each save kind offers in the save dialog. */
export const SAVE_FILTERS = {
  document: [{ name: 'homemade-grad graph', extensions: ['hgrad.json', 'json'] }],
  safetensors: [{ name: 'safetensors weights', extensions: ['safetensors'] }],
  json: [{ name: 'JSON', extensions: ['json'] }],
  onnx: [{ name: 'ONNX model', extensions: ['onnx'] }],
  python: [{ name: 'Python (PyTorch)', extensions: ['py'] }],
} as const satisfies Record<SaveKind, readonly { name: string; extensions: readonly string[] }[]>;

/** What closing a window with unsaved changes does, by the button chosen in the prompt. */
export function closeDecision(
  dirty: boolean,
  choice?: 0 | 1 | 2,
): 'close' | 'save-then-close' | 'stay' | 'ask' {
  if (!dirty) return 'close';
  if (choice === undefined) return 'ask';
  return choice === 0 ? 'save-then-close' : choice === 1 ? 'close' : 'stay';
}

/**
 * Save-then-close: the window closes after the save the close prompt asked for, and only then —
 * a save dialog cancelled (or a save that failed) forgets the request, so a later save never
 * closes the window by surprise.
 */
export class CloseAfterSave {
  private pending = false;
  requested(): void {
    this.pending = true;
  }
  /** The save ended without writing (cancelled or failed). */
  abandoned(): void {
    this.pending = false;
  }
  /** The renderer reports its unsaved state: true when the window should now close. */
  shouldClose(dirty: boolean): boolean {
    if (!this.pending || dirty) return false;
    this.pending = false;
    return true;
  }
}

/** A graph document, or a weights file that carries one (then with its bytes). */
export async function readOpenable(path: string): Promise<OpenedFile> {
  if (/\.onnx$/i.test(path)) return { path, text: '', onnx: new Uint8Array(await readFile(path)) };
  if (!/\.safetensors$/i.test(path)) {
    const text = await readFile(path, 'utf8');
    // Save wrote the trained state next to the document: it comes back when it belongs to this text.
    const sibling = trainedSibling(path);
    const weights = await readFile(sibling).then(
      (b) => new Uint8Array(b),
      () => null,
    );
    const found = weights ? documentInSafetensors(weights) : null;
    return found?.ok && found.document === text && weights ? { path, text, weights } : { path, text };
  }
  const weights = new Uint8Array(await readFile(path));
  const found = documentInSafetensors(weights);
  if (!found.ok) throw new Error(found.reason);
  return { path, text: found.document, weights };
}
