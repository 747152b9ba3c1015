// loadGraph is the one way from bytes to a checked graph: every problem at once, with its path;
// the Dataset node is the one place a document names its data, and its options are checked
// against that dataset.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkGraph, datasetOptions, KINDS, loadGraph, type GraphDocument } from './index.ts';

const text = readFileSync(new URL('../../../examples/mlp-blobs.hgrad.json', import.meta.url), 'utf8');
const example = (): GraphDocument => JSON.parse(text) as GraphDocument;

describe('loadGraph', () => {
  it('gives a checked graph: the document, its analysis and no notes for a current file', () => {
    const r = loadGraph(text);
    if (!r.ok) throw new Error(JSON.stringify(r.problems));
    expect(r.graph.document.metadata.name).toBe('MLP on blobs');
    expect(r.graph.analysis.totalParams).toBe(99);
    expect(r.graph.notes).toEqual([]);
  });

  it('returns structural and meaning problems instead of a graph', () => {
    expect(loadGraph('{')).toMatchObject({ ok: false, problems: [{ path: '' }] });
    const doc = example();
    doc.nodes[1]!.params = { inFeatures: 2, outFeatures: 0 };
    const r = loadGraph(doc);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.problems[0]!.path).toBe('node fc1.params.outFeatures');
  });

  it('checks each dataset option against the dataset, and fills in its defaults', () => {
    const doc = example();
    doc.nodes[0]!.params = { name: 'blobs', samples: 100, seqLen: 8 };
    const r = checkGraph(doc);
    expect(r.ok).toBe(false);
    if (!r.ok)
      expect(r.problems.map((p) => p.message)).toEqual([
        "node data (Dataset), param seqLen: dataset 'blobs' has no option 'seqLen' (it takes samples, classes)",
      ]);
    expect(datasetOptions({ name: 'genesis', samples: 10 })).toEqual({ samples: 10, seqLen: 32 });
    expect(datasetOptions({ name: 'moons' })).toEqual({ samples: 600, noise: 0.1 });
  });

  it('needs exactly one Dataset node to train', () => {
    const none = example();
    none.nodes = none.nodes.filter((n) => n.kind !== 'Dataset');
    none.edges = none.edges.filter((e) => e.source.node !== 'data');
    const r = checkGraph(none);
    expect(
      !r.ok && r.problems.some((p) => p.message.startsWith('training needs data: add a Dataset node')),
    ).toBe(true);
    const two = example();
    two.nodes.push({ ...two.nodes[0]!, id: 'data2' });
    const r2 = checkGraph(two);
    expect(!r2.ok && r2.problems.map((p) => p.message)).toContain(
      'node data2: a graph trains on one dataset, but data is a Dataset node too; remove one',
    );
  });

  it('refuses optimizer and schedule options the chosen kind does not take', () => {
    const doc = example();
    doc.training!.optimizer = { kind: 'sgd', lr: 0.1, params: { betas: [0.9, 0.99] } as never };
    const r = loadGraph(doc);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.problems[0]!.path).toBe('training.optimizer.params');
  });

  it('every catalog key is its kind’s own name, with a backward rule', () => {
    for (const [name, kind] of Object.entries(KINDS)) {
      expect(kind.kind).toBe(name);
      expect(kind.backwardRule.length, name).toBeGreaterThan(10);
    }
  });
});
