// Group nodes: a reusable subgraph whose GroupInput/GroupOutput nodes become the group's ports;
// shapes flow through it, parameters and FLOPs add up per instance, and problems inside it
// name the group and the inner node.
import { describe, expect, it } from 'vitest';
import { analyze, nodePorts, parseDocument, CATALOG, type GraphDocument } from './index.ts';
import { edge, node, residualDocument } from './residual.fixture.ts';

const messages = (doc: GraphDocument) => analyze(doc).problems.map((p) => p.message);

describe('group nodes', () => {
  it('take their ports from the subgraph and infer shapes, params and FLOPs per instance', () => {
    const doc = residualDocument();
    expect(nodePorts(doc, doc.nodes[2]!, CATALOG.get('Group')!)).toMatchObject({
      inputs: [{ name: 'x' }],
      outputs: [{ name: 'output' }],
    });
    const a = analyze(doc);
    expect(a.problems).toEqual([]);
    expect(a.nodes.get('block2')!.outputs).toEqual({ output: ['N', 8] });
    expect(a.nodes.get('block1')!.paramCount).toBe(8 * 8 + 8);
    expect(a.nodes.get('block1')!.inner!.nodes.get('fc')!.outputs).toEqual({ output: ['N', 8] });
    expect(a.totalParams).toBe(2 * 8 + 8 + 2 * 72 + 8 * 3 + 3);
    expect(a.totalFlops).toBe(2 * (2 * 8) + 2 * (2 * 64) + 2 * (8 * 3));
  });

  it('reports problems inside a subgraph against the group and the inner node', () => {
    const doc = residualDocument();
    doc.subgraphs![0]!.nodes[1]!.params = { inFeatures: 5, outFeatures: 8 };
    expect(messages(doc)).toEqual([
      "node block1 (Group 'Residual block'): node fc (Linear): Linear expects 5 input features in the last dim, got [N,8]; set inFeatures to 8",
    ]);
    expect(analyze(doc).problems[0]!.nodeId).toBe('block1');
  });

  it('refuses a missing subgraph, a subgraph that contains itself and GroupInput at the top level', () => {
    const missing = residualDocument();
    missing.nodes[2]!.params = { subgraph: 'nope' };
    expect(messages(missing)).toContain(
      "node block1 (Group): there is no subgraph 'nope'; subgraphs: residual",
    );
    const recursive = residualDocument();
    recursive.subgraphs![0]!.nodes.push(node('again', 'Group', { subgraph: 'residual' }));
    recursive.subgraphs![0]!.edges.push(edge('i6', 'in', 'output', 'again', 'x'));
    expect(messages(recursive)[0]).toContain(
      "subgraph 'residual' contains itself (residual → residual); a group cannot run its own subgraph",
    );
    const stray = residualDocument();
    stray.nodes.push(node('loose', 'GroupInput', { name: 'x' }));
    expect(messages(stray)).toEqual([
      'node loose (GroupInput): GroupInput belongs inside a subgraph; at the top level use a Dataset node',
    ]);
  });

  it('finds structural problems inside subgraphs when parsing', () => {
    const doc = residualDocument() as unknown as { subgraphs: { id: string; edges: unknown[] }[] };
    doc.subgraphs.push({ ...doc.subgraphs[0]!, edges: [edge('x', 'ghost', 'output', 'fc', 'input')] });
    const r = parseDocument(doc);
    expect(r.ok).toBe(false);
    if (!r.ok)
      expect(r.problems.map((p) => p.message)).toEqual([
        "duplicate subgraph id 'residual'",
        "subgraph residual: edge x: source node 'ghost' does not exist",
      ]);
  });
});

describe('slice, split and the added math kinds', () => {
  it('infer Python slice lengths and two-part splits', () => {
    const doc = residualDocument();
    doc.subgraphs = [];
    doc.nodes = [
      node('data', 'Dataset', { name: 'fashion-mnist' }),
      node('crop', 'Slice', { dim: 2, start: 2, end: -2, step: 3 }),
      node('split', 'Split', { dim: 3, size: 10 }),
      node('diff', 'Sub'),
      node('max', 'Max', { dim: 1 }),
    ];
    doc.edges = [
      edge('e1', 'data', 'x', 'crop', 'input'),
      edge('e2', 'crop', 'output', 'split', 'input'),
      edge('e3', 'split', 'first', 'diff', 'a'),
      edge('e4', 'split', 'rest', 'diff', 'b'),
      edge('e5', 'diff', 'output', 'max', 'input'),
    ];
    delete doc.training;
    const a = analyze(doc);
    expect(a.nodes.get('crop')!.outputs).toEqual({ output: ['N', 1, 8, 28] });
    expect(a.nodes.get('split')!.outputs).toEqual({ first: ['N', 1, 8, 10], rest: ['N', 1, 8, 18] });
    expect(a.problems.map((p) => p.message)).toEqual([
      'node diff (Sub): shapes [N,1,8,10] and [N,1,8,18] cannot be broadcast together',
    ]);
    doc.nodes[1]!.params = { dim: 0, start: 1 };
    expect(analyze(doc).problems[0]!.message).toBe(
      'node crop (Slice): Slice cannot cut the batch dim (dim 0); pick a later dim',
    );
  });

  it('accept rectangular kernels, strides and padding for Conv2d and pooling', () => {
    const doc = residualDocument();
    doc.subgraphs = [];
    delete doc.training;
    doc.nodes = [
      node('data', 'Dataset', { name: 'fashion-mnist' }),
      node('conv', 'Conv2d', {
        inChannels: 1,
        outChannels: 4,
        kernelSize: [3, 5],
        stride: [1, 2],
        padding: [1, 0],
      }),
      node('pool', 'MaxPool2d', { kernelSize: [2, 3] }),
    ];
    doc.edges = [edge('e1', 'data', 'x', 'conv', 'input'), edge('e2', 'conv', 'output', 'pool', 'input')];
    const a = analyze(doc);
    expect(a.problems).toEqual([]);
    expect(a.nodes.get('conv')!.outputs.output).toEqual(['N', 4, 28, 12]);
    expect(a.nodes.get('conv')!.paramCount).toBe(4 * 15 + 4);
    expect(a.nodes.get('pool')!.outputs.output).toEqual(['N', 4, 14, 4]);
  });
});
