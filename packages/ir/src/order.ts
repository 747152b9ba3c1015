// Topological order of a graph's nodes; a cycle is reported as a problem naming its nodes.
import type { Problem } from './parse.ts';
import type { GraphNode } from './schema.ts';

/** Kahn's algorithm; whatever cannot be ordered sits on (or after) a cycle, which is reported. */
export function topologicalOrder(
  graphNodes: GraphNode[],
  incoming: Map<string, Map<string, unknown>>,
  successors: Map<string, string[]>,
  problems: Problem[],
): string[] {
  const indegree = new Map(graphNodes.map((n) => [n.id, incoming.get(n.id)?.size ?? 0]));
  const order: string[] = [];
  const ready = graphNodes.filter((n) => indegree.get(n.id) === 0).map((n) => n.id);
  while (ready.length) {
    const id = ready.shift()!;
    order.push(id);
    for (const next of successors.get(id)!) {
      indegree.set(next, indegree.get(next)! - 1);
      if (indegree.get(next) === 0) ready.push(next);
    }
  }
  // Peel off the nodes that only lead out of a cycle; what is left lies on one.
  const placed = new Set(order);
  const cyclicSet = new Set(graphNodes.filter((n) => !placed.has(n.id)).map((n) => n.id));
  for (let changed = true; changed;) {
    changed = false;
    for (const id of cyclicSet)
      if (!successors.get(id)!.some((next) => cyclicSet.has(next))) {
        cyclicSet.delete(id);
        changed = true;
      }
  }
  const cyclic = [...cyclicSet];
  if (cyclic.length)
    problems.push({
      path: `node ${cyclic[0]}`,
      nodeId: cyclic[0],
      message: `the graph has a cycle through nodes ${cyclic.join(', ')}; remove one of their connections (recurrent layers keep their loop inside)`,
    });
  return order;
}
