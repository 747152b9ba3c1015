// Bringing a user's table in: pick (or drop) a CSV/TSV file, read it in the engine's worker (the
// page never parses a large file itself), choose columns in the import dialog, then measure it
// there and put its spec on the Dataset node as one undoable step. A file whose hash is the one
// the open document already names is simply found again (the "locate" of a missing file).
import { datasetNodeOf, TableSpecSchema, type TableSpec } from '@hgrad/ir';
import type { RuntimeResult } from '@hgrad/protocol';
import type { TableChoice, TableScan } from '@hgrad/train';
import { connection } from '../engine/connection.ts';
import { saveTable, sha256Hex } from './data-store.ts';
import { useDocument } from './document-store.ts';
import { engineCommands } from './engine-controller.ts';
import { toast } from './ui-store.ts';
import { create } from 'zustand';
import type { StudioApi } from '../../shared/ipc.ts';

export interface PendingImport {
  fileName: string;
  /** Where the file lives on disk, in the desktop app (recorded for `hgrad train`). */
  path?: string;
  size: number;
  sha256: string;
  text: string;
  scan: TableScan;
}

interface ImportState {
  pending: PendingImport | null;
  /** Reading or measuring in the worker. */
  busy: boolean;
}

export const useImport = create<ImportState>()(() => ({ pending: null, busy: false }));

/** A chosen file's path on disk in the desktop app; undefined in the web build. */
export function diskPath(file: File): string | undefined {
  const api = (globalThis as { hgrad?: StudioApi }).hgrad;
  return api?.pathForFile(file) || undefined;
}

const TABLE_FILES = /\.(csv|tsv|tab|txt)$/i;
export const isTableFile = (name: string): boolean => TABLE_FILES.test(name);

/** The browser's file picker for a table (the desktop app uses the same, inside its window). */
export function pickTableFile(): Promise<File | null> {
  return new Promise((resolve) => {
    const input = document.createElement('input');
    input.type = 'file';
    input.accept = '.csv,.tsv,.tab,.txt,text/csv,text/tab-separated-values';
    input.style.display = 'none';
    input.dataset.testid = 'table-file-input';
    input.addEventListener('change', () => {
      const file = input.files?.[0] ?? null;
      input.remove();
      resolve(file);
    });
    input.addEventListener('cancel', () => (input.remove(), resolve(null)));
    document.body.append(input);
    input.click();
  });
}

const currentTable = (): TableSpec | null => {
  const node = datasetNodeOf(useDocument.getState().doc);
  const parsed = node?.params.name === 'table' ? TableSpecSchema.safeParse(node.params.table) : null;
  return parsed?.success ? parsed.data : null;
};

/** Reads the file and opens the import dialog on it (or finds the document's missing file again). */
export async function beginImport(file: File): Promise<void> {
  if (!isTableFile(file.name)) return toast('error', `${file.name}: expected a .csv or .tsv table`);
  useImport.setState({ busy: true });
  try {
    const bytes = new Uint8Array(await file.arrayBuffer());
    const sha256 = await sha256Hex(bytes);
    const text = new TextDecoder().decode(bytes);
    const current = currentTable();
    if (current && current.file.sha256 === sha256) {
      await saveTable(sha256, { name: file.name, size: bytes.length, text, savedAt: Date.now() });
      toast('info', `Found ${current.file.name} again: the graph trains on it`);
      await engineCommands.sync(true);
      return;
    }
    const r = await connection.request({ type: 'scanTable', text });
    if (r.type !== 'tableScan') return;
    if (r.scan.columns.length < 2)
      return toast(
        'error',
        `${file.name}: found ${r.scan.columns.length} column; a table needs features and a target`,
      );
    const path = diskPath(file);
    useImport.setState({
      pending: {
        fileName: file.name,
        size: bytes.length,
        sha256,
        text,
        scan: r.scan,
        ...(path ? { path } : {}),
      },
    });
  } catch (e) {
    toast('error', `${file.name}: ${(e as Error).message}`);
  } finally {
    useImport.setState({ busy: false });
  }
}

type MeasureResult = Extract<RuntimeResult, { type: 'tableMeasure' | 'tableProblems' }>;

/**
 * Measures the table as chosen and, when every row can be used (or unusable rows are dropped),
 * puts it on the Dataset node; otherwise returns the problems for the dialog to list.
 */
export async function finishImport(
  pending: PendingImport,
  choice: Omit<TableChoice, 'version' | 'file'>,
): Promise<Extract<MeasureResult, { type: 'tableProblems' }> | null> {
  const full: TableChoice = {
    version: 1,
    file: {
      name: pending.fileName,
      ...(pending.path ? { path: pending.path } : {}),
      size: pending.size,
      sha256: pending.sha256,
    },
    ...choice,
  };
  useImport.setState({ busy: true });
  try {
    const r = (await connection.request({ type: 'measureTable', text: pending.text, choice: full })) as
      MeasureResult | RuntimeResult;
    if (r.type === 'tableProblems') return r;
    if (r.type !== 'tableMeasure') return null;
    const spec: TableSpec = {
      ...full,
      ...(r.measure.classes ? { classes: r.measure.classes } : {}),
      stats: r.measure.stats,
    };
    await saveTable(pending.sha256, {
      name: pending.fileName,
      size: pending.size,
      text: pending.text,
      savedAt: Date.now(),
    });
    useDocument.getState().commands.useTable(spec);
    useImport.setState({ pending: null });
    const dropped = r.measure.dropped ? `, ${r.measure.dropped} unusable rows dropped` : '';
    toast(
      'info',
      `Using ${pending.fileName}: ${r.measure.stats.rows.toLocaleString('en')} rows, ${spec.features.length} features → ${spec.target}${spec.classes ? ` (${spec.classes.length} classes)` : ''}${dropped}`,
    );
    return null;
  } catch (e) {
    toast('error', `${pending.fileName}: ${(e as Error).message}`);
    return null;
  } finally {
    useImport.setState({ busy: false });
  }
}

export const cancelImport = (): void => useImport.setState({ pending: null });
