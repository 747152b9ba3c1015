// CSV for the user's own tabular data: a header row, numeric feature columns and a target
// column. Every malformed row is reported with its line number and column.
import { is, options as checkOptions } from '../args.ts';
import { tensor } from '../creation.ts';
import type { Tensor } from '../tensor.ts';

/** A decimal number as people write it in a table (no hex, no 'Infinity', no empty cell). */
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const decimal = (cell: string): number => (DECIMAL.test(cell) ? Number(cell) : NaN);

export interface CsvOptions {
  /** The target column's name (default: the last column). */
  target?: string;
  /** 'classification' maps target values to class indices; 'regression' keeps numbers. */
  task?: 'classification' | 'regression';
  delimiter?: string;
}

export interface CsvDataset {
  x: Tensor;
  y: Tensor;
  featureNames: string[];
  /** For classification: the original label of each class index. */
  classes: string[];
}

/** The fields of one CSV line (quoted fields may hold the delimiter and doubled quotes), trimmed. */
export function splitCsvLine(line: string, delimiter: string): string[] {
  const out: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === delimiter) {
      out.push(field);
      field = '';
    } else field += c;
  }
  out.push(field);
  return out.map((f) => f.trim());
}

export function parseCsv(text: string, opts: CsvOptions = {}): CsvDataset {
  const {
    target,
    task = 'classification',
    delimiter = ',',
  } = checkOptions<CsvOptions & Record<string, unknown>>('parseCsv', opts, ['target', 'task', 'delimiter'], {
    target: is.string,
    task: (v) =>
      v === 'classification' || v === 'regression' ? null : "must be 'classification' or 'regression'",
    delimiter: (v) =>
      typeof v === 'string' && v.length === 1 && v !== '"' && v !== '\n' && v !== '\r'
        ? null
        : 'must be one character (not a quote or a line break)',
  });
  const lines = text
    .split(/\r?\n/)
    .map((l, i) => ({ line: l, number: i + 1 }))
    .filter(({ line }) => line.trim() !== '');
  if (lines.length < 2) throw new Error('csv: expected a header row and at least one data row');
  const header = splitCsvLine(lines[0]!.line, delimiter);
  const targetIndex = target === undefined ? header.length - 1 : header.indexOf(target);
  if (targetIndex < 0) throw new Error(`csv: no column named '${target}' (columns: ${header.join(', ')})`);
  const problems: string[] = [];
  const features: number[][] = [];
  const rawTargets: string[] = [];
  for (const { line, number } of lines.slice(1)) {
    const cells = splitCsvLine(line, delimiter);
    if (cells.length !== header.length) {
      problems.push(`line ${number}: expected ${header.length} fields, found ${cells.length}`);
      continue;
    }
    const row: number[] = [];
    cells.forEach((cell, j) => {
      if (j === targetIndex) return;
      const v = decimal(cell);
      if (!Number.isFinite(v))
        problems.push(`line ${number}, column '${header[j]}': '${cell}' is not a number`);
      row.push(v);
    });
    features.push(row);
    rawTargets.push(cells[targetIndex]!);
  }
  if (task === 'regression')
    rawTargets.forEach((t, i) => {
      if (!Number.isFinite(decimal(t))) problems.push(`row ${i + 1}: target '${t}' is not a number`);
    });
  if (problems.length)
    throw new Error(`csv: ${problems.length} problem(s):\n  ${problems.slice(0, 20).join('\n  ')}`);
  const classes = task === 'classification' ? [...new Set(rawTargets)].sort() : [];
  // A map from label to index: linear in the rows however many classes there are.
  const index = new Map(classes.map((c, i) => [c, i]));
  const y =
    task === 'classification'
      ? tensor(
          rawTargets.map((t) => index.get(t)!),
          { dtype: 'int64' },
        )
      : tensor(
          rawTargets.map((t) => [Number(t)]),
          { dtype: 'float32' },
        );
  return {
    x: tensor(features, { dtype: 'float32' }),
    y,
    featureNames: header.filter((_, j) => j !== targetIndex),
    classes,
  };
}
