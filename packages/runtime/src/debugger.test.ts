// The step-through debugger runs on the real engine graph: after stepping forward through every
// node and backward through every node, the parameter gradients it shows equal those of a plain
// backward() on the same batch bit for bit, for an MLP, a CNN and a recurrent model (whose
// unrolled steps' hidden-state gradients equal the retained gradients of those states).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as hg from '@hgrad/engine';
import { checkGraph, loadGraph, type CheckedGraph, type GraphDocument } from '@hgrad/ir';
import { compileGraph, type GraphModel } from '@hgrad/train';
import { StepDebugger } from './debugger.ts';

function load(name: string): CheckedGraph {
  const r = loadGraph(readFileSync(new URL(`../../../examples/${name}`, import.meta.url), 'utf8'));
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return r.graph;
}

function checked(doc: GraphDocument): CheckedGraph {
  const r = checkGraph(doc);
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return r.graph;
}

const values = (t: hg.Tensor) => Array.from(t.contiguous().dataSync());

/** Steps through the whole plan, then compares with a plain backward on the same batch. */
function stepThroughEqualsBackward(doc: CheckedGraph, feeds: Record<string, hg.Tensor>): StepDebugger {
  hg.manualSeed(3);
  const model = compileGraph(doc);
  model.train();
  const debug = new StepDebugger(model, feeds);
  const forwardSteps = debug.plan.filter((s) => s.phase === 'forward');
  expect(forwardSteps.map((s) => s.nodeId)).toEqual(model.order);
  expect(debug.plan[forwardSteps.length]).toMatchObject({ phase: 'backward', kind: 'CrossEntropyLoss' });
  for (let i = 0; i < debug.plan.length; i++) debug.moveTo(i);
  const shown = debug.parameterGradients();

  const run = model.forward(feeds);
  run.loss!.backward();
  const names = [...model.namedParameters()].map(([name]) => name);
  expect([...shown.keys()].sort()).toEqual([...names].sort());
  for (const [name, p] of model.namedParameters())
    expect(values(shown.get(name)!), name).toEqual(values(p.grad!));
  return debug;
}

describe('step-through debugger', () => {
  it('MLP: shows each node output, the gradient it receives and sends, equal to backward()', () => {
    const doc = load('mlp-blobs.hgrad.json');
    const { x, y } = hg.data.blobs(16, { seed: 2 });
    const debug = stepThroughEqualsBackward(doc, { x, y });
    const fc2Back = debug.plan.findIndex((s) => s.phase === 'backward' && s.nodeId === 'fc2');
    const roles = debug.state(fc2Back).map((t) => `${t.role}:${t.name}`);
    expect(roles).toEqual([
      'gradOutput:output',
      'gradInput:input',
      'gradParam:fc2.weight',
      'gradParam:fc2.bias',
      'param:fc2.weight',
      'param:fc2.bias',
    ]);
    // What fc2 sends to its input is exactly what act1 then receives.
    const act1Back = debug.plan.findIndex((s) => s.phase === 'backward' && s.nodeId === 'act1');
    expect(values(debug.state(act1Back)[0]!.tensor)).toEqual(values(debug.state(fc2Back)[1]!.tensor));
    // Stepping back shows states already computed, without recomputing.
    const before = debug.state(2);
    debug.moveTo(2);
    expect(debug.state(2)).toBe(before);
    expect(() => debug.moveTo(debug.plan.length)).toThrow(/outside 0\.\./);
  });

  it('CNN: conv, pooling and flatten gradients equal backward()', () => {
    const doc = load('cnn-fashion.hgrad.json');
    hg.manualSeed(11);
    stepThroughEqualsBackward(doc, {
      x: hg.rand([4, 1, 28, 28]),
      y: hg.tensor([0, 3, 9, 5], { dtype: 'int32' }),
    });
  });

  it('RNN: every unrolled step is addressable, and its gradient equals the retained one', () => {
    const doc = load('char-rnn.hgrad.json');
    hg.manualSeed(5);
    const feeds = { x: hg.randint(0, 59, [3, 6]), y: hg.randint(0, 59, [3, 6]) };
    const debug = stepThroughEqualsBackward(doc, feeds);
    const forward = debug.plan.findIndex((s) => s.phase === 'forward' && s.nodeId === 'rnn');
    const backward = debug.plan.findIndex((s) => s.phase === 'backward' && s.nodeId === 'rnn');
    const hidden = debug.state(forward).filter((t) => t.role === 'hidden');
    const gradHidden = debug.state(backward).filter((t) => t.role === 'gradHidden');
    expect(hidden.map((t) => t.name)).toEqual(['t=0', 't=1', 't=2', 't=3', 't=4', 't=5']);
    expect(hidden[5]!.tensor.shape).toEqual([3, 128]);

    // The same gradients from a plain backward, by retaining each step's hidden state.
    hg.manualSeed(3);
    const model = compileGraph(doc);
    const gru = model.nodeModule('rnn') as hg.nn.RNNBase;
    const states: hg.Tensor[] = [];
    gru.onStep = ({ h, t }) => {
      h.retainGrad();
      states[t] = h;
    };
    model.forward(feeds).loss!.backward();
    gradHidden.forEach((g, t) => expect(values(g.tensor), g.name).toEqual(values(states[t]!.grad!)));
  });

  it('puts BatchNorm running statistics back when it closes', () => {
    const doc = structuredClone(load('mlp-blobs.hgrad.json').document);
    doc.nodes.splice(2, 0, {
      id: 'bn',
      kind: 'BatchNorm1d',
      params: { numFeatures: 16 },
      position: { x: 0, y: 0 },
    });
    doc.edges = doc.edges.map((e) =>
      e.target.node === 'act1' ? { ...e, target: { node: 'bn', port: 'input' } } : e,
    );
    doc.edges.push({
      id: 'ebn',
      source: { node: 'bn', port: 'output' },
      target: { node: 'act1', port: 'input' },
    });
    const { x, y } = hg.data.blobs(16, { seed: 2 });
    const debug = stepThroughEqualsBackward(checked(doc), { x, y });
    const bn = (debug as unknown as { model: GraphModel }).model.nodeModule('bn')!;
    const mean = bn.buffers()[0]!;
    expect(values(mean).some((v) => v !== 0)).toBe(true); // moved by the forward passes
    debug.close();
    expect(values(mean).every((v) => v === 0)).toBe(true);
  });
});
