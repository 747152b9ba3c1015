// Group nodes compile to nested GraphModels: each instance owns its parameters (PyTorch-style
// keys "block1.fc.weight"), and the compiled graph equals the same network written by hand.
// Also the shape kinds Slice and Split and the math kinds Sub, Div and Max.
import { describe, expect, it } from 'vitest';
import { checkGraph, type CheckedGraph, type GraphDocument } from '@hgrad/ir';
import { edge, node, residualDocument } from '../../ir/src/residual.fixture.ts';
import * as hg from '@hgrad/engine';
import { F, nn, sl } from '@hgrad/engine';
import { compileGraph, GraphModel } from './index.ts';

function checked(doc: GraphDocument): CheckedGraph {
  const r = checkGraph(doc);
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return r.graph;
}

class Residual extends nn.Module {
  fc: nn.Linear;
  constructor(width: number) {
    super();
    this.fc = this.module('fc', new nn.Linear(width, width));
  }
  forward(x: hg.Tensor): hg.Tensor {
    return (this.fc.call(x) as hg.Tensor).tanh().add(x);
  }
}

describe('compiled groups', () => {
  it('equal the hand-written residual network in outputs and gradients', () => {
    const doc = residualDocument(8);
    hg.manualSeed(7);
    const model = compileGraph(checked(doc));
    expect([...model.stateDict().keys()]).toEqual([
      'stem.weight',
      'stem.bias',
      'block1.fc.weight',
      'block1.fc.bias',
      'block2.fc.weight',
      'block2.fc.bias',
      'head.weight',
      'head.bias',
    ]);
    hg.manualSeed(7);
    const byHand = new nn.Sequential(
      new nn.Linear(2, 8),
      new Residual(8),
      new Residual(8),
      new nn.Linear(8, 3),
    );
    const { x, y } = hg.data.blobs(20, { seed: 3 });
    const run = model.forward({ x, y });
    const loss = F.crossEntropy(byHand.call(x) as hg.Tensor, y);
    expect(run.loss!.item()).toBe(loss.item());
    // The inner nodes' values are addressable as "group/inner".
    expect(run.values.get('block1/fc')!.output!.shape).toEqual([20, 8]);
    run.loss!.backward();
    loss.backward();
    const handGrads = byHand.parameters().map((p) => Array.from(p.grad!.dataSync()));
    expect(model.parameters().map((p) => Array.from(p.grad!.dataSync()))).toEqual(handGrads);
  });

  it('names the group and the inner node when a subgraph fails at run time', () => {
    const doc = residualDocument(8);
    const model = compileGraph(checked(doc));
    const x = hg.randn([4, 3]); // wrong width: fails inside block1's Linear
    expect(() => model.forward({ x, y: hg.tensor([0, 1, 2, 0], { dtype: 'int32' }) })).toThrow(/node stem/);
    const inner = model.nodeModule('block1') as GraphModel;
    let error: (Error & { nodeId?: string }) | null = null;
    try {
      model.runNode('block1', { ...model.begin({}), values: new Map([['stem', { output: x }]]) });
    } catch (e) {
      error = e as Error & { nodeId?: string };
    }
    expect(inner).toBeInstanceOf(GraphModel);
    expect(error!.message).toMatch(/^node block1 \(Group\): node fc \(Linear\): /);
    expect(error!.nodeId).toBe('block1/fc');
  });
});

describe('slice, split, sub, div and max nodes', () => {
  it('compute what the tensor API computes', () => {
    const doc: GraphDocument = {
      format: 'hgrad',
      version: 2,
      metadata: { name: 'shapes', description: '' },
      nodes: [
        node('data', 'Dataset', { name: 'fashion-mnist' }),
        node('crop', 'Slice', { dim: 2, start: 2, end: -2, step: 3 }),
        node('split', 'Split', { dim: 3, size: 14 }),
        node('diff', 'Sub'),
        node('ratio', 'Div'),
        node('max', 'Max', { dim: 3, keepdim: true }),
      ],
      edges: [
        edge('e1', 'data', 'x', 'crop', 'input'),
        edge('e2', 'crop', 'output', 'split', 'input'),
        edge('e3', 'split', 'first', 'diff', 'a'),
        edge('e4', 'split', 'rest', 'diff', 'b'),
        edge('e5', 'diff', 'output', 'ratio', 'a'),
        edge('e6', 'split', 'rest', 'ratio', 'b'),
        edge('e7', 'ratio', 'output', 'max', 'input'),
      ],
    };
    const x = hg.rand([2, 1, 28, 28]).add(0.5);
    const run = compileGraph(checked(doc)).forward({ x, y: hg.zeros([2], { dtype: 'int32' }) });
    const crop = x.index(sl(), sl(), sl(2, -2, 3));
    const [first, rest] = [crop.narrow(3, 0, 14), crop.narrow(3, 14, 14)];
    const expected = first.sub(rest).div(rest).amax(3, true);
    expect(run.values.get('crop')!.output!.shape).toEqual([2, 1, 8, 28]);
    expect(run.values.get('max')!.output!.tolist()).toEqual(expected.tolist());
  });
});
