// Two whole-graph edits: grouping selected nodes into a reusable subgraph (crossing edges become
// the group's ports) and automatic layout with dagre (left to right, in data-flow order).
import dagre from '@dagrejs/dagre';
import { CATALOG, type GraphDocument, type GraphEdge, type GraphNode } from '@hgrad/ir';
import { freshNodeId } from './graph-edit.ts';

export function groupNodes(
  doc: GraphDocument,
  nodeIds: ReadonlySet<string>,
  name = 'Block',
): [GraphDocument, string] {
  const inside = doc.nodes.filter((n) => nodeIds.has(n.id));
  if (inside.length === 0) throw new Error('select the nodes to group first');
  const refused = inside.find((n) => ['data', 'loss'].includes(CATALOG.get(n.kind)?.category ?? ''));
  if (refused)
    throw new Error(
      `${refused.id} (${refused.kind}) cannot go inside a group; leave data and loss nodes outside`,
    );
  const taken = new Set((doc.subgraphs ?? []).map((s) => s.id));
  let subgraphId = 'block1';
  for (let i = 1; taken.has(subgraphId); i++) subgraphId = `block${i}`;
  const groupId = freshNodeId(doc, 'Group');
  const minX = Math.min(...inside.map((n) => n.position.x));
  const minY = Math.min(...inside.map((n) => n.position.y));

  const innerNodes: GraphNode[] = inside.map((n) => ({
    ...n,
    position: { x: n.position.x - minX + 220, y: n.position.y - minY },
  }));
  const innerEdges: GraphEdge[] = [];
  const outerEdges: GraphEdge[] = [];
  const inputs = new Map<string, string>(); // "node.port" outside → GroupInput port name
  const outputs = new Map<string, string>(); // "node.port" inside → GroupOutput port name
  let edgeCount = 0;
  const edgeId = (prefix: string) => `${prefix}${++edgeCount}`;
  for (const e of doc.edges) {
    const fromIn = nodeIds.has(e.source.node);
    const toIn = nodeIds.has(e.target.node);
    if (fromIn && toIn) innerEdges.push(e);
    else if (!fromIn && toIn) {
      const key = `${e.source.node}.${e.source.port}`;
      let port = inputs.get(key);
      if (!port) {
        port = inputs.size === 0 ? 'x' : `x${inputs.size + 1}`;
        inputs.set(key, port);
        innerNodes.push({
          id: `in_${port}`,
          kind: 'GroupInput',
          params: { name: port },
          position: { x: 0, y: 80 * inputs.size },
        });
        outerEdges.push({ id: edgeId(`${groupId}_in`), source: e.source, target: { node: groupId, port } });
      }
      innerEdges.push({ id: edgeId('i'), source: { node: `in_${port}`, port: 'output' }, target: e.target });
    } else if (fromIn && !toIn) {
      const key = `${e.source.node}.${e.source.port}`;
      let port = outputs.get(key);
      if (!port) {
        port = outputs.size === 0 ? 'output' : `output${outputs.size + 1}`;
        outputs.set(key, port);
        const maxX = Math.max(...innerNodes.map((n) => n.position.x));
        innerNodes.push({
          id: `out_${port}`,
          kind: 'GroupOutput',
          params: { name: port },
          position: { x: maxX + 220, y: 80 * outputs.size },
        });
        innerEdges.push({
          id: edgeId('i'),
          source: e.source,
          target: { node: `out_${port}`, port: 'input' },
        });
      }
      outerEdges.push({ id: edgeId(`${groupId}_out`), source: { node: groupId, port }, target: e.target });
    } else outerEdges.push(e);
  }
  const group: GraphNode = {
    id: groupId,
    kind: 'Group',
    params: { subgraph: subgraphId },
    position: { x: minX, y: minY },
  };
  return [
    {
      ...doc,
      nodes: [...doc.nodes.filter((n) => !nodeIds.has(n.id)), group],
      edges: outerEdges,
      subgraphs: [...(doc.subgraphs ?? []), { id: subgraphId, name, nodes: innerNodes, edges: innerEdges }],
    },
    groupId,
  ];
}

const NODE_WIDTH = 190;
const NODE_HEIGHT = 84;

/**
 * Positions every node by data flow (dagre's layered layout), left to right or top to bottom
 * (the document's direction unless one is given, which the document then keeps). The gaps leave
 * room for the shape labels on the edges.
 */
export function autoLayout(doc: GraphDocument, direction = doc.layout ?? 'LR'): GraphDocument {
  const g = new dagre.graphlib.Graph();
  g.setGraph(
    direction === 'LR'
      ? { rankdir: 'LR', nodesep: 40, ranksep: 80, marginx: 20, marginy: 20 }
      : { rankdir: 'TB', nodesep: 50, ranksep: 60, marginx: 20, marginy: 20 },
  );
  g.setDefaultEdgeLabel(() => ({}));
  for (const n of doc.nodes) g.setNode(n.id, { width: NODE_WIDTH, height: NODE_HEIGHT });
  for (const e of doc.edges) g.setEdge(e.source.node, e.target.node);
  dagre.layout(g);
  return {
    ...doc,
    ...(direction === 'TB' || doc.layout ? { layout: direction } : {}),
    nodes: doc.nodes.map((n) => {
      const p = g.node(n.id);
      return {
        ...n,
        position: { x: Math.round(p.x - NODE_WIDTH / 2), y: Math.round(p.y - NODE_HEIGHT / 2) },
      };
    }),
  };
}

/** Replaces a Group node by the nodes of its subgraph, reconnected where the group's ports were. */
export function ungroupNode(doc: GraphDocument, groupId: string): GraphDocument {
  const group = doc.nodes.find((n) => n.id === groupId && n.kind === 'Group');
  const sub = group && doc.subgraphs?.find((s) => s.id === group.params.subgraph);
  if (!group || !sub) throw new Error(`${groupId} is not a group with a subgraph`);
  const taken = new Set(doc.nodes.map((n) => n.id));
  const ids = new Map<string, string>();
  for (const n of sub.nodes) {
    if (n.kind === 'GroupInput' || n.kind === 'GroupOutput') continue;
    let id = n.id;
    for (let i = 2; taken.has(id); i++) id = `${groupId}_${n.id}${i === 2 ? '' : i}`;
    taken.add(id);
    ids.set(n.id, id);
  }
  const portOf = (nodeId: string) => sub.nodes.find((n) => n.id === nodeId)!;
  const inner = sub.nodes.filter((n) => ids.has(n.id));
  const minX = Math.min(...inner.map((n) => n.position.x));
  const minY = Math.min(...inner.map((n) => n.position.y));
  const nodes = [
    ...doc.nodes.filter((n) => n.id !== groupId),
    ...inner.map((n) => ({
      ...n,
      id: ids.get(n.id)!,
      params: structuredClone(n.params),
      position: { x: group.position.x + n.position.x - minX, y: group.position.y + n.position.y - minY },
    })),
  ];
  const edges: GraphEdge[] = doc.edges.filter((e) => e.source.node !== groupId && e.target.node !== groupId);
  let count = 0;
  const edgeId = () => {
    let id: string;
    do id = `${groupId}_e${++count}`;
    while (edges.some((e) => e.id === id) || doc.edges.some((e) => e.id === id));
    return id;
  };
  for (const e of sub.edges) {
    const from = portOf(e.source.node);
    const to = portOf(e.target.node);
    // What feeds the group's input port feeds the inner nodes behind that GroupInput.
    const sources =
      from.kind === 'GroupInput'
        ? doc.edges
            .filter((o) => o.target.node === groupId && o.target.port === from.params.name)
            .map((o) => o.source)
        : [{ node: ids.get(from.id)!, port: e.source.port }];
    const targets =
      to.kind === 'GroupOutput'
        ? doc.edges
            .filter((o) => o.source.node === groupId && o.source.port === to.params.name)
            .map((o) => o.target)
        : [{ node: ids.get(to.id)!, port: e.target.port }];
    for (const source of sources) for (const target of targets) edges.push({ id: edgeId(), source, target });
  }
  const stillUsed = nodes.some((n) => n.kind === 'Group' && n.params.subgraph === sub.id);
  const subgraphs = stillUsed ? doc.subgraphs : doc.subgraphs!.filter((s) => s.id !== sub.id);
  const next: GraphDocument = { ...doc, nodes, edges };
  if (subgraphs && subgraphs.length) next.subgraphs = subgraphs;
  else delete next.subgraphs;
  return next;
}
