// The studio's pure graph edits: adding nodes with their catalog's initial params, connections
// refused with reasons or made with input-following params, paste with fresh ids, grouping
// into a subgraph that still analyses and compiles, and dagre layout.
import { describe, expect, it } from 'vitest';
import * as hg from '@hgrad/engine';
import {
  analyze,
  checkGraph,
  parseDocument,
  serializeDocument,
  type CheckedGraph,
  type GraphDocument,
} from '@hgrad/ir';
import { compileGraph } from '@hgrad/train';
import {
  addNode,
  connect,
  connectionRefusal,
  copyNodes,
  followSizes,
  paste,
  removeItems,
  setParam,
} from './graph-edit.ts';
import { autoLayout, groupNodes, ungroupNode } from './group-layout.ts';
import exampleText from '../../../../../examples/mlp-blobs.hgrad.json?raw';

function example(): GraphDocument {
  const r = parseDocument(exampleText);
  if (!r.ok) throw new Error('example');
  return r.document;
}

function checked(doc: GraphDocument): CheckedGraph {
  const r = checkGraph(doc);
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return r.graph;
}

describe('graph edits', () => {
  it('add nodes with fresh ids and the catalog initial params', () => {
    const [doc, id] = addNode(example(), 'Linear', { x: 10.4, y: 20.6 });
    expect(id).toBe('linear1');
    expect(doc.nodes.at(-1)).toEqual({
      id: 'linear1',
      kind: 'Linear',
      params: { inFeatures: 2, outFeatures: 16, bias: true },
      position: { x: 10, y: 21 },
    });
    expect(addNode(doc, 'Linear', { x: 0, y: 0 })[1]).toBe('linear2');
    expect(() => addNode(doc, 'Linaer', { x: 0, y: 0 })).toThrow("unknown node kind 'Linaer'");
  });

  it('refuse self-loops, fed inputs, cycles and dtype mismatches with reasons', () => {
    let [doc] = addNode(example(), 'Embedding', { x: 0, y: 0 });
    const refuse = (s: [string, string], t: [string, string]) =>
      connectionRefusal(doc, { node: s[0], port: s[1] }, { node: t[0], port: t[1] });
    expect(refuse(['fc1', 'output'], ['fc1', 'input'])).toBe('a node cannot feed itself');
    expect(refuse(['data', 'x'], ['fc2', 'input'])).toBe(
      "input 'input' of fc2 is already fed by act1; delete that connection first",
    );
    expect(refuse(['fc1', 'output'], ['embedding1', 'input'])).toBe(
      'Embedding.input expects integer (class or token) values, but fc1.output gives floats',
    );
    expect(refuse(['fc1', 'nope'], ['embedding1', 'input'])).toBe("fc1 (Linear) has no output 'nope'");
    [doc] = addNode(doc, 'Add', { x: 0, y: 0 });
    doc = connect(doc, { node: 'fc2', port: 'output' }, { node: 'add1', port: 'a' });
    expect(connectionRefusal(doc, { node: 'add1', port: 'output' }, { node: 'data', port: 'x' })).toBe(
      "data (Dataset) has no input 'x'",
    );
    [doc] = addNode(doc, 'ReLU', { x: 0, y: 0 });
    doc = connect(doc, { node: 'add1', port: 'output' }, { node: 'relu1', port: 'input' });
    expect(connectionRefusal(doc, { node: 'relu1', port: 'output' }, { node: 'add1', port: 'b' })).toBe(
      'connecting relu1 → add1 would make a cycle (recurrent layers keep their loop inside)',
    );
  });

  it('fill params that follow the input size when connecting', () => {
    let [doc] = addNode(example(), 'Linear', { x: 0, y: 0 });
    doc = connect(doc, { node: 'act1', port: 'output' }, { node: 'linear1', port: 'input' });
    expect(doc.nodes.find((n) => n.id === 'linear1')!.params.inFeatures).toBe(16);
    expect(doc.edges.at(-1)).toEqual({
      id: 'e6',
      source: { node: 'act1', port: 'output' },
      target: { node: 'linear1', port: 'input' },
    });
  });

  it('a changed size carries through to the params that follow it, past layers that keep the shape', () => {
    const doc = followSizes(setParam(example(), 'fc1', 'outFeatures', 24), 'fc1');
    expect(doc.nodes.find((n) => n.id === 'fc2')!.params.inFeatures).toBe(24);
    expect(analyze(doc).problems).toEqual([]);
    // Nothing else changes, and an unchanged size is left alone.
    expect(followSizes(doc, 'fc1')).toBe(doc);
  });

  it('copy and paste with fresh ids and the edges between copied nodes; delete removes attached edges', () => {
    const doc = example();
    const [pasted, ids] = paste(doc, copyNodes(doc, new Set(['fc1', 'act1'])));
    expect(ids).toEqual(['linear1', 'relu1']);
    expect(pasted.edges.at(-1)).toMatchObject({ source: { node: 'linear1' }, target: { node: 'relu1' } });
    expect(pasted.nodes.find((n) => n.id === 'linear1')!.position).toEqual({
      x: doc.nodes[1]!.position.x + 40,
      y: doc.nodes[1]!.position.y + 40,
    });
    const removed = removeItems(doc, new Set(['act1']), new Set());
    expect(removed.edges.map((e) => e.id)).toEqual(
      doc.edges.filter((e) => e.source.node !== 'act1' && e.target.node !== 'act1').map((e) => e.id),
    );
  });

  it('group the hidden layers into a subgraph that analyses and trains like the original', () => {
    const doc = example();
    const [grouped, groupId] = groupNodes(doc, new Set(['fc1', 'act1']));
    expect(groupId).toBe('group1');
    expect(grouped.nodes.map((n) => n.id)).toEqual(['data', 'fc2', 'loss', 'group1']);
    const a = analyze(grouped);
    expect(a.problems).toEqual([]);
    expect(a.totalParams).toBe(analyze(doc).totalParams);
    // Same seed, same forward: the grouped model computes the same loss.
    hg.manualSeed(1);
    const plain = compileGraph(checked(doc));
    hg.manualSeed(1);
    const compiled = compileGraph(checked(grouped));
    compiled.loadStateDict(
      new Map([...plain.stateDict()].map(([k, v]) => [k.startsWith('fc1') ? `group1.${k}` : k, v])),
    );
    const { x, y } = hg.data.blobs(10, { seed: 4 });
    expect(compiled.forward({ x, y }).loss!.item()).toBe(plain.forward({ x, y }).loss!.item());
    expect(() => groupNodes(doc, new Set(['data', 'fc1']))).toThrow(
      'data (Dataset) cannot go inside a group; leave data and loss nodes outside',
    );
    // It saves and loads like any document.
    const again = parseDocument(serializeDocument(grouped));
    expect(again.ok).toBe(true);
    // Ungrouping gives back the original graph (same nodes, params and connections).
    const ungrouped = ungroupNode(grouped, 'group1');
    expect(ungrouped.subgraphs).toBeUndefined();
    expect(analyze(ungrouped).problems).toEqual([]);
    const summary = (d: GraphDocument) => ({
      nodes: d.nodes.map((n) => `${n.id}:${n.kind}:${JSON.stringify(n.params)}`).sort(),
      edges: d.edges
        .map((e) => `${e.source.node}.${e.source.port}->${e.target.node}.${e.target.port}`)
        .sort(),
    });
    expect(summary(ungrouped)).toEqual(summary(doc));
  });

  it('lay out left to right in data-flow order', () => {
    const laid = autoLayout(example());
    const x = (id: string) => laid.nodes.find((n) => n.id === id)!.position.x;
    expect(x('data')).toBeLessThan(x('fc1'));
    expect(x('fc1')).toBeLessThan(x('act1'));
    expect(x('act1')).toBeLessThan(x('fc2'));
    expect(x('fc2')).toBeLessThan(x('loss'));
  });
});
