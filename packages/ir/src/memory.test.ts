// A graph too big to train is refused before anything is allocated, naming the node that needs
// the most and the sizes; a graph within the budget is not.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { analyze, estimateMemory, formatBytes, loadGraph, type GraphDocument } from './index.ts';

const example = (): GraphDocument =>
  JSON.parse(readFileSync(new URL('../../../examples/mlp-blobs.hgrad.json', import.meta.url), 'utf8'));

function widened(width: number): GraphDocument {
  const doc = example();
  for (const n of doc.nodes) {
    if (n.id === 'fc1') n.params.outFeatures = width;
    if (n.id === 'fc2') n.params.inFeatures = width;
  }
  return doc;
}

describe('memory budget', () => {
  it('estimates parameters (with gradients and two optimizer moments) and activations at the batch size', () => {
    const doc = example();
    const analysis = analyze(doc);
    const e = estimateMemory(doc, analysis);
    // 99 parameters × 4 bytes × 4 copies.
    expect(e.parameters).toBe(99 * 4 * 4);
    // Per sample: data x [2] + y [1] + fc1 [16] + act1 [16] + fc2 [3] = 38 values at batch 32, and the
    // scalar loss; 3 copies.
    expect(e.activations).toBe((38 * 32 + 1) * 4 * 3);
    expect(e.total).toBe(e.parameters + e.activations);
  });

  it('refuses a graph above the budget, naming the largest node and the sizes', () => {
    const doc = widened(1_000_000);
    const r = loadGraph(doc, { memoryBudget: 1e8 });
    expect(r.ok).toBe(false);
    const problem = !r.ok ? r.problems.find((p) => p.message.includes('memory budget')) : undefined;
    expect(problem).toMatchObject({ nodeId: 'fc1', path: 'node fc1' });
    expect(problem!.message).toBe(
      'node fc1 (Linear) would need 128.0 MB of activations; training this graph needs about 864.0 MB (parameters with gradients and optimizer state 96.0 MB, activations 768.0 MB), above the memory budget of 100.0 MB',
    );
    expect(loadGraph(doc, { memoryBudget: 1e9 }).ok).toBe(true);
  });

  it('the default budget refuses a layer of 10⁶ × 10⁶ weights (4.0 TB)', () => {
    const doc = widened(1_000_000);
    doc.nodes.find((n) => n.id === 'fc2')!.params.outFeatures = 1_000_000;
    const analysis = analyze(doc);
    const problem = analysis.problems.find((p) => p.message.includes('memory budget'));
    expect(problem?.message).toMatch(
      /^node fc2 \(Linear\) would need 4\.0 TB of weights; .* above the memory budget of 4\.0 GB$/,
    );
  });

  it('formats bytes in powers of 1000', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(3_700_000_000_000)).toBe('3.7 TB');
    expect(formatBytes(1500)).toBe('1.5 kB');
  });
});
