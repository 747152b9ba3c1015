// hgrad evaluate and the test split: the validation result equals what training reported for the
// samples it held out; the confusion matrix, precision and recall agree with each other and with
// the model's own argmax; Fashion-MNIST's t10k images are reported as the test split, by name.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run } from './run-cli.test-helper.ts';

const examples = new URL('../../../examples/', import.meta.url).pathname;

interface Report {
  split: string;
  samples: number;
  loss: number;
  accuracy: number;
  confusion: number[][];
  perClass: { precision: number | null; recall: number | null; support: number }[];
  misclassified: {
    index: number;
    truth: number;
    predicted: number;
    top: { label: number; probability: number }[];
  }[];
}

describe('hgrad evaluate', () => {
  it('reports the validation split training held out, with a consistent confusion matrix', async () => {
    const out = mkdtempSync(join(tmpdir(), 'hgrad-eval-'));
    expect(
      (await run('train', join(examples, 'mlp-blobs.hgrad.json'), '--epochs', '3', '--out', out)).code,
    ).toBe(0);
    const history = JSON.parse(readFileSync(join(out, 'metrics.json'), 'utf8')) as {
      valLoss: number;
      valAccuracy: number;
    }[];
    const r = await run('evaluate', join(out, 'weights.safetensors'), '--format', 'json');
    expect(r.code).toBe(0);
    const report = JSON.parse(r.out) as Report;
    expect(report.split).toBe('validation');
    // The same samples and the same model as the last epoch's validation.
    expect(report.loss).toBeCloseTo(history.at(-1)!.valLoss, 5);
    expect(report.accuracy).toBeCloseTo(history.at(-1)!.valAccuracy, 10);
    const { confusion, perClass } = report;
    expect(confusion.length).toBe(3);
    const total = confusion.flat().reduce((a, b) => a + b, 0);
    expect(total).toBe(report.samples);
    const diagonal = confusion.reduce((a, row, i) => a + row[i]!, 0);
    expect(diagonal / total).toBeCloseTo(report.accuracy, 12);
    perClass.forEach((c, i) => {
      expect(c.support).toBe(confusion[i]!.reduce((a, b) => a + b, 0));
      if (c.recall !== null) expect(c.recall).toBeCloseTo(confusion[i]![i]! / c.support, 12);
      const predicted = confusion.reduce((a, row) => a + row[i]!, 0);
      if (c.precision !== null) expect(c.precision).toBeCloseTo(confusion[i]![i]! / predicted, 12);
    });
    // Every misclassified sample is listed (under the limit) with its top-3 probabilities.
    expect(report.misclassified.length).toBe(total - diagonal);
    for (const m of report.misclassified) {
      expect(m.predicted).not.toBe(m.truth);
      expect(m.top[0]!.label).toBe(m.predicted);
      expect(m.top.map((t) => t.probability)).toEqual(
        [...m.top.map((t) => t.probability)].sort((a, b) => b - a),
      );
    }
    // The text form names the split and prints the matrix rows.
    const text = await run(
      'evaluate',
      join(examples, 'mlp-blobs.hgrad.json'),
      '--weights',
      join(out, 'weights.safetensors'),
    );
    expect(text.out.split('\n')[0]).toBe(
      `validation split: ${report.samples} samples, loss ${report.loss.toFixed(4)}, accuracy ${(report.accuracy * 100).toFixed(1)}%`,
    );
    const rows = text.out.split('\n').filter((l) => /^\d /.test(l) && !l.includes('%'));
    expect(rows.map((l) => l.trim().split(/\s+/).slice(1).map(Number))).toEqual(confusion);
    // A dataset without a test split says so.
    const noTest = await run('evaluate', join(out, 'weights.safetensors'), '--split', 'test');
    expect(noTest.code).toBe(1);
    expect(noTest.err).toBe(
      "hgrad: evaluate: dataset 'blobs' has no test split of its own (fashion-mnist has one); use --split val",
    );
  });

  it('reports Fashion-MNIST on its own test images, labelled as the test split', async () => {
    const out = mkdtempSync(join(tmpdir(), 'hgrad-eval-'));
    const trained = await run(
      'train',
      join(examples, 'mlp-fashion.hgrad.json'),
      '--epochs',
      '1',
      '--out',
      out,
    );
    expect(trained.code).toBe(0);
    const testLine = trained.out.split('\n').find((l) => l.startsWith('test split:'))!;
    expect(testLine).toMatch(/^test split: 1000 samples, loss \d\.\d{4}, accuracy \d+\.\d%$/);
    const r = await run('evaluate', join(out, 'weights.safetensors'), '--split', 'test', '--format', 'json');
    const report = JSON.parse(r.out) as Report;
    expect(report.split).toBe('test');
    expect(report.samples).toBe(1000);
    expect(testLine).toBe(
      `test split: 1000 samples, loss ${report.loss.toFixed(4)}, accuracy ${(report.accuracy * 100).toFixed(1)}%`,
    );
    expect(report.confusion.flat().reduce((a, b) => a + b, 0)).toBe(1000);
    const text = await run('evaluate', join(out, 'weights.safetensors'), '--split', 'test');
    expect(text.out).toContain('9 Ankle boot');
    expect(text.out).toContain('class                precision  recall  support');
  });
});

describe('hgrad with a table dataset', () => {
  it('trains on the CSV next to the document, evaluates its test rows, and refuses a changed file', async () => {
    const { createHash } = await import('node:crypto');
    const { writeFileSync } = await import('node:fs');
    const { measureTable } = await import('@hgrad/train');
    const dir = mkdtempSync(join(tmpdir(), 'hgrad-table-'));
    // Two well-separated classes in two features, with a split column.
    const lines = ['x1,x2,label,part'];
    for (let i = 0; i < 120; i++) {
      const c = i % 2;
      const part = i % 10 === 0 || i % 10 === 3 ? 'test' : i % 10 === 1 || i % 10 === 4 ? 'val' : 'train';
      lines.push(`${(c ? 3 : -3) + Math.sin(i)},${(c ? -2 : 2) + Math.cos(i)},${c ? 'yes' : 'no'},${part}`);
    }
    const csv = lines.join('\n');
    writeFileSync(join(dir, 'points.csv'), csv);
    const choice = {
      version: 1 as const,
      file: { name: 'points.csv', size: csv.length, sha256: createHash('sha256').update(csv).digest('hex') },
      delimiter: ',' as const,
      features: ['x1', 'x2'],
      target: 'label',
      task: 'classification' as const,
      standardize: true,
      dropInvalidRows: false,
      split: { kind: 'column' as const, column: 'part', validation: 'val', test: 'test' },
    };
    const m = measureTable(csv, choice);
    const table = { ...choice, classes: m.classes, stats: m.stats };
    const doc = {
      format: 'hgrad',
      version: 3,
      metadata: { name: 'points' },
      nodes: [
        { id: 'data', kind: 'Dataset', params: { name: 'table', table }, position: { x: 0, y: 0 } },
        { id: 'fc', kind: 'Linear', params: { inFeatures: 2, outFeatures: 2 }, position: { x: 1, y: 0 } },
        { id: 'loss', kind: 'CrossEntropyLoss', params: {}, position: { x: 2, y: 0 } },
      ],
      edges: [
        { id: 'e1', source: { node: 'data', port: 'x' }, target: { node: 'fc', port: 'input' } },
        { id: 'e2', source: { node: 'fc', port: 'output' }, target: { node: 'loss', port: 'input' } },
        { id: 'e3', source: { node: 'data', port: 'y' }, target: { node: 'loss', port: 'target' } },
      ],
      training: {
        optimizer: { kind: 'sgd', lr: 0.5 },
        epochs: 5,
        batchSize: 16,
        seed: 0,
        validationSplit: 0.2,
      },
    };
    const file = join(dir, 'points.hgrad.json');
    writeFileSync(file, JSON.stringify(doc));
    const out = join(dir, 'out');
    const trained = await run('train', file, '--out', out);
    expect(trained.err).toBe('');
    expect(trained.code).toBe(0);
    expect(trained.out).toContain('training points: 6 parameters, 96 samples');
    expect(trained.out).toMatch(/test split: 24 samples, loss \d\.\d{4}, accuracy 100\.0%/);
    const report = JSON.parse(
      (
        await run(
          'evaluate',
          file,
          '--weights',
          join(out, 'weights.safetensors'),
          '--split',
          'test',
          '--format',
          'json',
        )
      ).out,
    ) as Report;
    expect(report.samples).toBe(24);
    expect(report.confusion).toEqual([
      [12, 0],
      [0, 12],
    ]);
    writeFileSync(join(dir, 'points.csv'), `${csv}\n1,1,yes,train`);
    const changed = await run('train', file, '--out', out);
    expect(changed.code).toBe(1);
    expect(changed.err).toMatch(
      /^hgrad: dataset 'table': .*points\.csv is not the file the document was made with \(\d+ bytes, sha256 [0-9a-f]{12}…; the document expects \d+ bytes, sha256 [0-9a-f]{12}…\); import it again to use it$/,
    );
  });
});
