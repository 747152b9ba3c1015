// Every user action as one table: menus, keyboard shortcuts and the command palette all read it.
// `shortcut` uses "Mod" for Ctrl (Cmd on macOS).
import { saveSafetensors } from '@hgrad/engine';
import { importOnnx } from '@hgrad/export';
import { serializeDocument } from '@hgrad/ir';
import { isAbsolutePath } from '../../shared/ipc.ts';
import { COMMAND_LIST, type CommandId, type CommandInfo, type MenuGroup } from '../../shared/command-list.ts';
import { fullDocument, useDocument } from './document-store.ts';
import { engineCommands } from './engine-controller.ts';
import { useRun } from './run-store.ts';
import {
  exportDocument,
  exportOnnx,
  exportPytorchCode,
  exportWeightsJson,
  exportWeightsSafetensors,
} from './export.ts';
import { loadWeightsFromFile } from './import-weights.ts';
import { pickFile, saveFile } from './files.ts';
import { restoreTrainedFile, trainedFileBytes } from './trained-file.ts';
import { TEMPLATES, EMPTY_TEMPLATE } from './templates.ts';
import { toast, useUi } from './ui-store.ts';
import { beginImport, pickTableFile } from './table-import.ts';
import { beginFolder, pickImageFolder } from './image-import.ts';

export type { MenuGroup };

export interface Command extends CommandInfo {
  run(): unknown;
}

const doc = () => useDocument.getState();
const engine = () => engineCommands;
const ui = () => useUi.getState().commands;

function confirmDiscard(): boolean {
  return !doc().dirty || confirm('Discard the unsaved changes to this graph?');
}

/**
 * The one way a document is opened (the Open dialog, Open recent, a file from the OS or the
 * command line, a template, New): it asks before discarding unsaved changes (unless the caller
 * already did), says why a file is refused, tells what migrating an older file changed, and, for
 * a weights file that carries its graph, loads those weights once the engine has the graph.
 */
export function openDocument(
  text: string,
  fileName: string | null,
  { confirmed = false, weights, label }: { confirmed?: boolean; weights?: Uint8Array; label?: string } = {},
): boolean {
  if (!confirmed && !confirmDiscard()) return false;
  const result = doc().commands.open(text, fileName);
  // Messages about the previous document no longer apply.
  if (result.ok) useUi.getState().commands.clearToasts();
  const name = label ?? fileName?.split(/[\\/]/).pop() ?? 'The document';
  if (!result.ok) {
    const lines = result.problems.map((p) => `${p.path ? `${p.path}: ` : ''}${p.message}`);
    toast('error', `${name} is not a valid graph: ${lines.slice(0, 3).join('; ')}`);
    return false;
  }
  if (result.notes.length) toast('info', `${name} was made by an older version: ${result.notes.join('; ')}`);
  if (weights) void restoreWeights(weights, name);
  return true;
}

async function restoreWeights(weights: Uint8Array, name: string): Promise<void> {
  const restored = await restoreTrainedFile(weights);
  if (restored) toast('info', `Opened ${name}: the graph and ${restored}`);
}

async function openFile() {
  if (!confirmDiscard()) return;
  const file = await pickFile('.json,.hgrad.json,application/json,.safetensors,.onnx');
  if (!file) return;
  if ('error' in file) return void toast('error', `${file.fileName} cannot be opened: ${file.error}`);
  // Already confirmed above (before the dialog), so the document is not asked about twice.
  if (file.onnx) return void openOnnx(file.onnx, file.fileName, { confirmed: true });
  openDocument(file.text, file.fileName, {
    confirmed: true,
    ...(file.weights ? { weights: file.weights } : {}),
  });
}

/** An ONNX model as a new graph with its weights (the file itself is not the document's file). */
export function openOnnx(
  bytes: Uint8Array,
  fileName: string,
  options: { confirmed?: boolean } = {},
): boolean {
  const name = fileName.split(/[\\/]/).pop() ?? fileName;
  const imported = importOnnx(bytes, name.replace(/\.onnx$/i, ''));
  if (!imported.ok) {
    toast('error', `${name} cannot be imported: ${imported.problem}`);
    return false;
  }
  const opened = openDocument(serializeDocument(imported.document), null, {
    ...options,
    label: name,
    weights: saveSafetensors(imported.weights),
  });
  if (opened && imported.notes.length) toast('info', `Imported ${name}: ${imported.notes.join('; ')}`);
  return opened;
}

/**
 * Save writes the document and, once it has been trained, its trained state next to it
 * (name.safetensors: weights, optimizer state, counters and charts, with the graph inside), so
 * reopening continues where the user was. In a browser both are downloads.
 */
async function save(as: boolean) {
  const { fileName } = doc();
  const current = fullDocument();
  const suggested =
    fileName?.split(/[\\/]/).pop() ??
    `${current.metadata.name.replace(/[^\w.-]+/g, '-') || 'graph'}.hgrad.json`;
  // Only a file opened or saved through the desktop dialogs has a path to write back to; a
  // template's or a download's name does not.
  const path = fileName && isAbsolutePath(fileName) ? fileName : null;
  const saved = await saveFile(serializeDocument(current), suggested, 'document', as ? null : path);
  if (!saved) return;
  doc().commands.markSaved(saved);
  const trained = await trainedFileBytes(current);
  if (!trained) return;
  const sibling = saved.replace(/(\.hgrad)?\.json$/i, '') + '.safetensors';
  const written = await saveFile(
    trained.slice().buffer,
    sibling.split(/[\\/]/).pop()!,
    'safetensors',
    isAbsolutePath(saved) ? sibling : null,
  );
  if (written) toast('info', `Saved the trained state next to the graph: ${written}`);
}

/** What each command of the shared list does. */
const RUN: Record<CommandId, () => unknown> = {
  'file.new': () => openDocument(EMPTY_TEMPLATE, null),
  'file.open': openFile,
  'file.save': () => save(false),
  'file.saveAs': () => save(true),
  'file.templates': () => ui().open('templates'),
  'file.loadWeights': loadWeightsFromFile,
  'file.exportSafetensors': exportWeightsSafetensors,
  'file.exportJson': exportWeightsJson,
  'file.exportOnnx': exportOnnx,
  'file.exportPytorch': exportPytorchCode,
  'file.exportDocument': exportDocument,
  'edit.undo': () => doc().commands.undo(),
  'edit.redo': () => doc().commands.redo(),
  'edit.copy': () => doc().commands.copy(),
  'edit.paste': () => doc().commands.paste(),
  'edit.duplicate': () => doc().commands.duplicate(),
  'edit.delete': () => doc().commands.deleteSelection(),
  'edit.selectAll': () => doc().commands.selectAll(),
  'edit.group': () => doc().commands.groupSelection(),
  'edit.ungroup': () => doc().commands.ungroupSelection(),
  'edit.quickAdd': () => ui().open('quickAdd'),
  'view.layout': () => doc().commands.autoLayout(),
  'view.layoutLR': () => doc().commands.autoLayout('LR'),
  'view.layoutTB': () => doc().commands.autoLayout('TB'),
  'view.palette': () => ui().open('palette'),
  'view.theme': () => ui().setTheme(useUi.getState().theme === 'dark' ? 'light' : 'dark'),
  'view.problems': () => ui().showTab('problems'),
  'view.summary': () => ui().showTab('summary'),
  'view.evaluation': () => ui().showTab('evaluation'),
  'view.tryit': () => ui().showTab('tryit'),
  'file.importData': () => void pickTableFile().then((file) => file && beginImport(file)),
  'file.importImages': () => void pickImageFolder().then((files) => files && beginFolder(files)),
  'view.fit': () => ui().fitView(),
  'view.minimap': () => ui().toggleMinimap(),
  'train.start': () => engine().train(),
  'train.pause': () => engine().pause(),
  'train.stop': () => engine().stop(),
  'train.step': () => engine().step(),
  'train.reset': () => engine().reset(),
  'train.restart': () => engine().restart(),
  'debug.start': () => (ui().showTab('debugger'), engine().debug('start')),
  'debug.forward': () => engine().debug('forward'),
  'debug.back': () => engine().debug('back'),
  'debug.end': () => engine().debug('end'),
  'debug.stop': () => engine().debug('stop'),
};

export const COMMANDS: Command[] = [
  ...COMMAND_LIST.map((c) => ({ ...c, run: RUN[c.id] })),
  ...TEMPLATES.map((t) => ({
    id: `template.${t.id}`,
    title: `Open template: ${t.title}`,
    group: 'File' as const,
    run: () => openDocument(t.text, t.fileName),
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

/** Commands that need a graph the engine can load (no problems). */
const NEEDS_GRAPH = new Set([
  'file.loadWeights',
  'file.exportSafetensors',
  'file.exportJson',
  'file.exportOnnx',
  'file.exportPytorch',
  'train.start',
  'train.step',
  'debug.start',
]);

/**
 * Why a command cannot run now (shown as its menu item's tooltip, and as a toast pointing at the
 * problem when it is triggered anyway from a shortcut or the palette), or null when it can.
 */
export function blockedReason(id: string): { message: string; nodeId?: string } | null {
  const { analysis, past, future } = doc();
  const r = useRun.getState();
  if (NEEDS_GRAPH.has(id) && analysis.problems.length) {
    const first = analysis.problems[0]!;
    const count = analysis.problems.length;
    return {
      message: `The graph has ${count === 1 ? 'a problem' : `${count} problems`}: ${first.message}`,
      ...(first.nodeId ? { nodeId: first.nodeId } : {}),
    };
  }
  if (id.startsWith('debug.') && r.run === 'training')
    return { message: 'Pause training to step through the graph' };
  if (id === 'train.step' && r.run === 'training') return { message: 'Pause training to take single steps' };
  if (id === 'train.pause' && r.run !== 'training') return { message: 'Nothing is training' };
  if (id === 'train.stop' && r.run !== 'training' && r.run !== 'paused')
    return { message: 'Nothing is training' };
  if (id === 'train.reset' && r.run === 'training') return { message: 'Pause training first' };
  if (id === 'train.reset' && r.loadedKey === null) return { message: 'No model is loaded' };
  if (id === 'edit.undo' && past.length === 0) return { message: 'Nothing to undo' };
  if (id === 'edit.redo' && future.length === 0) return { message: 'Nothing to redo' };
  return null;
}

export function runCommand(id: string): void {
  const command = COMMANDS.find((c) => c.id === id);
  if (!command) return;
  const blocked = blockedReason(id);
  if (blocked) return void toast('error', `${command.title}: ${blocked.message}`, blocked.nodeId);
  const report = (e: unknown) => toast('error', (e as Error).message);
  try {
    Promise.resolve(command.run()).catch(report);
  } catch (e) {
    report(e);
  }
}
