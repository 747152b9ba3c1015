// A user's table as data: the scan the import dialog shows, the measures the document records,
// the tensors training gets (standardised, split by a column), and refusals that name the line
// and the column. The graph checks a table's shapes like any dataset's.
import { describe, expect, it } from 'vitest';
import { loadGraph, TableSpecSchema, type TableSpec } from '@hgrad/ir';
import { measureTable, scanTable, tableData, TableError, type TableChoice } from './table.ts';
import { prepareRun } from './prepare.ts';

const CSV = [
  'a,b,kind,part',
  '1,10,cat,train',
  '2,20,dog,train',
  '',
  '3,30,cat,val',
  '4,40,bird,test',
  '5,50,dog,train',
].join('\r\n');

const choice = (over: Partial<TableChoice> = {}): TableChoice => ({
  version: 1,
  file: { name: 'pets.csv', size: CSV.length, sha256: '0'.repeat(64) },
  delimiter: ',',
  features: ['a', 'b'],
  target: 'kind',
  task: 'classification',
  standardize: true,
  dropInvalidRows: false,
  split: { kind: 'fraction' },
  ...over,
});

const spec = (over: Partial<TableChoice> = {}): TableSpec => {
  const c = choice(over);
  const m = measureTable(CSV, c);
  return { ...c, ...(m.classes ? { classes: m.classes } : {}), stats: m.stats };
};

describe('tables', () => {
  it('scans columns, numbers, values, a preview and malformed lines by number', () => {
    const scan = scanTable(`${CSV}\n6,60\n`);
    expect(scan.delimiter).toBe(',');
    expect(scan.rows).toBe(5);
    expect(scan.columns.map((c) => [c.name, c.numbers, c.others])).toEqual([
      ['a', 5, 0],
      ['b', 5, 0],
      ['kind', 0, 5],
      ['part', 0, 5],
    ]);
    expect(scan.columns[2]!.values).toEqual(['cat', 'dog', 'bird']);
    expect(scan.preview[0]).toEqual(['1', '10', 'cat', 'train']);
    expect(scan.problems).toEqual([{ line: 8, message: 'expected 4 fields, found 2' }]);
    expect(scanTable('x\ty\n1\t2\n').delimiter).toBe('\t');
    expect(() => scanTable('a,a\n1,2')).toThrow("table: line 1 names the column 'a' twice");
    expect(() => scanTable('\n\n')).toThrow('table: the file is empty');
  });

  it('measures classes (sorted) and the features’ mean and population deviation', () => {
    const m = measureTable(CSV, choice());
    expect(m.classes).toEqual(['bird', 'cat', 'dog']);
    expect(m.stats.rows).toBe(5);
    expect(m.stats.mean).toEqual([3, 30]);
    expect(m.stats.std[0]).toBeCloseTo(Math.sqrt(2), 14);
    expect(m.stats.std[1]).toBeCloseTo(Math.sqrt(200), 12);
    // Numeric labels sort as numbers.
    expect(measureTable('x,y\n1,10\n2,2\n3,1\n', choice({ features: ['x'], target: 'y' })).classes).toEqual([
      '1',
      '2',
      '10',
    ]);
  });

  it('refuses cells that are not numbers, naming line and column, or drops those rows when asked', () => {
    const bad = 'a,b,kind\n1,2,x\n3,n/a,y\n4,5,x\n6,7\n';
    const c = choice({ features: ['a', 'b'], split: { kind: 'fraction' } });
    let error: unknown;
    try {
      measureTable(bad, c);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(TableError);
    expect((error as TableError).problems).toEqual([
      { line: 3, column: 'b', message: "'n/a' is not a number" },
      { line: 5, message: 'expected 3 fields, found 2' },
    ]);
    expect((error as Error).message).toContain("line 3, column 'b': 'n/a' is not a number");
    const dropped = measureTable(bad, { ...c, dropInvalidRows: true });
    expect(dropped.dropped).toBe(2);
    expect(dropped.stats.rows).toBe(2);
    expect(() => measureTable(CSV, choice({ target: 'nope' }))).toThrow(
      "table: pets.csv has no column 'nope' (the target; it has a, b, kind, part)",
    );
    expect(() =>
      measureTable('a,y\n1,2\nx,3\n', choice({ features: ['a'], target: 'y', task: 'regression' })),
    ).toThrow("line 3, column 'a': 'x' is not a number");
  });

  it('makes standardised tensors with int64 classes, and splits by a column into validation and test', () => {
    const s = spec();
    const t = tableData(CSV, s);
    expect(t.x.shape).toEqual([5, 2]);
    expect(t.y.dtype).toBe('int64');
    expect(t.y.tolist()).toEqual([1, 2, 1, 0, 2]);
    const x = t.x.tolist() as number[][];
    expect(x[0]![0]).toBeCloseTo(-2 / Math.sqrt(2), 6);
    expect(x[2]).toEqual([0, 0]);
    const split = spec({ split: { kind: 'column', column: 'part', validation: 'val', test: 'test' } });
    const parts = tableData(CSV, split);
    expect(parts.x.shape).toEqual([4, 2]);
    // Training rows first, then validation rows.
    expect(parts.validation).toEqual([3]);
    expect(parts.y.tolist()).toEqual([1, 2, 2, 1]);
    expect(parts.test!.y.tolist()).toEqual([0]);
    const regression = tableData(
      CSV,
      spec({ features: ['a'], target: 'b', task: 'regression', standardize: false }),
    );
    expect(regression.y.shape).toEqual([5, 1]);
    expect(regression.x.tolist()).toEqual([[1], [2], [3], [4], [5]]);
    expect(() => tableData('a,b,kind,part\n1,2,fish,train\n', s)).toThrow(
      "table: the target value 'fish' is not one of the document's classes (bird, cat, dog)",
    );
  });

  it('reports progress through a large file', () => {
    const rows = ['a,b,kind'];
    for (let i = 0; i < 200_000; i++) rows.push(`${i},${i % 7},${i % 3}`);
    const seen: number[] = [];
    const scan = scanTable(rows.join('\n'), undefined, (f) => seen.push(f));
    expect(scan.rows).toBe(200_000);
    expect(seen.length).toBeGreaterThan(1);
    expect(seen).toEqual([...seen].sort((a, b) => a - b));
  });

  it('is a dataset the graph checks, infers and trains on (with the split column’s validation rows)', async () => {
    const table = spec({ split: { kind: 'column', column: 'part', validation: 'val', test: 'test' } });
    expect(TableSpecSchema.safeParse(table).success).toBe(true);
    const wrong = TableSpecSchema.safeParse({ ...table, features: ['a', 'kind'], classes: ['x'] });
    expect(wrong.success).toBe(false);
    expect(wrong.error!.issues.map((i) => i.message)).toEqual([
      "the target column 'kind' cannot also be a feature",
      'classification needs at least 2 classes (the target values in class order)',
    ]);
    const doc = {
      format: 'hgrad',
      version: 3,
      metadata: { name: 'pets' },
      nodes: [
        { id: 'data', kind: 'Dataset', params: { name: 'table', table }, position: { x: 0, y: 0 } },
        { id: 'fc', kind: 'Linear', params: { inFeatures: 2, outFeatures: 3 }, position: { x: 1, y: 0 } },
        { id: 'loss', kind: 'CrossEntropyLoss', params: {}, position: { x: 2, y: 0 } },
      ],
      edges: [
        { id: 'e1', source: { node: 'data', port: 'x' }, target: { node: 'fc', port: 'input' } },
        { id: 'e2', source: { node: 'fc', port: 'output' }, target: { node: 'loss', port: 'input' } },
        { id: 'e3', source: { node: 'data', port: 'y' }, target: { node: 'loss', port: 'target' } },
      ],
      training: {
        optimizer: { kind: 'sgd', lr: 0.1 },
        epochs: 2,
        batchSize: 2,
        seed: 0,
        validationSplit: 0.5,
      },
    };
    const loaded = loadGraph(JSON.stringify(doc));
    if (!loaded.ok) throw new Error(JSON.stringify(loaded.problems));
    expect(loaded.graph.analysis.nodes.get('data')!.outputs).toEqual({ x: ['N', 2], y: ['N'] });
    expect(loaded.graph.analysis.nodes.get('fc')!.paramCount).toBe(9);
    const { run, test } = await prepareRun(loaded.graph, { files: { table: CSV } });
    // The split column decides, not validationSplit: 3 training rows, 1 validation row, 1 test row.
    expect([run.train.length, run.val.length]).toEqual([3, 1]);
    expect(test!.y.tolist()).toEqual([0]);
    const missing = loadGraph(
      JSON.stringify({
        ...doc,
        nodes: [{ ...doc.nodes[0], params: { name: 'table' } }, ...doc.nodes.slice(1)],
      }),
    );
    expect(missing.ok).toBe(false);
    if (!missing.ok)
      expect(missing.problems.map((p) => p.message)).toContain(
        "node data (Dataset), param table: dataset 'table' needs a table: import a CSV or TSV file with File → Import data…",
      );
  });
});
