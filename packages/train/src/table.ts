// A user's table (CSV/TSV) as training data: scanned once for the import dialog (columns, a
// preview, which columns hold numbers, malformed lines by number), measured for the document's
// spec (classes, feature means and deviations), and made into tensors as the spec says —
// features, target, standardisation, dropped rows and the split. Every refusal names the line and
// the column; nothing is clamped or guessed silently.
import * as hg from '@hgrad/engine';
import type { TableSpec } from '@hgrad/ir';

/** A decimal number as people write it in a table (no hex, no 'Infinity', no empty cell). */
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const decimal = (cell: string): number => (DECIMAL.test(cell) ? Number(cell) : NaN);

export const DELIMITERS = [',', '\t', ';', '|'] as const;
export type Delimiter = (typeof DELIMITERS)[number];

/** One problem with one line of the file (1-based line numbers, as an editor shows them). */
export interface TableProblem {
  line: number;
  column?: string;
  message: string;
}

export const problemText = (p: TableProblem): string =>
  `line ${p.line}${p.column !== undefined ? `, column '${p.column}'` : ''}: ${p.message}`;

/** Fields of one line: the engine's CSV splitter (quoted fields may hold the delimiter). */
export const splitFields = hg.data.splitCsvLine;

/**
 * Walks the file line by line without splitting it whole (a 100 MB file stays one string):
 * the header goes to onHeader, every later non-blank line to onRow with its line number.
 */
function walk(
  text: string,
  delimiter: string,
  onHeader: (header: string[]) => void,
  onRow: (fields: string[], line: number) => void,
  onProgress?: (fraction: number) => void,
): void {
  let header = false;
  let start = 0;
  let line = 0;
  let nextReport = 1 << 20;
  while (start < text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    line++;
    const raw = text.slice(start, end > start && text[end - 1] === '\r' ? end - 1 : end);
    start = end + 1;
    if (raw.trim() === '') continue;
    const fields = splitFields(raw, delimiter);
    if (!header) {
      header = true;
      onHeader(fields);
    } else onRow(fields, line);
    if (onProgress && start >= nextReport) {
      onProgress(Math.min(1, start / text.length));
      nextReport = start + (1 << 20);
    }
  }
  if (!header) throw new Error('table: the file is empty (expected a header row of column names)');
  onProgress?.(1);
}

/** The header line's delimiter: whichever of tab, comma, semicolon and bar it has most of. */
export function guessDelimiter(text: string): Delimiter {
  const newline = text.indexOf('\n');
  const first = text.slice(0, newline < 0 ? text.length : newline);
  const count = (d: string) => first.split(d).length - 1;
  return [...DELIMITERS].sort((a, b) => count(b) - count(a))[0]!;
}

export interface ColumnSummary {
  name: string;
  /** Cells that are decimal numbers, and those that are not (a blank cell is not). */
  numbers: number;
  others: number;
  /** Up to 50 distinct values in order of appearance (to choose a target and a split column). */
  values: string[];
  /** The column has more than 50 distinct values. */
  manyValues: boolean;
}

export interface TableScan {
  delimiter: Delimiter;
  columns: ColumnSummary[];
  /** Rows with the right number of fields. */
  rows: number;
  /** The first 20 rows, for the preview. */
  preview: string[][];
  /** Lines with the wrong number of fields (the first 100; problemCount counts them all). */
  problems: TableProblem[];
  problemCount: number;
}

/** Reads the whole file once: the columns, which hold numbers, a preview and malformed lines. */
export function scanTable(text: string, delimiter?: Delimiter, onProgress?: (f: number) => void): TableScan {
  const d = delimiter ?? guessDelimiter(text);
  const scan: TableScan = { delimiter: d, columns: [], rows: 0, preview: [], problems: [], problemCount: 0 };
  const seen: Set<string>[] = [];
  walk(
    text,
    d,
    (header) => {
      const dup = header.find((h, i) => header.indexOf(h) !== i);
      if (dup !== undefined) throw new Error(`table: line 1 names the column '${dup}' twice`);
      scan.columns = header.map((name) => ({ name, numbers: 0, others: 0, values: [], manyValues: false }));
      header.forEach(() => seen.push(new Set()));
    },
    (fields, line) => {
      if (fields.length !== scan.columns.length) {
        if (scan.problems.length < 100)
          scan.problems.push({
            line,
            message: `expected ${scan.columns.length} fields, found ${fields.length}`,
          });
        scan.problemCount++;
        return;
      }
      scan.rows++;
      if (scan.preview.length < 20) scan.preview.push(fields);
      fields.forEach((cell, j) => {
        const c = scan.columns[j]!;
        if (Number.isFinite(decimal(cell))) c.numbers++;
        else c.others++;
        if (c.manyValues || seen[j]!.has(cell)) return;
        if (seen[j]!.size >= 50) c.manyValues = true;
        else {
          seen[j]!.add(cell);
          c.values.push(cell);
        }
      });
    },
    onProgress,
  );
  return scan;
}

/** The spec's choices without what import measures (classes and stats). */
export type TableChoice = Omit<TableSpec, 'classes' | 'stats'>;

interface Rows {
  /** Features per kept row, row-major. */
  features: number[];
  targets: string[];
  /** The split column's value per kept row (when the spec splits by column). */
  splits: string[];
  dropped: number;
  problems: TableProblem[];
  problemCount: number;
}

/** Every row the spec keeps: malformed rows are problems (or dropped, when the spec says so). */
function readRows(text: string, spec: TableChoice, onProgress?: (f: number) => void): Rows {
  const out: Rows = { features: [], targets: [], splits: [], dropped: 0, problems: [], problemCount: 0 };
  let header: string[] = [];
  let featureAt: number[] = [];
  let targetAt = -1;
  let splitAt = -1;
  const problem = (p: TableProblem) => {
    if (out.problems.length < 100) out.problems.push(p);
    out.problemCount++;
  };
  walk(
    text,
    spec.delimiter,
    (h) => {
      header = h;
      const find = (name: string, role: string) => {
        const at = h.indexOf(name);
        if (at < 0)
          throw new Error(
            `table: ${spec.file.name} has no column '${name}' (the ${role}; it has ${h.join(', ')})`,
          );
        return at;
      };
      featureAt = spec.features.map((f) => find(f, 'feature'));
      targetAt = find(spec.target, 'target');
      splitAt = spec.split.kind === 'column' ? find(spec.split.column, 'split column') : -1;
    },
    (fields, line) => {
      if (fields.length !== header.length) {
        if (spec.dropInvalidRows) out.dropped++;
        else problem({ line, message: `expected ${header.length} fields, found ${fields.length}` });
        return;
      }
      const row: number[] = [];
      let bad: TableProblem | null = null;
      for (const j of featureAt) {
        const v = decimal(fields[j]!);
        if (!Number.isFinite(v))
          bad ??= { line, column: header[j]!, message: `'${fields[j]}' is not a number` };
        row.push(v);
      }
      const target = fields[targetAt]!;
      if (spec.task === 'regression' && !Number.isFinite(decimal(target)))
        bad ??= { line, column: header[targetAt]!, message: `'${target}' is not a number` };
      if (spec.task === 'classification' && target === '')
        bad ??= { line, column: header[targetAt]!, message: 'the target is empty' };
      if (bad) {
        if (spec.dropInvalidRows) out.dropped++;
        else problem(bad);
        return;
      }
      out.features.push(...row);
      out.targets.push(target);
      if (splitAt >= 0) out.splits.push(fields[splitAt]!);
    },
    onProgress,
  );
  return out;
}

function refuse(spec: TableChoice, rows: Rows): never {
  const shown = rows.problems.slice(0, 20).map(problemText);
  const more = rows.problemCount > shown.length ? `\n  … and ${rows.problemCount - shown.length} more` : '';
  throw new TableError(
    `table: ${spec.file.name} has ${rows.problemCount} row${rows.problemCount === 1 ? '' : 's'} that cannot be used (drop them with "drop invalid rows"):\n  ${shown.join('\n  ')}${more}`,
    rows.problems,
    rows.problemCount,
  );
}

/** A table the spec cannot use; `problems` lists the lines at fault. */
export class TableError extends Error {
  constructor(
    message: string,
    readonly problems: TableProblem[],
    readonly problemCount: number,
  ) {
    super(message);
    this.name = 'TableError';
  }
}

export interface TableMeasure {
  classes?: string[];
  stats: { rows: number; mean: number[]; std: number[] };
  dropped: number;
}

/** What import records in the spec: the classes (sorted target values) and the features' stats. */
export function measureTable(
  text: string,
  spec: TableChoice,
  onProgress?: (f: number) => void,
): TableMeasure {
  const rows = readRows(text, spec, onProgress);
  if (rows.problemCount) refuse(spec, rows);
  const n = rows.targets.length;
  if (n === 0) throw new Error(`table: ${spec.file.name} has no usable rows`);
  const k = spec.features.length;
  const mean = new Array<number>(k).fill(0);
  const sq = new Array<number>(k).fill(0);
  for (let i = 0; i < n; i++) for (let j = 0; j < k; j++) mean[j]! += rows.features[i * k + j]!;
  for (let j = 0; j < k; j++) mean[j]! /= n;
  for (let i = 0; i < n; i++)
    for (let j = 0; j < k; j++) sq[j]! += (rows.features[i * k + j]! - mean[j]!) ** 2;
  // The population deviation, as scikit-learn's StandardScaler uses.
  const std = sq.map((s) => Math.sqrt(s / n));
  const classes =
    spec.task === 'classification' ? [...new Set(rows.targets)].sort(byNumberThenText) : undefined;
  return { ...(classes ? { classes } : {}), stats: { rows: n, mean, std }, dropped: rows.dropped };
}

/** Numeric labels in numeric order ("2" before "10"), then the rest alphabetically. */
function byNumberThenText(a: string, b: string): number {
  const [x, y] = [decimal(a), decimal(b)];
  if (Number.isFinite(x) && Number.isFinite(y)) return x - y;
  if (Number.isFinite(x) !== Number.isFinite(y)) return Number.isFinite(x) ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

export interface TableData {
  x: hg.Tensor;
  y: hg.Tensor;
  /** With a split column: which rows are validation, and the test rows apart. */
  validation?: number[];
  test?: { x: hg.Tensor; y: hg.Tensor };
  dropped: number;
}

/** Features as the spec standardises them (a zero deviation leaves the feature centred). */
export function standardizeRow(spec: TableSpec, row: number[]): number[] {
  if (!spec.standardize || !spec.stats) return row;
  return row.map((v, j) => (v - spec.stats!.mean[j]!) / (spec.stats!.std[j]! || 1));
}

/** The table as tensors, as the spec says (classes as the spec lists them; unknown values refused). */
export function tableData(text: string, spec: TableSpec, onProgress?: (f: number) => void): TableData {
  const rows = readRows(text, spec, onProgress);
  if (rows.problemCount) refuse(spec, rows);
  const k = spec.features.length;
  const classIndex = new Map((spec.classes ?? []).map((c, i) => [c, i]));
  const unknown = rows.targets.find((t) => spec.task === 'classification' && !classIndex.has(t));
  if (unknown !== undefined)
    throw new Error(
      `table: the target value '${unknown}' is not one of the document's classes (${spec.classes!.join(', ')}); import the file again to update them`,
    );
  const groups = { train: [] as number[], validation: [] as number[], test: [] as number[] };
  rows.targets.forEach((_, i) => {
    if (spec.split.kind !== 'column') return groups.train.push(i);
    const v = rows.splits[i];
    groups[v === spec.split.validation ? 'validation' : v === spec.split.test ? 'test' : 'train'].push(i);
  });
  const make = (indices: number[]) => {
    const x = new Float32Array(indices.length * k);
    indices.forEach((r, i) => x.set(standardizeRow(spec, rows.features.slice(r * k, (r + 1) * k)), i * k));
    const y =
      spec.task === 'classification'
        ? hg.tensor(
            Float64Array.from(indices, (r) => classIndex.get(rows.targets[r]!)!),
            { dtype: 'int64' },
          )
        : hg.tensor(
            Float32Array.from(indices, (r) => Number(rows.targets[r])),
            { shape: [indices.length, 1] },
          );
    return { x: hg.tensor(x, { shape: [indices.length, k] }), y };
  };
  if (spec.split.kind !== 'column') return { ...make(groups.train), dropped: rows.dropped };
  // Training rows first, then validation rows: the validation indices are the tail.
  const kept = make([...groups.train, ...groups.validation]);
  const validation = groups.validation.map((_, i) => groups.train.length + i);
  return {
    ...kept,
    validation,
    ...(groups.test.length ? { test: make(groups.test) } : {}),
    dropped: rows.dropped,
  };
}
