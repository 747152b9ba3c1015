// Test graphs that between them use every model node kind (and a group), with random weights:
// what the ONNX and PyTorch export tests run in the real runtimes.
import * as hg from '@hgrad/engine';
import { loadGraph, type CheckedGraph } from '@hgrad/ir';
import { compileGraph } from '@hgrad/train';
import type { ModelKind } from './flat.ts';

const node = (id: string, kind: string, params: Record<string, unknown> = {}) => ({
  id,
  kind,
  params,
  position: { x: 0, y: 0 },
});
let edges = 0;
/** "a.out→b.in" wiring: [source, sourcePort, target, targetPort]. */
const wire = (s: string, sp: string, t: string, tp: string) => ({
  id: `e${++edges}`,
  source: { node: s, port: sp },
  target: { node: t, port: tp },
});
/** `first`'s `port` into the next node's 'input', then each node's 'output' into the next. */
const chain = (first: string, port: string, ...ids: string[]) =>
  ids.map((id, i) => wire(i === 0 ? first : ids[i - 1]!, i === 0 ? port : 'output', id, 'input'));
const loss = (from: string, port = 'output') => [
  node('loss', 'CrossEntropyLoss'),
  { ...wire(from, port, 'loss', 'input') },
  { ...wire('data', 'y', 'loss', 'target') },
];

function doc(name: string, nodes: unknown[], edgeList: unknown[], subgraphs: unknown[] = []) {
  return { format: 'hgrad', version: 2, metadata: { name }, nodes, edges: edgeList, subgraphs };
}

function split(items: unknown[]): [unknown[], unknown[]] {
  const isEdge = (v: unknown) => typeof v === 'object' && v !== null && 'source' in v;
  return [items.filter((v) => !isEdge(v)), items.filter(isEdge)];
}

const dense = () => {
  const [lossNodes, lossEdges] = split(loss('head'));
  return doc(
    'dense kinds',
    [
      node('data', 'Dataset', { name: 'blobs' }),
      node('fc1', 'Linear', { inFeatures: 2, outFeatures: 12 }),
      node('bn1', 'BatchNorm1d', { numFeatures: 12 }),
      node('leaky', 'LeakyReLU', { negativeSlope: 0.2 }),
      node('drop', 'Dropout', { p: 0.3 }),
      node('elu', 'ELU', { alpha: 0.7 }),
      // β·x above the threshold for some values: both of torch's branches.
      node('softplus', 'Softplus', { beta: 2, threshold: 3 }),
      node('hswish', 'Hardswish'),
      node('mish', 'Mish'),
      node('rs', 'Reshape', { shape: [3, 4] }),
      node('ln', 'LayerNorm', { normalizedShape: 4 }),
      node('fc2', 'Linear', { inFeatures: 4, outFeatures: 4, bias: false }),
      node('gelu', 'GELU', { approximate: 'tanh' }),
      node('add', 'Add'),
      node('sub', 'Sub'),
      node('sig', 'Sigmoid'),
      node('mul', 'Mul'),
      node('tanh', 'Tanh'),
      node('div', 'Div'),
      node('cat', 'Concat', { dim: 2 }),
      node('split', 'Split', { dim: -1, size: 3 }),
      node('slice', 'Slice', { dim: 2, start: 1, step: 2 }),
      node('max', 'Max', { dim: 2 }),
      node('mean', 'Mean', { dim: 2 }),
      node('soft', 'Softmax', { dim: 1 }),
      node('silu', 'SiLU'),
      node('cat2', 'Concat', { dim: 1 }),
      node('sum', 'Sum', { dim: 1, keepdim: true }),
      node('add2', 'Add'),
      node('gelu2', 'GELU'),
      node('relu', 'ReLU'),
      node('flat', 'Flatten'),
      node('head', 'Linear', { inFeatures: 6, outFeatures: 3 }),
      ...lossNodes,
    ],
    [
      ...chain(
        'data',
        'x',
        'fc1',
        'bn1',
        'leaky',
        'drop',
        'elu',
        'softplus',
        'hswish',
        'mish',
        'rs',
        'ln',
        'fc2',
        'gelu',
      ),
      wire('ln', 'output', 'add', 'a'),
      wire('gelu', 'output', 'add', 'b'),
      wire('add', 'output', 'sub', 'a'),
      wire('ln', 'output', 'sub', 'b'),
      wire('sub', 'output', 'sig', 'input'),
      wire('sig', 'output', 'mul', 'a'),
      wire('add', 'output', 'mul', 'b'),
      wire('mul', 'output', 'tanh', 'input'),
      wire('tanh', 'output', 'div', 'a'),
      wire('sig', 'output', 'div', 'b'),
      wire('div', 'output', 'cat', 'a'),
      wire('ln', 'output', 'cat', 'b'),
      wire('cat', 'output', 'split', 'input'),
      wire('split', 'rest', 'slice', 'input'),
      wire('split', 'first', 'max', 'input'),
      wire('slice', 'output', 'mean', 'input'),
      wire('mean', 'output', 'soft', 'input'),
      wire('max', 'output', 'silu', 'input'),
      wire('silu', 'output', 'cat2', 'a'),
      wire('soft', 'output', 'cat2', 'b'),
      wire('cat2', 'output', 'sum', 'input'),
      wire('cat2', 'output', 'add2', 'a'),
      wire('sum', 'output', 'add2', 'b'),
      ...chain('add2', 'output', 'gelu2', 'relu', 'flat', 'head'),
      ...lossEdges,
    ],
  );
};

const conv = () => {
  const [lossNodes, lossEdges] = split(loss('head'));
  return doc(
    'conv kinds',
    [
      node('data', 'Dataset', { name: 'fashion-mnist' }),
      node('conv1', 'Conv2d', { inChannels: 1, outChannels: 4, kernelSize: 3, padding: 1 }),
      node('bn', 'BatchNorm2d', { numFeatures: 4 }),
      node('relu', 'ReLU'),
      node('pool', 'MaxPool2d', { kernelSize: 2 }),
      node('conv2', 'Conv2d', {
        inChannels: 4,
        outChannels: 6,
        kernelSize: [3, 2],
        stride: 2,
        padding: [1, 0],
        bias: false,
      }),
      node('gn', 'GroupNorm', { numGroups: 2, numChannels: 6 }),
      node('avg', 'AvgPool2d', { kernelSize: 2, stride: 1, padding: 1 }),
      // 8×8 → 4×2 (an AveragePool in ONNX), then global average pooling (GlobalAveragePool).
      node('gap', 'AdaptiveAvgPool2d', { outputSize: [4, 2] }),
      node('gap1', 'AdaptiveAvgPool2d', { outputSize: 1 }),
      node('flat', 'Flatten'),
      node('head', 'Linear', { inFeatures: 6, outFeatures: 10 }),
      ...lossNodes,
    ],
    [
      ...chain(
        'data',
        'x',
        'conv1',
        'bn',
        'relu',
        'pool',
        'conv2',
        'gn',
        'avg',
        'gap',
        'gap1',
        'flat',
        'head',
      ),
      ...lossEdges,
    ],
  );
};

const sequence = () => {
  const [lossNodes, lossEdges] = split(loss('head'));
  return doc(
    'sequence kinds',
    [
      node('data', 'Dataset', { name: 'genesis', seqLen: 8, samples: 16 }),
      node('embed', 'Embedding', { numEmbeddings: 59, embeddingDim: 8 }),
      node('rnn', 'RNN', { inputSize: 8, hiddenSize: 6, numLayers: 2 }),
      node('gru', 'GRU', { inputSize: 6, hiddenSize: 6 }),
      node('lstm', 'LSTM', { inputSize: 6, hiddenSize: 8, numLayers: 2 }),
      node('attn', 'SelfAttention', { embedDim: 8, numHeads: 2, causal: true }),
      node('attn2', 'SelfAttention', { embedDim: 8, numHeads: 4 }),
      node('head', 'Linear', { inFeatures: 8, outFeatures: 59 }),
      ...lossNodes,
    ],
    [...chain('data', 'x', 'embed', 'rnn', 'gru', 'lstm', 'attn', 'attn2', 'head'), ...lossEdges],
  );
};

const grouped = () => {
  const [lossNodes, lossEdges] = split(loss('head'));
  return doc(
    'grouped',
    [
      node('data', 'Dataset', { name: 'blobs' }),
      node('stem', 'Linear', { inFeatures: 2, outFeatures: 8 }),
      node('block1', 'Group', { subgraph: 'residual' }),
      node('block2', 'Group', { subgraph: 'residual' }),
      node('head', 'Linear', { inFeatures: 8, outFeatures: 3 }),
      ...lossNodes,
    ],
    [
      wire('data', 'x', 'stem', 'input'),
      wire('stem', 'output', 'block1', 'x'),
      wire('block1', 'y', 'block2', 'x'),
      wire('block2', 'y', 'head', 'input'),
      ...lossEdges,
    ],
    [
      {
        id: 'residual',
        name: 'Residual block',
        nodes: [
          node('in', 'GroupInput', { name: 'x' }),
          node('fc', 'Linear', { inFeatures: 8, outFeatures: 8 }),
          node('act', 'Tanh'),
          node('add', 'Add'),
          node('out', 'GroupOutput', { name: 'y' }),
        ],
        edges: [
          wire('in', 'output', 'fc', 'input'),
          wire('fc', 'output', 'act', 'input'),
          wire('act', 'output', 'add', 'a'),
          wire('in', 'output', 'add', 'b'),
          wire('add', 'output', 'out', 'input'),
        ],
      },
    ],
  );
};

export interface KindsCase {
  name: string;
  graph: CheckedGraph;
  /** A batch for the model input. */
  input: hg.Tensor;
  weights: Map<string, hg.Tensor>;
}

/** Every case with seeded random weights (BatchNorm running statistics included). */
export function kindsCases(): KindsCase[] {
  hg.manualSeed(7);
  return [
    { name: 'dense', doc: dense(), input: () => hg.randn([5, 2]) },
    { name: 'conv', doc: conv(), input: () => hg.randn([3, 1, 28, 28]) },
    { name: 'sequence', doc: sequence(), input: () => hg.randint(0, 59, [4, 8]) },
    { name: 'grouped', doc: grouped(), input: () => hg.randn([5, 2]) },
  ].map(({ name, doc: d, input }) => {
    const loaded = loadGraph(d);
    if (!loaded.ok) throw new Error(`${name}: ${JSON.stringify(loaded.problems)}`);
    const weights = new Map<string, hg.Tensor>();
    for (const [key, t] of compileGraph(loaded.graph).stateDict()) {
      if (t.dtype !== 'float32' && t.dtype !== 'float64') weights.set(key, t);
      else if (key.endsWith('running_var')) weights.set(key, hg.rand(t.shape).add(0.5));
      else weights.set(key, hg.randn(t.shape).mul(0.5));
    }
    return { name, graph: loaded.graph, input: input(), weights };
  });
}

/** The kinds the cases use, to check that they cover every model kind. */
export function kindsUsed(cases: readonly KindsCase[]): Set<ModelKind> {
  const used = new Set<string>();
  const visit = (nodes: readonly { kind: string }[]) => nodes.forEach((n) => used.add(n.kind));
  for (const c of cases) {
    visit(c.graph.document.nodes);
    for (const s of c.graph.document.subgraphs ?? []) visit(s.nodes);
  }
  return used as Set<ModelKind>;
}
