// Bringing a user's image folder in: choose the folder (one subfolder per class), pick the size,
// channels and normalisation, decode it in the engine's worker with a progress bar, look at a
// preview grid per class (and the files that could not be read), then put its spec on the
// Dataset node as one undoable step. The decoded samples are kept in the browser by the folder's
// hash, size and channels, so the saved document trains again after a reload.
import { create } from 'zustand';
import type { ImagesSpec } from '@hgrad/ir';
import type { RuntimeResult } from '@hgrad/protocol';
import { channelStats, folderHash, IMAGE_FILES } from '@hgrad/train';
import { connection } from '../engine/connection.ts';
import { imagesKey, saveImages, sha256Hex } from './data-store.ts';
import { useDocument } from './document-store.ts';
import { toast } from './ui-store.ts';
import { diskPath } from './table-import.ts';

type Decoded = Extract<RuntimeResult, { type: 'decodedImages' }>;

export interface PendingFolder {
  name: string;
  /** The folder's path on disk, in the desktop app (recorded for `hgrad train`). */
  path?: string;
  /** Files below the folder: "class/file.png". */
  files: { path: string; blob: Blob }[];
  /** Images per class subfolder (by name, sorted). */
  counts: [string, number][];
  /** After decoding, with the options it was decoded with. */
  decoded: (Decoded & { size: number; channels: 1 | 3 }) | null;
}

export const useImageImport = create<{ pending: PendingFolder | null; busy: boolean }>()(() => ({
  pending: null,
  busy: false,
}));

/** The browser's folder picker (a folder of class subfolders). */
export function pickImageFolder(): Promise<File[] | null> {
  return new Promise((resolve) => {
    const input = document.createElement('input');
    input.type = 'file';
    input.webkitdirectory = true;
    input.multiple = true;
    input.style.display = 'none';
    input.dataset.testid = 'image-folder-input';
    input.addEventListener('change', () => {
      const files = input.files ? [...input.files] : null;
      input.remove();
      resolve(files && files.length ? files : null);
    });
    input.addEventListener('cancel', () => (input.remove(), resolve(null)));
    document.body.append(input);
    input.click();
  });
}

/**
 * The chosen folder's own path on disk: a file's full path less its path below the folder
 * ("/data/stripes/vertical/0.png" less "vertical/0.png"); undefined when either is unknown.
 */
export function folderPath(fileOnDisk: string | undefined, belowFolder: string): string | undefined {
  const full = fileOnDisk?.replaceAll('\\', '/');
  if (!full || !belowFolder || !full.endsWith(`/${belowFolder}`)) return undefined;
  return full.slice(0, full.length - belowFolder.length - 1);
}

/** Opens the dialog on the chosen folder's files (their path below the folder decides the class). */
export function beginFolder(files: File[]): void {
  const rel = (f: File) => (f.webkitRelativePath || f.name).split('/');
  const name = rel(files[0]!)[0] ?? 'images';
  const inside = files
    .map((f) => ({ parts: rel(f).slice(1), blob: f as Blob }))
    .filter(({ parts }) => parts.length === 2 && IMAGE_FILES.test(parts[1]!))
    .map(({ parts, blob }) => ({ path: parts.join('/'), blob }));
  const counts = new Map<string, number>();
  for (const f of inside) counts.set(f.path.split('/')[0]!, (counts.get(f.path.split('/')[0]!) ?? 0) + 1);
  if (counts.size < 2)
    return toast(
      'error',
      `${name}: found ${counts.size} class folder${counts.size === 1 ? '' : 's'} with PNG or JPEG images; choose a folder that holds one subfolder per class (at least 2)`,
    );
  const first = files[0]!;
  const path = folderPath(diskPath(first), rel(first).slice(1).join('/'));
  useImageImport.setState({
    pending: {
      name,
      ...(path ? { path } : {}),
      files: inside,
      counts: [...counts].sort((a, b) => (a[0] < b[0] ? -1 : 1)),
      decoded: null,
    },
  });
}

export async function decodeFolder(size: number, channels: 1 | 3): Promise<void> {
  const pending = useImageImport.getState().pending;
  if (!pending) return;
  useImageImport.setState({ busy: true });
  try {
    const r = await connection.request({ type: 'decodeImages', files: pending.files, size, channels });
    if (r.type === 'decodedImages')
      useImageImport.setState({ pending: { ...pending, decoded: { ...r, size, channels } } });
  } catch (e) {
    toast('error', `${pending.name}: ${(e as Error).message}`);
  } finally {
    useImageImport.setState({ busy: false });
  }
}

export async function adoptFolder(normalize: 'unit' | 'standard'): Promise<void> {
  const pending = useImageImport.getState().pending;
  const decoded = pending?.decoded;
  if (!pending || !decoded) return;
  const sha256 = await folderHash(decoded.used, (b) => sha256Hex(b));
  const spec: ImagesSpec = {
    version: 1,
    folder: {
      name: pending.name,
      ...(pending.path ? { path: pending.path } : {}),
      files: decoded.used.length,
      sha256,
    },
    classes: decoded.classes,
    size: decoded.size,
    channels: decoded.channels,
    normalize,
    ...(normalize === 'standard'
      ? { stats: channelStats(decoded.pixels, decoded.channels, decoded.size) }
      : {}),
    skipped: { count: decoded.skipped.length, files: decoded.skipped.slice(0, 50).map((s) => s.path) },
  };
  await saveImages(imagesKey(sha256, decoded.size, decoded.channels), {
    name: pending.name,
    pixels: decoded.pixels as Float32Array<ArrayBuffer>,
    labels: decoded.labels,
    savedAt: Date.now(),
  });
  useDocument.getState().commands.useImages(spec);
  useImageImport.setState({ pending: null });
  const skipped = decoded.skipped.length ? `, ${decoded.skipped.length} unreadable files skipped` : '';
  toast(
    'info',
    `Using ${pending.name}: ${decoded.used.length} images in ${decoded.classes.length} classes, ${decoded.size}×${decoded.size} ${decoded.channels === 1 ? 'grayscale' : 'RGB'}${skipped}`,
  );
}

export const cancelFolder = (): void => useImageImport.setState({ pending: null });
