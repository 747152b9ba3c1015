// Every user action as one table: menus, keyboard shortcuts and the command palette all read it.
// `shortcut` uses "Mod" for Ctrl (Cmd on macOS).
import { serializeDocument } from '@hgrad/ir';
import { useDocument } from './document-store.ts';
import { useEngine } from './engine-store.ts';
import { exportDocument, exportWeightsJson, exportWeightsSafetensors } from './export.ts';
import { pickFile, saveFile } from './files.ts';
import { TEMPLATES, EMPTY_TEMPLATE } from './templates.ts';
import { toast, useUi } from './ui-store.ts';

export type MenuGroup = 'File' | 'Edit' | 'View' | 'Train' | 'Debug';

export interface Command {
  id: string;
  title: string;
  group: MenuGroup;
  shortcut?: string;
  run(): unknown;
}

const doc = () => useDocument.getState();
const engine = () => useEngine.getState().commands;
const ui = () => useUi.getState().commands;

function confirmDiscard(): boolean {
  return !doc().dirty || confirm('Discard the unsaved changes to this graph?');
}

async function openFile() {
  if (!confirmDiscard()) return;
  const file = await pickFile('.json,.hgrad.json,application/json');
  if (!file) return;
  const problems = doc().commands.open(file.text, file.fileName);
  if (problems)
    toast(
      'error',
      `${file.fileName} is not a valid graph: ${problems
        .map((p) => `${p.path ? `${p.path}: ` : ''}${p.message}`)
        .slice(0, 3)
        .join('; ')}`,
    );
}

async function save(as: boolean) {
  const { fileName, doc: current } = doc();
  const suggested =
    fileName?.split(/[\\/]/).pop() ??
    `${current.metadata.name.replace(/[^\w.-]+/g, '-') || 'graph'}.hgrad.json`;
  const saved = await saveFile(serializeDocument(current), suggested, 'document', as ? null : fileName);
  if (saved) doc().commands.markSaved(saved);
}

export const COMMANDS: Command[] = [
  {
    id: 'file.new',
    title: 'New graph',
    group: 'File',
    shortcut: 'Mod+N',
    run: () => confirmDiscard() && doc().commands.open(EMPTY_TEMPLATE, null),
  },
  { id: 'file.open', title: 'Open…', group: 'File', shortcut: 'Mod+O', run: openFile },
  { id: 'file.save', title: 'Save', group: 'File', shortcut: 'Mod+S', run: () => save(false) },
  { id: 'file.saveAs', title: 'Save as…', group: 'File', shortcut: 'Mod+Shift+S', run: () => save(true) },
  { id: 'file.templates', title: 'Templates…', group: 'File', run: () => ui().open('templates') },
  {
    id: 'file.exportSafetensors',
    title: 'Export weights (safetensors)',
    group: 'File',
    shortcut: 'Mod+E',
    run: exportWeightsSafetensors,
  },
  { id: 'file.exportJson', title: 'Export weights (JSON)', group: 'File', run: exportWeightsJson },
  { id: 'file.exportDocument', title: 'Export graph (IR JSON)', group: 'File', run: exportDocument },
  { id: 'edit.undo', title: 'Undo', group: 'Edit', shortcut: 'Mod+Z', run: () => doc().commands.undo() },
  {
    id: 'edit.redo',
    title: 'Redo',
    group: 'Edit',
    shortcut: 'Mod+Shift+Z',
    run: () => doc().commands.redo(),
  },
  { id: 'edit.copy', title: 'Copy', group: 'Edit', shortcut: 'Mod+C', run: () => doc().commands.copy() },
  { id: 'edit.paste', title: 'Paste', group: 'Edit', shortcut: 'Mod+V', run: () => doc().commands.paste() },
  {
    id: 'edit.duplicate',
    title: 'Duplicate',
    group: 'Edit',
    shortcut: 'Mod+D',
    run: () => doc().commands.duplicate(),
  },
  {
    id: 'edit.delete',
    title: 'Delete selection',
    group: 'Edit',
    shortcut: 'Delete',
    run: () => doc().commands.deleteSelection(),
  },
  {
    id: 'edit.selectAll',
    title: 'Select all',
    group: 'Edit',
    shortcut: 'Mod+A',
    run: () => doc().commands.selectAll(),
  },
  {
    id: 'edit.group',
    title: 'Group selection into a subgraph',
    group: 'Edit',
    shortcut: 'Mod+G',
    run: () => {
      try {
        doc().commands.groupSelection();
      } catch (e) {
        toast('error', (e as Error).message);
      }
    },
  },
  {
    id: 'edit.quickAdd',
    title: 'Add a node…',
    group: 'Edit',
    shortcut: 'Mod+Shift+A',
    run: () => ui().open('quickAdd'),
  },
  {
    id: 'view.layout',
    title: 'Auto layout',
    group: 'View',
    shortcut: 'Mod+L',
    run: () => doc().commands.autoLayout(),
  },
  {
    id: 'view.palette',
    title: 'Command palette…',
    group: 'View',
    shortcut: 'Mod+K',
    run: () => ui().open('palette'),
  },
  {
    id: 'view.theme',
    title: 'Toggle light/dark theme',
    group: 'View',
    run: () => ui().setTheme(useUi.getState().theme === 'dark' ? 'light' : 'dark'),
  },
  { id: 'view.problems', title: 'Show problems', group: 'View', run: () => ui().showTab('problems') },
  { id: 'view.summary', title: 'Show model summary', group: 'View', run: () => ui().showTab('summary') },
  {
    id: 'train.start',
    title: 'Train / resume',
    group: 'Train',
    shortcut: 'Mod+Enter',
    run: () => engine().train(),
  },
  { id: 'train.pause', title: 'Pause', group: 'Train', shortcut: 'Mod+.', run: () => engine().pause() },
  { id: 'train.stop', title: 'Stop', group: 'Train', run: () => engine().stop() },
  {
    id: 'train.step',
    title: 'Train one step',
    group: 'Train',
    shortcut: "Mod+'",
    run: () => engine().step(),
  },
  { id: 'train.reset', title: 'Reset weights', group: 'Train', run: () => engine().reset() },
  { id: 'train.restart', title: 'Restart the engine', group: 'Train', run: () => engine().restart() },
  {
    id: 'debug.start',
    title: 'Step through backprop',
    group: 'Debug',
    shortcut: 'F5',
    run: () => (ui().showTab('debugger'), engine().debug('start')),
  },
  {
    id: 'debug.forward',
    title: 'Step forward',
    group: 'Debug',
    shortcut: 'F10',
    run: () => engine().debug('forward'),
  },
  {
    id: 'debug.back',
    title: 'Step back',
    group: 'Debug',
    shortcut: 'Shift+F10',
    run: () => engine().debug('back'),
  },
  { id: 'debug.end', title: 'Run to end', group: 'Debug', shortcut: 'F8', run: () => engine().debug('end') },
  {
    id: 'debug.stop',
    title: 'Stop stepping',
    group: 'Debug',
    shortcut: 'Shift+F5',
    run: () => engine().debug('stop'),
  },
  ...TEMPLATES.map((t) => ({
    id: `template.${t.id}`,
    title: `Open template: ${t.title}`,
    group: 'File' as const,
    run: () => confirmDiscard() && doc().commands.open(t.text, t.fileName),
  })),
];

export const isMac = () => /Mac|iPhone|iPad/.test(navigator.platform);

/** "Mod+Shift+Z" → "Ctrl+Shift+Z" (or "⌘⇧Z" on macOS). */
export function formatShortcut(shortcut: string): string {
  if (!isMac()) return shortcut.replace('Mod', 'Ctrl');
  return shortcut.replace('Mod+', '⌘').replace('Shift+', '⇧').replace('Alt+', '⌥');
}

export function matchesShortcut(event: KeyboardEvent, shortcut: string): boolean {
  const parts = shortcut.split('+');
  const key = parts.pop()!;
  const mod = parts.includes('Mod');
  if (mod !== (isMac() ? event.metaKey : event.ctrlKey)) return false;
  if (parts.includes('Shift') !== event.shiftKey || parts.includes('Alt') !== event.altKey) return false;
  return event.key.toLowerCase() === key.toLowerCase() || (key === 'Delete' && event.key === 'Backspace');
}

/** Ctrl+Y also redoes, as in most Windows and Linux apps. */
const EXTRA: [string, string][] = [['Mod+Y', 'edit.redo']];

export function commandForEvent(event: KeyboardEvent): Command | undefined {
  const extra = EXTRA.find(([s]) => matchesShortcut(event, s));
  if (extra) return COMMANDS.find((c) => c.id === extra[1]);
  return COMMANDS.find((c) => c.shortcut && matchesShortcut(event, c.shortcut));
}

export function runCommand(id: string): void {
  const command = COMMANDS.find((c) => c.id === id);
  if (!command) return;
  Promise.resolve(command.run()).catch((e: unknown) => toast('error', (e as Error).message));
}
