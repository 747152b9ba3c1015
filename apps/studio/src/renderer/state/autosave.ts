// Autosave: the document is written to local storage shortly after every change, so a crash or
// a reload brings unsaved work back (its trained state is kept by trained-autosave.ts). Saving
// to a file marks it clean; the copy stays. A browser tab asks before unloading unsaved work.
import { serializeDocument } from '@hgrad/ir';
import { fullDocument, useDocument } from './document-store.ts';
import { TEMPLATES } from './templates.ts';
import { toast } from './ui-store.ts';

const KEY = 'hgrad.autosave.v1';

interface Saved {
  text: string;
  fileName: string | null;
  dirty: boolean;
}

/** Opens the autosaved document (or the first template) and keeps the autosave current. */
export function startAutosave(): () => void {
  const commands = useDocument.getState().commands;
  let restored = false;
  try {
    const saved = JSON.parse(localStorage.getItem(KEY) ?? 'null') as Saved | null;
    if (saved && commands.open(saved.text, saved.fileName, { dirty: saved.dirty }).ok) {
      restored = true;
      if (saved.dirty) toast('info', 'Restored your unsaved changes from the last session');
    }
  } catch {
    // An unreadable autosave is ignored; the template opens instead.
  }
  if (!restored) commands.open(TEMPLATES[0]!.text, TEMPLATES[0]!.fileName);
  let timer: ReturnType<typeof setTimeout> | undefined;
  const write = () => {
    const { fileName, dirty } = useDocument.getState();
    const saved: Saved = { text: serializeDocument(fullDocument()), fileName, dirty };
    localStorage.setItem(KEY, JSON.stringify(saved));
  };
  write();
  const unsubscribe = useDocument.subscribe((state, previous) => {
    if (
      state.doc === previous.doc &&
      state.runs === previous.runs &&
      state.dirty === previous.dirty &&
      state.fileName === previous.fileName
    )
      return;
    clearTimeout(timer);
    timer = setTimeout(write, 150);
  });
  const flush = (event: BeforeUnloadEvent) => {
    write();
    // In a browser tab, leaving with unsaved changes asks first (Electron's main asks instead).
    const desktop = (globalThis as { hgrad?: unknown }).hgrad;
    if (!desktop && useDocument.getState().dirty) event.preventDefault();
  };
  addEventListener('beforeunload', flush);
  return () => {
    unsubscribe();
    removeEventListener('beforeunload', flush);
  };
}
