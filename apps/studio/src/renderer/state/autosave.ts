// Autosave: the document is written to local storage shortly after every change, so a crash or
// a reload brings unsaved work back (its trained state is kept by trained-autosave.ts). Saving
// to a file marks it clean; the copy stays. A browser tab asks before unloading unsaved work.
// Windows share the autosave: once another window writes a different document, this one stops
// autosaving (and says so) rather than overwrite newer work.
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
  /** What this window last wrote (or read), to tell another window's newer work from its own. */
  let mine: string | null = null;
  /** Another window wrote a different document since: this one no longer overwrites it. */
  let yielded = false;
  const write = () => {
    if (yielded) return;
    const { fileName, dirty } = useDocument.getState();
    const saved: Saved = { text: serializeDocument(fullDocument()), fileName, dirty };
    mine = JSON.stringify(saved);
    localStorage.setItem(KEY, mine);
  };
  write();
  // Two windows share the autosave: when another one writes a different document, this window
  // stops autosaving over it (never replacing newer work from another window) and says so.
  const onStorage = (event: StorageEvent) => {
    if (event.key !== KEY || event.newValue === null || event.newValue === mine || yielded) return;
    const theirs = (JSON.parse(event.newValue) as Saved).text;
    if (theirs === serializeDocument(fullDocument())) return;
    yielded = true;
    toast(
      'info',
      'Another window is editing and autosaving; this window no longer autosaves, so it cannot overwrite that work — save this graph to a file to keep its changes',
    );
  };
  addEventListener('storage', onStorage);
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
    removeEventListener('storage', onStorage);
    removeEventListener('beforeunload', flush);
  };
}
