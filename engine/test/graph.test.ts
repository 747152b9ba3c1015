// The IR compiler: a compiled graph equals the same model written by hand with nn, output for
// output and gradient for gradient, and trains with its document's configuration.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { analyze, parseDocument, type GraphDocument } from '@hgrad/ir';
import * as hg from '../src/index.ts';
import { F, nn } from '../src/index.ts';

function load(name: string): GraphDocument {
  const r = parseDocument(readFileSync(new URL(`../../examples/${name}`, import.meta.url), 'utf8'));
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return r.document;
}

describe('compileGraph', () => {
  it('matches the hand-written model: same seed, same weights, outputs and gradients', () => {
    const doc = load('mlp-blobs.hgrad.json');
    hg.manualSeed(42);
    const compiled = hg.compileGraph(doc, analyze(doc));
    hg.manualSeed(42);
    const byHand = new nn.Sequential(new nn.Linear(2, 16), new nn.ReLU(), new nn.Linear(16, 3));
    expect([...compiled.stateDict().keys()]).toEqual(['fc1.weight', 'fc1.bias', 'fc2.weight', 'fc2.bias']);
    const { x, y } = hg.data.blobs(32, { seed: 1 });
    const run = compiled.forward({ x, y });
    const loss = F.crossEntropy(byHand.forward(x), y);
    expect(run.loss!.item()).toBe(loss.item());
    const hidden = byHand.at(1).call(byHand.at(0).call(x)) as hg.Tensor;
    expect(run.values.get('act1')!.output!.tolist()).toEqual(hidden.tolist());
    run.loss!.backward();
    loss.backward();
    const a = compiled.parameters();
    const b = byHand.parameters();
    a.forEach((p, i) => expect(Array.from(p.grad!.dataSync())).toEqual(Array.from(b[i]!.grad!.dataSync())));
  });

  it('refuses a graph with problems, listing them', () => {
    const doc = load('mlp-blobs.hgrad.json');
    doc.nodes[1]!.params = { inFeatures: 3, outFeatures: 16 };
    expect(() => hg.compileGraph(doc, analyze(doc))).toThrow(
      'cannot compile a graph with problems:\n  node fc1 (Linear): Linear expects 3 input features in the last dim, got [N,2]; set inFeatures to 2',
    );
  });

  it('trains the blobs example to at least 98% validation accuracy', async () => {
    const doc = load('mlp-blobs.hgrad.json');
    const model = hg.compileGraph(doc, analyze(doc));
    const data = await hg.loadGraphDataset(doc.training!.dataset, doc.training!.seed);
    const history = await hg.trainGraph(model, doc, data, { epochs: 10 });
    expect(history.at(-1)!.valAccuracy!).toBeGreaterThanOrEqual(0.98);
    expect(history.at(-1)!.trainLoss).toBeLessThan(history[0]!.trainLoss);
  });

  it('scores training accuracy on each batch as it is trained (before the update of that step)', async () => {
    const doc = load('mlp-blobs.hgrad.json');
    const training = { ...doc.training!, batchSize: 1000 };
    const configured = { ...doc, training };
    const model = hg.compileGraph(configured, analyze(configured));
    const data = await hg.loadGraphDataset(training.dataset, training.seed);
    const run = new hg.TrainingRun(model, configured, data);
    const [x, y] = (run.train.dataset as hg.data.TensorDataset).tensors as [hg.Tensor, hg.Tensor];
    const rows = hg.tensor(Array.from(run.train.indices), { dtype: 'int32' });
    const before = hg.noGrad(() =>
      (model.forward({ x: x.indexSelect(0, rows), y: y.indexSelect(0, rows) }).prediction as hg.Tensor)
        .argmax(-1)
        .eq(y.indexSelect(0, rows))
        .float()
        .mean()
        .item(),
    );
    expect(run.nextStep()).not.toBeNull();
    expect(run.nextStep()).toBeNull();
    const report = run.finishEpoch();
    expect(report.trainAccuracy).toBeCloseTo(before, 6); // before is a float32 mean
  });

  it('follows the learning-rate schedule of the document, learning-rate schedule, per epoch or per step', async () => {
    const doc = load('mlp-blobs.hgrad.json');
    const data = await hg.loadGraphDataset(doc.training!.dataset, doc.training!.seed);
    const lrOf = (run: hg.TrainingRun) => run.optimizer.paramGroups[0]!.options.lr as number;
    const stepped = {
      ...doc,
      training: {
        ...doc.training!,
        schedule: { kind: 'step' as const, params: { stepSize: 1, gamma: 0.5 } },
      },
    };
    const run = new hg.TrainingRun(hg.compileGraph(stepped, analyze(stepped)), stepped, data);
    const lr = doc.training!.optimizer.lr;
    for (let e = 0; e < 2; e++) {
      while (run.nextStep() !== null);
      run.finishEpoch();
    }
    expect(lrOf(run)).toBe(lr * 0.25);

    const cycle = {
      ...doc,
      training: { ...doc.training!, epochs: 2, schedule: { kind: 'onecycle' as const, params: {} } },
    };
    const oneCycle = new hg.TrainingRun(hg.compileGraph(cycle, analyze(cycle)), cycle, data);
    const expected = hg.scheduleCurve(cycle.training.schedule, lr, {
      epochs: 2,
      stepsPerEpoch: oneCycle.stepsPerEpoch,
    });
    const seen: number[] = [];
    for (let e = 0; e < 2; e++) {
      for (;;) {
        seen.push(lrOf(oneCycle));
        if (oneCycle.nextStep() === null) break;
      }
      seen.pop();
      oneCycle.finishEpoch();
    }
    expect(seen).toEqual(expected);
    expect(Math.max(...expected)).toBeCloseTo(lr, 12);
    expect(expected[0]).toBeCloseTo(lr / 25, 12);
  });
});
