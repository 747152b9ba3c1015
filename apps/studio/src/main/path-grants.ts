// Which files main reads and writes for the renderer: only those it handed out itself. A path
// comes from main's own open or save dialog, the recent list main keeps, or a file the OS or the
// command line opened; Save writes back to such a path (and its trained state next to it, as
// name.safetensors beside name.hgrad.json). Anything else the renderer names is refused with
// the reason, so a compromised or buggy page cannot read or overwrite the user's other files.
import { resolve } from 'node:path';

/** Where Save puts a document's trained state: name.safetensors beside name.hgrad.json. */
export const trainedSibling = (documentPath: string): string =>
  documentPath.replace(/(\.hgrad)?\.json$/i, '') + '.safetensors';

export class PathGrants {
  private readonly readable = new Set<string>();
  private readonly writable = new Set<string>();

  /** A file the user chose to open (dialog, recent list, OS, command line): readable, and Save writes back to it. */
  opened(path: string): void {
    const p = resolve(path);
    this.readable.add(p);
    this.writable.add(p);
  }

  /** A file the user chose in main's save dialog. */
  saved(path: string): void {
    this.opened(path);
  }

  /** Why main will not read this path for the renderer, or null when it may. */
  readRefusal(path: string, recent: readonly string[]): string | null {
    const p = resolve(path);
    if (this.readable.has(p) || recent.some((r) => resolve(r) === p)) return null;
    return `'${path}' was not opened through the app (open it with File → Open)`;
  }

  /** Why main will not write this path without asking, or null when it may. */
  writeRefusal(path: string): string | null {
    const p = resolve(path);
    if (this.writable.has(p)) return null;
    for (const doc of this.writable) if (trainedSibling(doc) === p && doc !== p) return null;
    return `'${path}' was not opened or saved through the app (use File → Save as to choose where to write)`;
  }
}
