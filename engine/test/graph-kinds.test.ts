// Many node kinds in one compiled graph: it analyzes cleanly, runs forward and backward, and
// every parameter receives a gradient. Also the module wrappers (loss modules, containers,
// activation modules) against their functional forms.
import { describe, expect, it } from 'vitest';
import { analyze, parseDocument, type GraphDocument } from '@hgrad/ir';
import * as hg from '../src/index.ts';
import { F, nn } from '../src/index.ts';

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
  version: 1,
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
    const parsed = parseDocument(doc);
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
    const analysis = analyze(parsed.document);
    expect(analysis.problems).toEqual([]);
    expect(analysis.nodes.get('concat')!.outputs).toEqual({ output: ['N', 12] });
    hg.manualSeed(0);
    const model = hg.compileGraph(parsed.document, analysis);
    const { x, y } = hg.data.blobs(16);
    const { loss, values } = model.forward({ x, y });
    expect(values.get('attn')!.output!.shape).toEqual([16, 2, 4]);
    loss!.backward();
    for (const [name, p] of model.namedParameters()) expect(p.grad, name).not.toBeNull();
    const training: GraphDocument = {
      ...parsed.document,
      training: {
        dataset: { name: 'blobs', params: { samples: 60 }, validationSplit: 0.25 },
        optimizer: { kind: 'adam', lr: 0.01, params: {} },
        batchSize: 15,
        epochs: 2,
        seed: 0,
        device: 'cpu',
      },
    };
    const history = await hg.trainGraph(
      hg.compileGraph(training, analyze(training)),
      training,
      hg.data.blobs(60),
    );
    expect(history.map((h) => h.epoch)).toEqual([1, 2]);
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
      const parsed = parseDocument(d);
      if (!parsed.ok) throw new Error(kind);
      const { x, y } = hg.data.sine(8);
      const run = hg
        .compileGraph(parsed.document, analyze(parsed.document))
        .forward({ x, y: kind === 'BCEWithLogitsLoss' ? y.sigmoid() : y });
      expect(Number.isFinite(run.loss!.item()), kind).toBe(true);
    }
  });
});

describe('module wrappers', () => {
  const a = hg.randn([4, 3]);
  const b = hg.randn([4, 3]);
  const labels = hg.tensor([0, 2, 1, 1]);

  it('loss modules equal their functional forms', () => {
    const same = (m: hg.Tensor, f: hg.Tensor) => expect(m.item()).toBe(f.item());
    same(new nn.MSELoss().forward(a, b), F.mseLoss(a, b));
    same(new nn.L1Loss('sum').forward(a, b), F.l1Loss(a, b, 'sum'));
    same(new nn.SmoothL1Loss({ beta: 0.5 }).forward(a, b), F.smoothL1Loss(a, b, 'mean', 0.5));
    same(new nn.HuberLoss({ delta: 0.3 }).forward(a, b), F.huberLoss(a, b, 'mean', 0.3));
    same(
      new nn.CrossEntropyLoss({ labelSmoothing: 0.1 }).forward(a, labels),
      F.crossEntropy(a, labels, { labelSmoothing: 0.1 }),
    );
    same(new nn.NLLLoss().forward(a.logSoftmax(1), labels), F.nllLoss(a.logSoftmax(1), labels));
    same(new nn.BCELoss().forward(a.sigmoid(), b.sigmoid()), F.binaryCrossEntropy(a.sigmoid(), b.sigmoid()));
    same(new nn.BCEWithLogitsLoss().forward(a, b.sigmoid()), F.binaryCrossEntropyWithLogits(a, b.sigmoid()));
    same(
      new nn.KLDivLoss({ reduction: 'batchmean' }).forward(a.logSoftmax(1), b.softmax(1)),
      F.klDiv(a.logSoftmax(1), b.softmax(1), { reduction: 'batchmean' }),
    );
  });

  it('activation modules apply their functions and print like PyTorch', () => {
    const x = hg.randn([2, 5]);
    const cases: [hg.nn.Module, hg.Tensor, string][] = [
      [new nn.ReLU(), x.relu(), 'ReLU()'],
      [new nn.Tanh(), x.tanh(), 'Tanh()'],
      [new nn.Sigmoid(), x.sigmoid(), 'Sigmoid()'],
      [new nn.SiLU(), x.silu(), 'SiLU()'],
      [new nn.Identity(), x, 'Identity()'],
      [new nn.LeakyReLU(0.2), x.leakyRelu(0.2), 'LeakyReLU(negative_slope=0.2)'],
      [new nn.GELU('tanh'), x.gelu('tanh'), "GELU(approximate='tanh')"],
      [new nn.Softmax(1), x.softmax(1), 'Softmax(dim=1)'],
      [new nn.LogSoftmax(1), x.logSoftmax(1), 'LogSoftmax(dim=1)'],
      [new nn.Flatten(0), x.flatten(), 'Flatten(start_dim=0, end_dim=-1)'],
    ];
    for (const [m, expected, printed] of cases) {
      expect((m.call(x) as hg.Tensor).tolist()).toEqual(expected.tolist());
      expect(String(m)).toBe(printed);
    }
    expect(() => new nn.Dropout(2)).toThrow('Dropout: probability has to be between 0 and 1, but got 2');
  });

  it('ModuleList and ModuleDict register children under PyTorch keys', () => {
    const list = new nn.ModuleList([new nn.Linear(2, 2)]).append(new nn.Linear(2, 1));
    expect([...list.stateDict().keys()]).toEqual(['0.weight', '0.bias', '1.weight', '1.bias']);
    expect(list.length).toBe(2);
    expect(list.at(-1)).toBeInstanceOf(nn.Linear);
    expect([...list].length).toBe(2);
    expect(() => list.at(5)).toThrow('ModuleList: index 5 is out of range (length 2)');
    expect(() => list.forward()).toThrow('ModuleList has no forward()');
    const dict = new nn.ModuleDict({ encoder: new nn.Linear(3, 2) }).set('head', new nn.Linear(2, 1));
    expect(dict.keys()).toEqual(['encoder', 'head']);
    expect([...dict.stateDict().keys()]).toEqual([
      'encoder.weight',
      'encoder.bias',
      'head.weight',
      'head.bias',
    ]);
    expect(() => dict.get('decoder')).toThrow("ModuleDict: no module named 'decoder'");
    const seq = new nn.Sequential(new nn.Linear(2, 2));
    expect(seq.length).toBe(1);
    expect([...seq].length).toBe(1);
    expect(() => seq.at(3)).toThrow('Sequential: index 3 is out of range (length 1)');
  });
});
