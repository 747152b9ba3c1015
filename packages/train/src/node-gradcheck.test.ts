// "Check gradient" on every node of every template: autograd against central differences in
// float64, on the inputs each node received at a training step — below 1e-4 everywhere.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadGraph } from '@hgrad/ir';
import { checkNodeGradient } from './node-gradcheck.ts';
import { prepareRun } from './prepare.ts';
import type { DatasetFiles } from './datasets.ts';

const root = new URL('../../../', import.meta.url);
const read = (path: string) => readFileSync(new URL(path, root));
const files: DatasetFiles = {
  fashionMnist: {
    images: new Uint8Array(read('data/fashion-mnist/train-images-idx3-ubyte.gz')),
    labels: new Uint8Array(read('data/fashion-mnist/train-labels-idx1-ubyte.gz')),
  },
  text: read('data/text/genesis-kjv.txt').toString('utf8'),
};

describe('check gradient of a node', () => {
  for (const template of ['mlp-blobs', 'mlp-fashion', 'cnn-fashion', 'char-rnn'])
    it(`${template}: every node's parameters and inputs agree with finite differences`, async () => {
      const loaded = loadGraph(read(`examples/${template}.hgrad.json`).toString('utf8'));
      if (!loaded.ok) throw new Error(JSON.stringify(loaded.problems));
      const { model, run } = await prepareRun(loaded.graph, { files, limit: 256 });
      await run.next();
      const checked: string[] = [];
      for (const id of model.order) {
        const kind = model.analysis.nodes.get(id)!.kind;
        if (kind.category === 'data') {
          expect(() => checkNodeGradient(model, id, run.lastValues)).toThrow(
            'is the data: it has no gradient',
          );
          continue;
        }
        const report = checkNodeGradient(model, id, run.lastValues, { entries: 4 });
        expect(report.checks.length).toBeGreaterThan(0);
        for (const c of report.checks) {
          expect(c.entries.length).toBeGreaterThan(0);
          expect(c.maxRelError, `${template} ${id} ${c.name}`).toBeLessThan(1e-4);
        }
        checked.push(id);
      }
      expect(checked.length).toBeGreaterThanOrEqual(3);
    });

  it('leaves the model untouched and refuses a node that has not run', async () => {
    const loaded = loadGraph(read('examples/mlp-blobs.hgrad.json').toString('utf8'));
    if (!loaded.ok) throw new Error('example');
    const { model, run } = await prepareRun(loaded.graph);
    expect(() => checkNodeGradient(model, 'fc1', run.lastValues)).toThrow(
      'gradcheck: fc1 has not run yet: take a training step first',
    );
    await run.next();
    const before = [...model.stateDict()].map(([k, t]) => [k, t.tolist()]);
    const report = checkNodeGradient(model, 'fc1', run.lastValues);
    expect(report.checks.map((c) => c.name)).toEqual(['weight', 'bias', 'input: input']);
    expect([...model.stateDict()].map(([k, t]) => [k, t.tolist()])).toEqual(before);
    expect(model.parameters()[0]!.dtype).toBe('float32');
  });
});
