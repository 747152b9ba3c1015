// The IR compiler and the training loop: a compiled graph equals the same model written by hand
// with nn, output for output and gradient for gradient, and trains with its document's settings.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadGraph, type CheckedGraph, type GraphDocument } from '@hgrad/ir';
import * as hg from '@hgrad/engine';
import { F, nn } from '@hgrad/engine';
import { compileGraph, prepareRun, scheduleCurve, type EpochMetrics, type TrainingRun } from './index.ts';

const text = (name: string) => readFileSync(new URL(`../../../examples/${name}`, import.meta.url), 'utf8');

function checked(input: unknown): CheckedGraph {
  const r = loadGraph(input);
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return r.graph;
}

const blobs = (): GraphDocument => checked(text('mlp-blobs.hgrad.json')).document;
const withTraining = (doc: GraphDocument, training: Partial<NonNullable<GraphDocument['training']>>) =>
  checked({ ...doc, training: { ...doc.training!, ...training } });

/** Steps through a whole epoch and returns its metrics. */
async function epoch(run: TrainingRun): Promise<EpochMetrics> {
  for (;;) {
    const p = await run.next();
    if (p.kind === 'epoch') return p.metrics;
  }
}

describe('compileGraph', () => {
  it('matches the hand-written model: same seed, same weights, outputs and gradients', () => {
    const graph = checked(text('mlp-blobs.hgrad.json'));
    hg.manualSeed(42);
    const compiled = compileGraph(graph);
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

  it('a graph with problems never becomes a CheckedGraph: loadGraph lists them instead', () => {
    const doc = blobs();
    doc.nodes[1]!.params = { inFeatures: 3, outFeatures: 16 };
    expect(loadGraph(doc)).toEqual({
      ok: false,
      problems: [
        {
          path: 'node fc1',
          nodeId: 'fc1',
          message:
            'node fc1 (Linear): Linear expects 3 input features in the last dim, got [N,2]; set inFeatures to 2',
        },
      ],
    });
  });
});

describe('TrainingRun', () => {
  it('trains the blobs example to at least 98% validation accuracy', async () => {
    const { run } = await prepareRun(checked(text('mlp-blobs.hgrad.json')), { overrides: { epochs: 10 } });
    const history: EpochMetrics[] = [];
    while (!run.finished) {
      const p = await run.next();
      if (p.kind === 'epoch') history.push(p.metrics);
    }
    expect(history).toHaveLength(10);
    expect(history.at(-1)!.valAccuracy!).toBeGreaterThanOrEqual(0.98);
    expect(history.at(-1)!.trainLoss).toBeLessThan(history[0]!.trainLoss);
    expect(run.step).toBe(10 * run.stepsPerEpoch);
  });

  it('next() takes one step at a time and closes the epoch after its last batch', async () => {
    const { run } = await prepareRun(withTraining(blobs(), { batchSize: 200 }));
    expect(run.stepsPerEpoch).toBe(3); // 480 training samples
    const kinds: string[] = [];
    for (let i = 0; i < 5; i++) kinds.push((await run.next()).kind);
    expect(kinds).toEqual(['step', 'step', 'step', 'epoch', 'step']);
    expect([run.step, run.epoch]).toEqual([4, 1]);
    const { step, closed } = await run.nextStep();
    expect([step, closed]).toEqual([5, null]);
  });

  it('scores training accuracy on each batch as it is trained (before the update of that step)', async () => {
    const { model, run } = await prepareRun(withTraining(blobs(), { batchSize: 1000 }));
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
    expect((await run.next()).kind).toBe('step');
    const report = await epoch(run);
    expect(report.trainAccuracy).toBeCloseTo(before, 6); // before is a float32 mean
  });

  it('evaluates in batches: the same loss and accuracy as one batch of the whole split', async () => {
    const { model, run } = await prepareRun(withTraining(blobs(), { validationSplit: 0.6 }));
    await run.nextStep();
    const batched = await run.evaluate();
    const [x, y] = (run.val.dataset as hg.data.TensorDataset).tensors as [hg.Tensor, hg.Tensor];
    const rows = hg.tensor(Array.from(run.val.indices), { dtype: 'int32' });
    model.eval();
    const whole = hg.noGrad(() => model.forward({ x: x.indexSelect(0, rows), y: y.indexSelect(0, rows) }));
    expect(run.val.length).toBe(360); // two evaluation batches (256 + 104)
    expect(batched.loss!).toBeCloseTo(whole.loss!.item(), 6);
    const accuracy = whole.prediction!.argmax(-1).eq(y.indexSelect(0, rows)).float().mean().item();
    expect(batched.accuracy!).toBeCloseTo(accuracy, 6);
  });

  it('reports no validation result (null, not NaN) when the split is empty, and refuses an empty training split', async () => {
    const { run } = await prepareRun(withTraining(blobs(), { validationSplit: 0 }));
    const metrics = await epoch(run);
    expect([metrics.valLoss, metrics.valAccuracy]).toEqual([null, null]);
    await expect(prepareRun(checked(text('mlp-blobs.hgrad.json')), { limit: 1 })).resolves.toBeDefined();
    const tiny = checked({
      ...blobs(),
      nodes: blobs().nodes.map((n) =>
        n.kind === 'Dataset' ? { ...n, params: { name: 'blobs', samples: 1 } } : n,
      ),
    });
    await expect(prepareRun(tiny, { overrides: {} })).resolves.toBeDefined();
    await expect(prepareRun(withTraining(tiny.document, { validationSplit: 0.9 }))).rejects.toThrow(
      'the training split is empty: 1 samples with validationSplit 0.9',
    );
  });

  it('follows the learning-rate schedule of the document, per epoch or per step', async () => {
    const doc = blobs();
    const lr = doc.training!.optimizer.lr;
    const { run } = await prepareRun(
      withTraining(doc, { schedule: { kind: 'step', params: { stepSize: 1, gamma: 0.5 } } }),
    );
    await epoch(run);
    await epoch(run);
    expect(run.lr).toBe(lr * 0.25);

    const cycle = withTraining(doc, { epochs: 2, schedule: { kind: 'onecycle', params: {} } });
    const { run: oneCycle } = await prepareRun(cycle);
    const expected = scheduleCurve(cycle.document.training!.schedule, lr, {
      epochs: 2,
      stepsPerEpoch: oneCycle.stepsPerEpoch,
    });
    const seen: number[] = [];
    while (!oneCycle.finished) {
      const before = oneCycle.lr;
      if ((await oneCycle.next()).kind === 'step') seen.push(before);
    }
    expect(seen).toEqual(expected);
    expect(Math.max(...expected)).toBeCloseTo(lr, 12);
    expect(expected[0]).toBeCloseTo(lr / 25, 12);
  });

  it('the preview curve of every epoch schedule equals the rates a run uses', async () => {
    const doc = blobs();
    for (const schedule of [
      { kind: 'step', params: { stepSize: 2, gamma: 0.3 } },
      { kind: 'exponential', params: { gamma: 0.8 } },
      { kind: 'cosine', params: { tMax: 3 } },
      { kind: 'linear', params: { startFactor: 0.2, totalIters: 3 } },
    ] as const) {
      const { run } = await prepareRun(withTraining(doc, { epochs: 5, batchSize: 240, schedule }));
      const curve = scheduleCurve(schedule, doc.training!.optimizer.lr, { epochs: 5, stepsPerEpoch: 2 });
      const seen: number[] = [];
      while (!run.finished) {
        const before = run.lr;
        if ((await run.next()).kind === 'step') seen.push(before);
      }
      expect(seen, schedule.kind).toEqual(curve);
    }
  });

  it('names the node and the op where a non-finite value first appears', async () => {
    const doc = blobs();
    const graph = withTraining(doc, { optimizer: { kind: 'sgd', lr: 10, params: {} } });
    const { run, model } = await prepareRun(graph);
    // Weights that overflow float32 on the first forward pass.
    hg.noGrad(() => model.parameters()[0]!.fill_(3e38));
    await expect(run.next()).rejects.toThrow(
      /^training stopped at step 1: node fc1 \(Linear\) produced non-finite values/,
    );
  });
});
