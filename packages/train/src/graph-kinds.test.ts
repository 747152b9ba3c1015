// Many node kinds in one compiled graph: it analyzes cleanly, runs forward and backward, and
// every parameter receives a gradient.
import { describe, expect, it } from 'vitest';
import { loadGraph, type CheckedGraph } from '@hgrad/ir';
import * as hg from '@hgrad/engine';
import { compileGraph, prepareRun, type EpochMetrics } from './index.ts';

function checked(input: unknown): CheckedGraph {
  const r = loadGraph(input);
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return r.graph;
}

const node = (id: string, kind: string, params: Record<string, unknown> = {}) => ({
  id,
  kind,
  params,
  position: { x: 0, y: 0 },
});
const edge = (id: string, s: string, sp: string, t: string, tp: string) => ({
  id,
  source: { node: s, port: sp },
  target: { node: t, port: tp },
});

const doc = {
  format: 'hgrad',
  version: 2,
  metadata: { name: 'kitchen sink' },
  nodes: [
    node('data', 'Dataset', { name: 'blobs' }),
    node('fc', 'Linear', { inFeatures: 2, outFeatures: 8 }),
    node('reshape', 'Reshape', { shape: [2, 4] }),
    node('ln', 'LayerNorm', { normalizedShape: 4 }),
    node('attn', 'SelfAttention', { embedDim: 4, numHeads: 2, causal: true }),
    node('add', 'Add'),
    node('gru', 'GRU', { inputSize: 4, hiddenSize: 6 }),
    node('lstm', 'LSTM', { inputSize: 6, hiddenSize: 6 }),
    node('rnn', 'RNN', { inputSize: 6, hiddenSize: 6 }),
    node('mean', 'Mean', { dim: 1 }),
    node('sum', 'Sum', { dim: 1 }),
    node('concat', 'Concat', { dim: 1 }),
    node('bn', 'BatchNorm1d', { numFeatures: 12 }),
    node('mul', 'Mul'),
    node('gelu', 'GELU'),
    node('leaky', 'LeakyReLU', { negativeSlope: 0.1 }),
    node('silu', 'SiLU'),
    node('tanh', 'Tanh'),
    node('sigmoid', 'Sigmoid'),
    node('drop', 'Dropout', { p: 0.1 }),
    node('head', 'Linear', { inFeatures: 12, outFeatures: 3 }),
    node('loss', 'CrossEntropyLoss'),
  ],
  edges: [
    edge('e1', 'data', 'x', 'fc', 'input'),
    edge('e2', 'fc', 'output', 'reshape', 'input'),
    edge('e3', 'reshape', 'output', 'ln', 'input'),
    edge('e4', 'ln', 'output', 'attn', 'input'),
    edge('e5', 'attn', 'output', 'add', 'a'),
    edge('e6', 'ln', 'output', 'add', 'b'),
    edge('e7', 'add', 'output', 'gru', 'input'),
    edge('e8', 'gru', 'output', 'lstm', 'input'),
    edge('e9', 'lstm', 'output', 'rnn', 'input'),
    edge('e10', 'rnn', 'output', 'mean', 'input'),
    edge('e11', 'gru', 'output', 'sum', 'input'),
    edge('e12', 'mean', 'output', 'concat', 'a'),
    edge('e13', 'sum', 'output', 'concat', 'b'),
    edge('e14', 'concat', 'output', 'bn', 'input'),
    edge('e15', 'bn', 'output', 'mul', 'a'),
    edge('e16', 'concat', 'output', 'mul', 'b'),
    edge('e17', 'mul', 'output', 'gelu', 'input'),
    edge('e18', 'gelu', 'output', 'leaky', 'input'),
    edge('e19', 'leaky', 'output', 'silu', 'input'),
    edge('e20', 'silu', 'output', 'tanh', 'input'),
    edge('e21', 'tanh', 'output', 'sigmoid', 'input'),
    edge('e22', 'sigmoid', 'output', 'drop', 'input'),
    edge('e23', 'drop', 'output', 'head', 'input'),
    edge('e24', 'head', 'output', 'loss', 'input'),
    edge('e25', 'data', 'y', 'loss', 'target'),
  ],
};

describe('compiled graphs with many node kinds', () => {
  it('analyze, run forward and backward, and train', async () => {
    const graph = checked(doc);
    expect(graph.analysis.nodes.get('concat')!.outputs).toEqual({ output: ['N', 12] });
    hg.manualSeed(0);
    const model = compileGraph(graph);
    const { x, y } = hg.data.blobs(16);
    const { loss, values } = model.forward({ x, y });
    expect(values.get('attn')!.output!.shape).toEqual([16, 2, 4]);
    loss!.backward();
    for (const [name, p] of model.namedParameters()) expect(p.grad, name).not.toBeNull();
    const training = checked({
      ...graph.document,
      nodes: graph.document.nodes.map((n) =>
        n.kind === 'Dataset' ? { ...n, params: { name: 'blobs', samples: 60 } } : n,
      ),
      training: {
        validationSplit: 0.25,
        optimizer: { kind: 'adam', lr: 0.01, params: {} },
        batchSize: 15,
        epochs: 2,
        seed: 0,
        device: 'cpu',
      },
    });
    const { run } = await prepareRun(training);
    const history: EpochMetrics[] = [];
    while (!run.finished) {
      const p = await run.next();
      if (p.kind === 'epoch') history.push(p.metrics);
    }
    expect(history.map((h) => h.epoch)).toEqual([1, 2]);
    expect(run.stepsPerEpoch).toBe(3);
  });

  it('runs the loss kinds for regression', () => {
    for (const kind of ['MSELoss', 'L1Loss', 'BCEWithLogitsLoss']) {
      const d = {
        ...doc,
        nodes: [
          node('data', 'Dataset', { name: 'sine' }),
          node('fc', 'Linear', { inFeatures: 1, outFeatures: 1 }),
          node('loss', kind),
        ],
        edges: [
          edge('e1', 'data', 'x', 'fc', 'input'),
          edge('e2', 'fc', 'output', 'loss', 'input'),
          edge('e3', 'data', 'y', 'loss', 'target'),
        ],
      };
      const { x, y } = hg.data.sine(8);
      const run = compileGraph(checked(d)).forward({ x, y: kind === 'BCEWithLogitsLoss' ? y.sigmoid() : y });
      expect(Number.isFinite(run.loss!.item()), kind).toBe(true);
    }
  });
});

describe('GroupNorm, a kind added with one catalog file and one implementation entry', () => {
  const gnDoc = {
    ...doc,
    nodes: [
      node('data', 'Dataset', { name: 'fashion-mnist' }),
      node('conv', 'Conv2d', { inChannels: 1, outChannels: 4, kernelSize: 3, padding: 1 }),
      node('gn', 'GroupNorm', { numGroups: 2, numChannels: 4 }),
      node('flat', 'Flatten'),
      node('head', 'Linear', { inFeatures: 4 * 28 * 28, outFeatures: 10 }),
      node('loss', 'CrossEntropyLoss'),
    ],
    edges: [
      edge('e1', 'data', 'x', 'conv', 'input'),
      edge('e2', 'conv', 'output', 'gn', 'input'),
      edge('e3', 'gn', 'output', 'flat', 'input'),
      edge('e4', 'flat', 'output', 'head', 'input'),
      edge('e5', 'head', 'output', 'loss', 'input'),
      edge('e6', 'data', 'y', 'loss', 'target'),
    ],
  };

  it('analyses (shape, parameters) and computes what nn.GroupNorm computes', () => {
    const graph = checked(gnDoc);
    expect(graph.analysis.nodes.get('gn')).toMatchObject({
      outputs: { output: ['N', 4, 28, 28] },
      paramCount: 8,
    });
    hg.manualSeed(5);
    const model = compileGraph(graph);
    expect([...model.stateDict().keys()]).toContain('gn.weight');
    const x = hg.randn([2, 1, 28, 28]);
    const run = model.forward({ x, y: hg.tensor([1, 2], { dtype: 'int32' }) });
    const byHand = (model.nodeModule('gn') as hg.nn.GroupNorm).forward(run.values.get('conv')!.output!);
    expect(run.values.get('gn')!.output!.tolist()).toEqual(byHand.tolist());
  });

  it('reports a group count that does not divide the channels, naming the node', () => {
    const bad = {
      ...gnDoc,
      nodes: gnDoc.nodes.map((n) => (n.id === 'gn' ? { ...n, params: { numGroups: 3, numChannels: 4 } } : n)),
    };
    const r = loadGraph(bad);
    expect(r.ok).toBe(false);
    if (!r.ok)
      expect(r.problems).toContainEqual({
        path: 'node gn',
        nodeId: 'gn',
        message: 'node gn (GroupNorm): numGroups (3) must divide numChannels (4)',
      });
  });
});
