// Shapes through Group nodes: the subgraph is analysed with the shapes reaching the group's
// ports (GroupInput nodes read them); what reaches its GroupOutput nodes becomes the group's
// outputs, and its problems are reported against the group and the inner node.
import { CATALOG, ShapeError, type CatalogKind, type PortDtype, type SymShape } from './catalog/index.ts';
import type { Analysis, NodeInfo, Scope } from './analysis-types.ts';
import type { GraphEdge, GraphNode } from './schema.ts';
import type { Problem } from './parse.ts';
import { findSubgraph, type NodePorts } from './ports.ts';

const MAX_GROUP_DEPTH = 16;
/**
 * Each Group instance is analysed (and later compiled) as a copy of its subgraph, so groups that
 * instantiate groups multiply: 10 levels fanned out 8 ways are 8¹⁰ copies. Past this many nodes
 * in all, analysis stops and says so, in time linear in this bound.
 */
export const MAX_EXPANDED_NODES = 100_000;

export function inferGroupInput(
  p: Record<string, unknown>,
  scope: Scope,
  kind: CatalogKind,
  ports: NodePorts,
): NodeInfo {
  const fed = scope.groupInputs?.get(p.name as string);
  if (!scope.groupInputs) return kind.infer({}, p) as never; // throws: GroupInput outside a subgraph
  if (!fed) throw new ShapeError(`nothing reaches input '${String(p.name)}'`);
  return {
    kind,
    params: p,
    ports,
    outputs: { output: fed.shape },
    dtypes: { output: fed.dtype },
    paramCount: 0,
    flops: 0,
  };
}

export function inferGroup(
  id: string,
  p: Record<string, unknown>,
  ports: NodePorts,
  inputs: Record<string, SymShape>,
  inputDtypes: Record<string, PortDtype>,
  scope: Scope,
  problems: Problem[],
  /** analyze.ts's analyzeGraph, passed in so that the two modules do not import each other. */
  analyzeGraph: (nodes: GraphNode[], edges: GraphEdge[], scope: Scope) => Analysis,
): NodeInfo | null {
  const sub = findSubgraph(scope.doc, p.subgraph);
  if (!sub) return null; // reported with the params
  if (scope.stack.includes(sub.id) || scope.stack.length >= MAX_GROUP_DEPTH)
    throw new ShapeError(
      scope.stack.includes(sub.id)
        ? `subgraph '${sub.id}' contains itself (${[...scope.stack, sub.id].join(' → ')}); a group cannot run its own subgraph`
        : `groups are nested more than ${MAX_GROUP_DEPTH} deep`,
    );
  scope.expanded.count += sub.nodes.length;
  if (scope.expanded.count > MAX_EXPANDED_NODES)
    throw new ShapeError(
      `the groups expand to more than ${MAX_EXPANDED_NODES.toLocaleString('en')} nodes (each Group instance is a copy of its subgraph '${sub.id}', and groups inside groups multiply); use fewer or smaller nested groups`,
    );
  const names = ports.inputs.map((q) => q.name).concat(ports.outputs.map((q) => `out:${q.name}`));
  const dup = names.find((n, i) => names.indexOf(n) !== i);
  if (dup) throw new ShapeError(`subgraph '${sub.id}' has two ports named '${dup.replace(/^out:/, '')}'`);
  const groupInputs = new Map(
    ports.inputs.map((q) => [q.name, { shape: inputs[q.name]!, dtype: inputDtypes[q.name] ?? 'float' }]),
  );
  const inner = analyzeGraph(sub.nodes, sub.edges, {
    doc: scope.doc,
    groupInputs,
    stack: [...scope.stack, sub.id],
    expanded: scope.expanded,
  });
  for (const problem of inner.problems)
    problems.push({
      path: `node ${id} > ${problem.path}`,
      nodeId: id,
      message: `node ${id} (Group '${sub.name || sub.id}'): ${problem.message}`,
    });
  if (inner.problems.length) return null;
  const outputs: Record<string, SymShape> = {};
  const dtypes: Record<string, PortDtype> = {};
  for (const edge of sub.edges) {
    const target = sub.nodes.find((n) => n.id === edge.target.node);
    if (target?.kind !== 'GroupOutput') continue;
    const from = inner.nodes.get(edge.source.node)!;
    outputs[target.params.name as string] = from.outputs[edge.source.port]!;
    dtypes[target.params.name as string] = from.dtypes[edge.source.port]!;
  }
  return {
    kind: CATALOG.get('Group')!,
    params: p,
    ports,
    outputs,
    dtypes,
    paramCount: inner.totalParams,
    flops: inner.totalFlops,
    inner,
  };
}
