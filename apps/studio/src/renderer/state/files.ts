// Files on the web build: open through a file picker, save through a download. (The Electron
// shell replaces these with native dialogs through the preload API when it is present.)
import type { SaveKind, StudioApi } from '../../shared/ipc.ts';

const MIME: Record<SaveKind, string> = {
  document: 'application/json',
  safetensors: 'application/octet-stream',
  json: 'application/json',
  onnx: 'application/octet-stream',
  python: 'text/x-python',
};

const desktop = (): StudioApi | undefined => (globalThis as { hgrad?: StudioApi }).hgrad;

export function pickFile(accept: string): Promise<{ text: string; fileName: string } | null> {
  const api = desktop();
  if (api) return api.open().then((r) => (r ? { text: r.text, fileName: r.path } : null));
  return new Promise((resolve) => {
    const input = document.createElement('input');
    input.type = 'file';
    input.accept = accept;
    input.style.display = 'none';
    input.dataset.testid = 'file-input';
    input.addEventListener('change', async () => {
      const file = input.files?.[0];
      input.remove();
      resolve(file ? { text: await file.text(), fileName: file.name } : null);
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
