// Files on the web build: open through a file picker, save through a download. (The Electron
// shell replaces these with native dialogs through the preload API when it is present.)
import type { SaveKind, StudioApi } from '../../shared/ipc.ts';
import { documentInSafetensors } from '../../shared/weights-file.ts';

const MIME: Record<SaveKind, string> = {
  document: 'application/json',
  safetensors: 'application/octet-stream',
  json: 'application/json',
  onnx: 'application/octet-stream',
  python: 'text/x-python',
};

const desktop = (): StudioApi | undefined => (globalThis as { hgrad?: StudioApi }).hgrad;

/** A binary file (weights): the desktop's open dialog, or the browser's file picker. */
export function pickBinaryFile(accept: string): Promise<{ bytes: Uint8Array; fileName: string } | null> {
  const api = desktop();
  if (api) return api.openWeights().then((r) => (r ? { bytes: r.bytes, fileName: r.path } : null));
  return new Promise((resolve) => {
    const input = document.createElement('input');
    input.type = 'file';
    input.accept = accept;
    input.style.display = 'none';
    input.dataset.testid = 'binary-file-input';
    input.addEventListener('change', async () => {
      const file = input.files?.[0];
      input.remove();
      resolve(file ? { bytes: new Uint8Array(await file.arrayBuffer()), fileName: file.name } : null);
    });
    input.addEventListener('cancel', () => (input.remove(), resolve(null)));
    document.body.append(input);
    input.click();
  });
}

/**
 * A graph to open: a .hgrad.json document, or a .safetensors weights file that carries its
 * document (then `weights` holds its bytes); a file that cannot be read says why.
 */
export function pickFile(
  accept: string,
): Promise<
  | { text: string; fileName: string; weights?: Uint8Array; onnx?: Uint8Array }
  | { error: string; fileName: string }
  | null
> {
  const api = desktop();
  if (api) return api.open().then((r) => (r ? { ...r, fileName: r.path } : null));
  return new Promise((resolve) => {
    const input = document.createElement('input');
    input.type = 'file';
    input.accept = accept;
    input.style.display = 'none';
    input.dataset.testid = 'file-input';
    input.addEventListener('change', async () => {
      const file = input.files?.[0];
      input.remove();
      if (!file) return resolve(null);
      if (/\.onnx$/i.test(file.name))
        return resolve({ text: '', fileName: file.name, onnx: new Uint8Array(await file.arrayBuffer()) });
      if (!/\.safetensors$/i.test(file.name))
        return resolve({ text: await file.text(), fileName: file.name });
      const weights = new Uint8Array(await file.arrayBuffer());
      const found = documentInSafetensors(weights);
      resolve(
        found.ok
          ? { text: found.document, fileName: file.name, weights }
          : { error: found.reason, fileName: file.name },
      );
    });
    input.addEventListener('cancel', () => (input.remove(), resolve(null)));
    document.body.append(input);
    input.click();
  });
}

/** Saves bytes or text under a suggested name; returns the name (or path) it was saved as. */
export async function saveFile(
  data: string | ArrayBuffer,
  suggestedName: string,
  kind: SaveKind,
  existingPath?: string | null,
): Promise<string | null> {
  const api = desktop();
  if (api) {
    const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : new Uint8Array(data);
    return api.save({ suggestedName, kind, bytes, ...(existingPath ? { path: existingPath } : {}) });
  }
  const blob = new Blob([data], {
    type: MIME[kind],
  });
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = suggestedName;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
  return suggestedName;
}
