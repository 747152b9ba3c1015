// File work of the main process, without Electron: atomic writes (a temporary file beside the
// target, then a rename, so a crash never leaves half a file), the recent-files list, and the
// document files named on the command line.
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import type { OpenedFile, SaveKind } from '../shared/ipc.ts';
import { documentInSafetensors } from '../shared/weights-file.ts';

export async function writeFileAtomic(path: string, bytes: Uint8Array): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const temporary = join(dirname(path), `.${basename(path)}.${process.pid}.${Date.now()}.tmp`);
  try {
    await writeFile(temporary, bytes);
    await rename(temporary, path);
  } catch (e) {
    await rm(temporary, { force: true });
    throw e;
  }
}

const MAX_RECENT = 10;

/** Most recent first, without duplicates, persisted as JSON (in Electron's userData folder). */
export class RecentFiles {
  private list: string[] = [];

  constructor(private readonly storePath: string) {}

  async load(): Promise<string[]> {
    try {
      const parsed = JSON.parse(await readFile(this.storePath, 'utf8')) as unknown;
      this.list = Array.isArray(parsed)
        ? parsed.filter((p): p is string => typeof p === 'string').slice(0, MAX_RECENT)
        : [];
    } catch {
      this.list = [];
    }
    return this.entries();
  }

  entries(): string[] {
    return [...this.list];
  }

  async add(path: string): Promise<string[]> {
    this.list = [path, ...this.list.filter((p) => p !== path)].slice(0, MAX_RECENT);
    await writeFileAtomic(this.storePath, new TextEncoder().encode(JSON.stringify(this.list)));
    return this.entries();
  }

  async remove(path: string): Promise<string[]> {
    this.list = this.list.filter((p) => p !== path);
    await writeFileAtomic(this.storePath, new TextEncoder().encode(JSON.stringify(this.list)));
    return this.entries();
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

/** A graph document, or a weights file that carries one (then with its bytes). */
export async function readOpenable(path: string): Promise<OpenedFile> {
  if (/\.onnx$/i.test(path)) return { path, text: '', onnx: new Uint8Array(await readFile(path)) };
  if (!/\.safetensors$/i.test(path)) {
    const text = await readFile(path, 'utf8');
    // Save wrote the trained state next to the document: it comes back when it belongs to this text.
    const sibling = path.replace(/(\.hgrad)?\.json$/i, '') + '.safetensors';
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
