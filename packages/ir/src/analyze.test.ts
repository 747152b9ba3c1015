// Golden tests for the IR's meaning checks and shape inference.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  analyze,
  CATALOG,
  describeParams,
  initialParams,
  parseDocument,
  type GraphDocument,
} from './index.ts';

const example = (): GraphDocument => {
  const r = parseDocument(
    readFileSync(new URL('../../../examples/mlp-blobs.hgrad.json', import.meta.url), 'utf8'),
  );
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return r.document;
};
const messages = (doc: GraphDocument) => analyze(doc).problems.map((p) => p.message);

describe('analyze', () => {
  it('infers shapes with a symbolic batch, parameter counts and FLOPs for the example', () => {
    const a = analyze(example());
    expect(a.problems).toEqual([]);
    expect(a.order).toEqual(['data', 'fc1', 'act1', 'fc2', 'loss']);
    expect(a.nodes.get('fc1')!.outputs).toEqual({ output: ['N', 16] });
    expect(a.nodes.get('data')!.dtypes).toEqual({ x: 'float', y: 'int' });
    expect(a.totalParams).toBe(2 * 16 + 16 + 16 * 3 + 3);
    expect(a.nodes.get('fc1')!.flops).toBe(2 * 2 * 16);
  });

  it('reports unknown kinds (with a suggestion) and bad or unknown params, all at once', () => {
    const doc = example();
    doc.nodes[1]!.params = { inFeatures: 2, outFeatures: -4, units: 3 };
    doc.nodes[2]!.kind = 'Relu';
    expect(messages(doc)).toEqual([
      "node fc1 (Linear): unknown param 'units'; Linear takes inFeatures, outFeatures, bias",
      'node fc1 (Linear), param outFeatures: Too small: expected number to be >=1',
      "node act1: unknown kind 'Relu' (did you mean 'ReLU'?)",
    ]);
  });

  it('reports bad ports, inputs fed twice, unconnected inputs and dtype mismatches', () => {
    const doc = example();
    doc.edges[1]!.source.port = 'out';
    doc.edges.push({ id: 'e6', source: { node: 'data', port: 'x' }, target: { node: 'fc1', port: 'input' } });
    doc.edges = doc.edges.filter((e) => e.id !== 'e5');
    expect(messages(doc)).toEqual([
      "edge e2: Linear node fc1 has no output port 'out' (outputs: output)",
      "edge e6: input 'input' of node fc1 is already fed by data; an input takes one connection",
      "node loss (CrossEntropyLoss): input 'target' is not connected",
    ]);
    const wrongDtype = example();
    wrongDtype.edges[0]!.source.port = 'y';
    expect(messages(wrongDtype)).toContain(
      "node fc1 (Linear): input 'input' expects float values but data.y gives int",
    );
  });

  it('finds cycles and a missing loss', () => {
    const doc = example();
    doc.edges = doc.edges.filter((e) => e.id !== 'e1');
    doc.edges.push({
      id: 'e9',
      source: { node: 'act1', port: 'output' },
      target: { node: 'fc1', port: 'input' },
    });
    expect(messages(doc)).toContain(
      'the graph has a cycle through nodes fc1, act1; remove one of their connections (recurrent layers keep their loop inside)',
    );
    const noLoss = example();
    noLoss.nodes = noLoss.nodes.filter((n) => n.id !== 'loss');
    noLoss.edges = noLoss.edges.filter((e) => e.target.node !== 'loss');
    expect(messages(noLoss)).toEqual([
      'training needs a loss node: add e.g. CrossEntropyLoss and connect the model output and the labels to it',
    ]);
  });

  it('explains shape conflicts and suggests the obvious fix', () => {
    const doc = example();
    doc.nodes[1]!.params = { inFeatures: 5, outFeatures: 16 };
    expect(messages(doc)).toEqual([
      'node fc1 (Linear): Linear expects 5 input features in the last dim, got [N,2]; set inFeatures to 2',
    ]);
    const fashion = example();
    fashion.nodes[0]!.params = { name: 'fashion-mnist' };
    fashion.nodes[1]!.params = { inFeatures: 784, outFeatures: 16 };
    expect(messages(fashion)).toEqual([
      'node fc1 (Linear): insert Flatten: the input is [N,1,28,28], Linear expects [N,784]',
    ]);
  });

  it('gives every catalog entry a doc, ports and a params schema', () => {
    for (const kind of CATALOG.values()) {
      expect(kind.doc.length, kind.kind).toBeGreaterThan(3);
      // Only a Group takes its ports from its subgraph; every other kind declares some.
      if (kind.kind !== 'Group')
        expect(kind.inputs.length + kind.outputs.length, kind.kind).toBeGreaterThan(0);
      expect(kind.params.safeParse, kind.kind).toBeTypeOf('function');
    }
  });
});

describe('catalog initial params', () => {
  it('give every kind valid params when it is first added', () => {
    for (const kind of CATALOG.values())
      expect(kind.params.safeParse(initialParams(kind)).success, kind.kind).toBe(true);
    expect(initialParams(CATALOG.get('Linear')!)).toEqual({ inFeatures: 2, outFeatures: 16, bias: true });
  });
});

describe('describeParams', () => {
  it('reads controls, ranges, choices, defaults and docs from the schemas', () => {
    expect(describeParams(CATALOG.get('Linear')!)).toEqual([
      {
        name: 'inFeatures',
        control: 'int',
        doc: 'Size of each input sample (last dim)',
        optional: false,
        min: 1,
        max: 1_000_000,
      },
      {
        name: 'outFeatures',
        control: 'int',
        doc: 'Size of each output sample',
        optional: false,
        min: 1,
        max: 1_000_000,
      },
      { name: 'bias', control: 'boolean', doc: 'Learn an additive bias', optional: true, default: true },
    ]);
    const conv = describeParams(CATALOG.get('Conv2d')!);
    expect(conv.find((p) => p.name === 'kernelSize')).toMatchObject({ control: 'pair', min: 1, max: 31 });
    expect(describeParams(CATALOG.get('GELU')!)[0]).toMatchObject({
      control: 'choice',
      choices: ['none', 'tanh'],
      default: 'none',
    });
    expect(describeParams(CATALOG.get('Reshape')!)[0]).toMatchObject({ control: 'list' });
    for (const kind of CATALOG.values())
      for (const p of describeParams(kind)) expect(p.doc.length, `${kind.kind}.${p.name}`).toBeGreaterThan(3);
  });
});
