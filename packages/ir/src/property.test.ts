// Property tests: random valid graphs and corrupted documents never make parse or analyze
// throw; each gives either a valid model or a list of problems.
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { analyze, parseDocument, type GraphDocument } from './index.ts';
import { residualDocument } from './residual.fixture.ts';

const example: GraphDocument = JSON.parse(
  readFileSync(new URL('../../../examples/mlp-blobs.hgrad.json', import.meta.url), 'utf8'),
);

function check(input: unknown): void {
  const r = parseDocument(input);
  if (!r.ok) {
    expect(r.problems.length).toBeGreaterThan(0);
    for (const p of r.problems) expect(typeof p.message).toBe('string');
    return;
  }
  const a = analyze(r.document);
  for (const p of a.problems) expect(p.message.length).toBeGreaterThan(0);
  if (a.problems.length === 0) expect(a.order.length).toBe(r.document.nodes.length);
}

/** A random chain of Linear/activation layers of consistent widths between a dataset and a loss. */
const validChain = fc
  .array(
    fc.tuple(fc.constantFrom('Linear', 'ReLU', 'Tanh', 'GELU', 'Dropout'), fc.integer({ min: 1, max: 64 })),
    { maxLength: 8 },
  )
  .map((layers) => {
    const nodes: GraphDocument['nodes'] = [
      { id: 'data', kind: 'Dataset', params: { name: 'blobs' }, position: { x: 0, y: 0 } },
    ];
    const edges: GraphDocument['edges'] = [];
    let prev = { node: 'data', port: 'x' };
    let width = 2;
    layers.forEach(([kind, out], i) => {
      const id = `n${i}`;
      const params = kind === 'Linear' ? { inFeatures: width, outFeatures: out } : {};
      if (kind === 'Linear') width = out;
      nodes.push({ id, kind, params, position: { x: 100 * (i + 1), y: 0 } });
      edges.push({ id: `e${i}`, source: prev, target: { node: id, port: 'input' } });
      prev = { node: id, port: 'output' };
    });
    nodes.push({
      id: 'head',
      kind: 'Linear',
      params: { inFeatures: width, outFeatures: 3 },
      position: { x: 0, y: 100 },
    });
    nodes.push({ id: 'loss', kind: 'CrossEntropyLoss', params: {}, position: { x: 0, y: 200 } });
    edges.push({ id: 'eh', source: prev, target: { node: 'head', port: 'input' } });
    edges.push({
      id: 'el',
      source: { node: 'head', port: 'output' },
      target: { node: 'loss', port: 'input' },
    });
    edges.push({ id: 'ey', source: { node: 'data', port: 'y' }, target: { node: 'loss', port: 'target' } });
    return { ...example, nodes, edges };
  });

/** Replaces the value at a random path of the example with an arbitrary JSON value. */
function corrupt(doc: unknown, path: number[], value: unknown): unknown {
  const copy = structuredClone(doc) as Record<string, unknown>;
  let node: Record<string, unknown> = copy;
  for (const step of path) {
    const keys = Object.keys(node);
    if (keys.length === 0) break;
    const key = keys[step % keys.length]!;
    const next = node[key];
    if (typeof next !== 'object' || next === null || step % 5 === 0) {
      node[key] = value;
      return copy;
    }
    node = next as Record<string, unknown>;
  }
  return copy;
}

describe('IR properties', () => {
  it('random valid chains analyze without problems', () => {
    fc.assert(
      fc.property(validChain, (doc) => {
        const r = parseDocument(doc);
        expect(r.ok).toBe(true);
        if (r.ok) expect(analyze(r.document).problems).toEqual([]);
      }),
      { numRuns: 200 },
    );
  });

  it('corrupted documents give problems, never exceptions', () => {
    fc.assert(
      fc.property(fc.array(fc.nat(20), { maxLength: 6 }), fc.jsonValue(), (path, value) =>
        check(corrupt(example, path, value)),
      ),
      { numRuns: 500 },
    );
  });

  it('corrupted documents with subgraphs give problems, never exceptions', () => {
    const grouped = residualDocument();
    fc.assert(
      fc.property(fc.array(fc.nat(20), { maxLength: 8 }), fc.jsonValue(), (path, value) =>
        check(corrupt(grouped, path, value)),
      ),
      { numRuns: 500 },
    );
    // Groups that point at each other, at nothing, or nest deeply.
    const subgraphIds = fc.constantFrom('a', 'b', 'c', 'residual', 'missing');
    fc.assert(
      fc.property(fc.array(fc.tuple(subgraphIds, subgraphIds), { maxLength: 6 }), (links) => {
        const doc = structuredClone(grouped);
        for (const [from, to] of links) {
          let sub = doc.subgraphs!.find((s) => s.id === from);
          if (!sub) doc.subgraphs!.push((sub = { ...structuredClone(doc.subgraphs![0]!), id: from }));
          sub.nodes.push({
            id: `g${sub.nodes.length}`,
            kind: 'Group',
            params: { subgraph: to },
            position: { x: 0, y: 0 },
          });
          sub.edges.push({
            id: `l${sub.edges.length}`,
            source: { node: 'in', port: 'output' },
            target: { node: `g${sub.nodes.length - 1}`, port: 'x' },
          });
        }
        check(doc);
      }),
      { numRuns: 300 },
    );
  });

  it('random edges (dangling, duplicate, cyclic) give problems, never exceptions', () => {
    const ids = ['data', 'fc1', 'act1', 'fc2', 'loss', 'ghost'];
    const ports = ['x', 'y', 'input', 'output', 'target', 'nope'];
    const edge = fc.record({
      id: fc.string({ minLength: 1, maxLength: 4 }).map((s) => `e${s.replace(/[^A-Za-z0-9]/g, 'x')}`),
      source: fc.record({ node: fc.constantFrom(...ids), port: fc.constantFrom(...ports) }),
      target: fc.record({ node: fc.constantFrom(...ids), port: fc.constantFrom(...ports) }),
    });
    fc.assert(
      fc.property(fc.array(edge, { maxLength: 12 }), (edges) => check({ ...example, edges })),
      { numRuns: 500 },
    );
  });

  it('arbitrary JSON, huge numbers and deep nesting give problems, never exceptions', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => check(value)),
      { numRuns: 300 },
    );
    check(
      JSON.stringify({
        ...example,
        nodes: [{ ...example.nodes[1], params: { inFeatures: 1e308, outFeatures: 2 } }],
      }),
    );
    let deep: unknown = 1;
    for (let i = 0; i < 5000; i++) deep = [deep];
    check({ ...example, metadata: { name: 'x', description: deep } });
    check('['.repeat(100000));
  });
});
