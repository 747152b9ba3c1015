// The ports of a node. Most kinds have fixed ports in the catalog; a Group node's ports are the
// GroupInput and GroupOutput nodes of the subgraph it runs, in the subgraph's node order.
import type { NodeKind, PortSpec } from './catalog/index.ts';
import type { GraphDocument, GraphNode, Subgraph } from './schema.ts';

export interface NodePorts {
  inputs: PortSpec[];
  outputs: PortSpec[];
}

const portOf = (n: GraphNode, doc: string): PortSpec | null =>
  typeof n.params.name === 'string' ? { name: n.params.name, dtype: 'any', doc } : null;

export function subgraphPorts(sub: Subgraph): NodePorts {
  const pick = (kind: string, doc: string) =>
    sub.nodes.filter((n) => n.kind === kind).flatMap((n) => portOf(n, doc) ?? []);
  return {
    inputs: pick('GroupInput', `Input of subgraph ${sub.name || sub.id}`),
    outputs: pick('GroupOutput', `Output of subgraph ${sub.name || sub.id}`),
  };
}

export function findSubgraph(doc: Pick<GraphDocument, 'subgraphs'>, id: unknown): Subgraph | undefined {
  return doc.subgraphs?.find((s) => s.id === id);
}

/** Ports of a node of the given kind; for a Group, those of its subgraph (none if it is missing). */
export function nodePorts(
  doc: Pick<GraphDocument, 'subgraphs'>,
  node: Pick<GraphNode, 'kind' | 'params'>,
  kind: NodeKind,
): NodePorts {
  if (kind.kind !== 'Group') return { inputs: kind.inputs, outputs: kind.outputs };
  const sub = findSubgraph(doc, node.params.subgraph);
  return sub ? subgraphPorts(sub) : { inputs: [], outputs: [] };
}

/** The graph's Dataset node (a trainable graph has exactly one; analysis reports otherwise). */
export const datasetNodeOf = (doc: Pick<GraphDocument, 'nodes'>): GraphNode | undefined =>
  doc.nodes.find((n) => n.kind === 'Dataset');
