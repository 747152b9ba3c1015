// A test document with a reusable subgraph: data → stem → [residual block] ×2 → head → loss.
import { parseDocument, type GraphDocument } from './index.ts';

export const node = (id: string, kind: string, params: Record<string, unknown> = {}) => ({
  id,
  kind,
  params,
  position: { x: 0, y: 0 },
});
export const edge = (id: string, s: string, sp: string, t: string, tp: string) => ({
  id,
  source: { node: s, port: sp },
  target: { node: t, port: tp },
});

/** x → [residual block] → [residual block] → Linear → loss, the block defined once. */
export function residualDocument(width = 8): GraphDocument {
  const r = parseDocument({
    format: 'hgrad',
    version: 2,
    metadata: { name: 'residual' },
    nodes: [
      node('data', 'Dataset', { name: 'blobs' }),
      node('stem', 'Linear', { inFeatures: 2, outFeatures: width }),
      node('block1', 'Group', { subgraph: 'residual' }),
      node('block2', 'Group', { subgraph: 'residual' }),
      node('head', 'Linear', { inFeatures: width, outFeatures: 3 }),
      node('loss', 'CrossEntropyLoss'),
    ],
    edges: [
      edge('e1', 'data', 'x', 'stem', 'input'),
      edge('e2', 'stem', 'output', 'block1', 'x'),
      edge('e3', 'block1', 'output', 'block2', 'x'),
      edge('e4', 'block2', 'output', 'head', 'input'),
      edge('e5', 'head', 'output', 'loss', 'input'),
      edge('e6', 'data', 'y', 'loss', 'target'),
    ],
    subgraphs: [
      {
        id: 'residual',
        name: 'Residual block',
        nodes: [
          node('in', 'GroupInput', { name: 'x' }),
          node('fc', 'Linear', { inFeatures: width, outFeatures: width }),
          node('act', 'Tanh'),
          node('add', 'Add'),
          node('out', 'GroupOutput', { name: 'output' }),
        ],
        edges: [
          edge('i1', 'in', 'output', 'fc', 'input'),
          edge('i2', 'fc', 'output', 'act', 'input'),
          edge('i3', 'act', 'output', 'add', 'a'),
          edge('i4', 'in', 'output', 'add', 'b'),
          edge('i5', 'add', 'output', 'out', 'input'),
        ],
      },
    ],
  });
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return r.document;
}
