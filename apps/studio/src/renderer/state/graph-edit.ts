// Pure edits of a graph document: each takes a document and returns a new one (or a reason
// why the edit is refused). The store wraps them into named undo steps; tests call them directly.
import {
  analyze,
  CATALOG,
  initialParams,
  nodePorts,
  type Analysis,
  type GraphDocument,
  type GraphEdge,
  type GraphNode,
  type SymShape,
} from '@hgrad/ir';

export interface PortEnd {
  node: string;
  port: string;
}

/** A fresh id for a node of this kind: "linear1", "linear2", … */
export function freshNodeId(doc: GraphDocument, kind: string): string {
  const base = kind.replace(/[^A-Za-z0-9]/g, '').toLowerCase() || 'node';
  const taken = new Set(doc.nodes.map((n) => n.id));
  for (let i = 1; ; i++) if (!taken.has(`${base}${i}`)) return `${base}${i}`;
}

function freshEdgeId(doc: GraphDocument): string {
  const taken = new Set(doc.edges.map((e) => e.id));
  for (let i = doc.edges.length + 1; ; i++) if (!taken.has(`e${i}`)) return `e${i}`;
}

export function addNode(
  doc: GraphDocument,
  kind: string,
  position: { x: number; y: number },
): [GraphDocument, string] {
  const spec = CATALOG.get(kind);
  if (!spec) throw new Error(`unknown node kind '${kind}'`);
  const id = freshNodeId(doc, kind);
  const params = initialParams(spec);
  if (kind === 'Group' && doc.subgraphs?.[0]) params.subgraph = doc.subgraphs[0].id;
  const node: GraphNode = {
    id,
    kind,
    params,
    position: { x: Math.round(position.x), y: Math.round(position.y) },
  };
  return [{ ...doc, nodes: [...doc.nodes, node] }, id];
}

const dimOf = (shape: SymShape, dim: 'last' | 1) => (dim === 'last' ? shape.at(-1) : shape[1]);

/** Why a connection cannot be made, or null when it can. */
export function connectionRefusal(
  doc: GraphDocument,
  source: PortEnd,
  target: PortEnd,
  analysis?: Analysis,
): string | null {
  if (source.node === target.node) return 'a node cannot feed itself';
  const sourceNode = doc.nodes.find((n) => n.id === source.node);
  const targetNode = doc.nodes.find((n) => n.id === target.node);
  const sourceKind = sourceNode && CATALOG.get(sourceNode.kind);
  const targetKind = targetNode && CATALOG.get(targetNode.kind);
  if (!sourceNode || !targetNode || !sourceKind || !targetKind) return 'one of the nodes no longer exists';
  const out = nodePorts(doc, sourceNode, sourceKind).outputs.find((p) => p.name === source.port);
  const into = nodePorts(doc, targetNode, targetKind).inputs.find((p) => p.name === target.port);
  if (!out) return `${sourceNode.id} (${sourceKind.kind}) has no output '${source.port}'`;
  if (!into) return `${targetNode.id} (${targetKind.kind}) has no input '${target.port}'`;
  const existing = doc.edges.find((e) => e.target.node === target.node && e.target.port === target.port);
  if (existing)
    return `input '${target.port}' of ${target.node} is already fed by ${existing.source.node}; delete that connection first`;
  // A path from the target back to the source would close a loop.
  const next = new Map<string, string[]>();
  for (const e of doc.edges) next.set(e.source.node, [...(next.get(e.source.node) ?? []), e.target.node]);
  const stack = [target.node];
  const seen = new Set<string>();
  while (stack.length) {
    const id = stack.pop()!;
    if (id === source.node)
      return `connecting ${source.node} → ${target.node} would make a cycle (recurrent layers keep their loop inside)`;
    if (seen.has(id)) continue;
    seen.add(id);
    stack.push(...(next.get(id) ?? []));
  }
  const dtype =
    (analysis ?? analyze(doc, { requireLoss: false })).nodes.get(source.node)?.dtypes[source.port] ??
    out.dtype;
  if (dtype !== 'any' && into.dtype !== 'any' && dtype !== into.dtype)
    return `${targetKind.kind}.${target.port} expects ${into.dtype === 'int' ? 'integer (class or token) values' : 'float values'}, but ${source.node}.${source.port} gives ${dtype === 'int' ? 'integers' : 'floats'}`;
  return null;
}

/** Connects two ports; params that follow the input's size (Linear.inFeatures, …) are set from its shape. */
export function connect(doc: GraphDocument, source: PortEnd, target: PortEnd): GraphDocument {
  const refusal = connectionRefusal(doc, source, target);
  if (refusal) throw new Error(refusal);
  const edge: GraphEdge = { id: freshEdgeId(doc), source, target };
  let next: GraphDocument = { ...doc, edges: [...doc.edges, edge] };
  const targetNode = doc.nodes.find((n) => n.id === target.node)!;
  // Params that follow the input's shape (Linear.inFeatures, …) are filled in, as ENNUI does.
  const follows = CATALOG.get(targetNode.kind)?.followsInput;
  const shape = analyze(doc, { requireLoss: false }).nodes.get(source.node)?.outputs[source.port];
  const size = follows && shape ? dimOf(shape, follows.dim) : undefined;
  if (follows && typeof size === 'number' && target.port === 'input')
    next = setParam(next, target.node, follows.param, size);
  return next;
}

/**
 * After `from` changed a size: every downstream param that follows its input's size
 * (Linear.inFeatures, Conv2d.inChannels, BatchNorm.numFeatures, …) takes the new size, in the
 * same edit, as connecting does. Values that already fit are left alone.
 */
export function followSizes(doc: GraphDocument, from: string): GraphDocument {
  let next = doc;
  let analysis = analyze(next, { requireLoss: false });
  const queue = [from];
  const seen = new Set<string>();
  while (queue.length) {
    const id = queue.shift()!;
    if (seen.has(id)) continue;
    seen.add(id);
    for (const e of next.edges.filter((edge) => edge.source.node === id)) {
      const target = next.nodes.find((n) => n.id === e.target.node);
      const follows = target && CATALOG.get(target.kind)?.followsInput;
      const shape = analysis.nodes.get(id)?.outputs[e.source.port];
      const size = follows && shape && e.target.port === 'input' ? dimOf(shape, follows.dim) : undefined;
      if (target && follows && typeof size === 'number' && target.params[follows.param] !== size) {
        next = setParam(next, target.id, follows.param, size);
        analysis = analyze(next, { requireLoss: false });
      }
      queue.push(e.target.node);
    }
  }
  return next;
}

/** Replaces all of a node's params. */
export function replaceParams(
  doc: GraphDocument,
  nodeId: string,
  params: Record<string, unknown>,
): GraphDocument {
  return { ...doc, nodes: doc.nodes.map((n) => (n.id === nodeId ? { ...n, params: { ...params } } : n)) };
}

export function setParam(doc: GraphDocument, nodeId: string, param: string, value: unknown): GraphDocument {
  return {
    ...doc,
    nodes: doc.nodes.map((n) => {
      if (n.id !== nodeId) return n;
      const params = { ...n.params };
      if (value === undefined) delete params[param];
      else params[param] = value;
      return { ...n, params };
    }),
  };
}

export function removeItems(
  doc: GraphDocument,
  nodeIds: ReadonlySet<string>,
  edgeIds: ReadonlySet<string>,
): GraphDocument {
  return {
    ...doc,
    nodes: doc.nodes.filter((n) => !nodeIds.has(n.id)),
    edges: doc.edges.filter(
      (e) => !edgeIds.has(e.id) && !nodeIds.has(e.source.node) && !nodeIds.has(e.target.node),
    ),
  };
}

export function moveNodes(
  doc: GraphDocument,
  positions: ReadonlyMap<string, { x: number; y: number }>,
): GraphDocument {
  return {
    ...doc,
    nodes: doc.nodes.map((n) => {
      const p = positions.get(n.id);
      return p ? { ...n, position: { x: Math.round(p.x), y: Math.round(p.y) } } : n;
    }),
  };
}

/** What copy puts on the clipboard: the nodes and the edges between them. */
export interface Clipboard {
  nodes: GraphNode[];
  edges: GraphEdge[];
}

export function copyNodes(doc: GraphDocument, nodeIds: ReadonlySet<string>): Clipboard {
  return {
    nodes: doc.nodes.filter((n) => nodeIds.has(n.id)),
    edges: doc.edges.filter((e) => nodeIds.has(e.source.node) && nodeIds.has(e.target.node)),
  };
}

/** Pastes with fresh ids, offset so the copies do not hide the originals; returns the new ids. */
export function paste(
  doc: GraphDocument,
  clip: Clipboard,
  offset = { x: 40, y: 40 },
): [GraphDocument, string[]] {
  let next = doc;
  const ids = new Map<string, string>();
  for (const node of clip.nodes) {
    const id = freshNodeId(next, node.kind);
    ids.set(node.id, id);
    next = {
      ...next,
      nodes: [
        ...next.nodes,
        {
          ...node,
          id,
          params: structuredClone(node.params),
          position: { x: node.position.x + offset.x, y: node.position.y + offset.y },
        },
      ],
    };
  }
  for (const edge of clip.edges)
    next = {
      ...next,
      edges: [
        ...next.edges,
        {
          id: freshEdgeId(next),
          source: { node: ids.get(edge.source.node)!, port: edge.source.port },
          target: { node: ids.get(edge.target.node)!, port: edge.target.port },
        },
      ],
    };
  return [next, [...ids.values()]];
}
