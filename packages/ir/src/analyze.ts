// Meaning checks and shape inference over a structurally valid document: unknown kinds, params,
// ports and connections, cycles, dtypes, a missing loss, then shapes with a symbolic batch dim,
// parameter counts and FLOPs. Every problem is collected; none stops the others. Group nodes are
// analysed by analysing their subgraph with the shapes that reach the group's ports.
import { z } from 'zod';
import {
  CATALOG,
  datasetClasses,
  ShapeError,
  type CatalogKind,
  type DatasetParams,
  type PortDtype,
  type SymShape,
} from './catalog/index.ts';
import type { Problem } from './parse.ts';
import { findSubgraph, nodePorts, type NodePorts } from './ports.ts';
import type { GraphDocument, GraphEdge, GraphNode } from './schema.ts';
import { suggestKind } from './suggest.ts';
import { topologicalOrder } from './order.ts';
import { inferGroup, inferGroupInput } from './group-shapes.ts';
import type { Analysis, NodeInfo, Scope } from './analysis-types.ts';
import { DEFAULT_MEMORY_BUDGET, estimateMemory, memoryProblem } from './memory.ts';

export type { Analysis, NodeInfo, Scope } from './analysis-types.ts';

function checkParams(
  node: GraphNode,
  kind: CatalogKind,
  problems: Problem[],
): Record<string, unknown> | null {
  const shape = kind.params instanceof z.ZodObject ? (kind.params.shape as Record<string, unknown>) : {};
  for (const key of Object.keys(node.params))
    if (!(key in shape))
      problems.push({
        path: `node ${node.id}`,
        nodeId: node.id,
        message: `node ${node.id} (${kind.kind}): unknown param '${key}'; ${kind.kind} takes ${Object.keys(shape).join(', ') || 'no params'}`,
      });
  const parsed = kind.params.safeParse(node.params);
  if (parsed.success) return parsed.data as Record<string, unknown>;
  for (const issue of parsed.error.issues)
    problems.push({
      path: `node ${node.id}.params.${issue.path.join('.')}`,
      nodeId: node.id,
      message: `node ${node.id} (${kind.kind}), param ${issue.path.join('.') || '?'}: ${issue.message}`,
    });
  return null;
}

const dtypeFits = (out: PortDtype, into: PortDtype): boolean =>
  out === 'any' || into === 'any' || out === into;

export interface AnalyzeOptions {
  /** Report a missing loss as a problem (default: when the document has a training section). */
  requireLoss?: boolean;
  /** Bytes that training may take; a graph estimated above it is a problem (default DEFAULT_MEMORY_BUDGET). */
  memoryBudget?: number;
}

export function analyze(
  doc: GraphDocument,
  { requireLoss = doc.training !== undefined, memoryBudget = DEFAULT_MEMORY_BUDGET }: AnalyzeOptions = {},
): Analysis {
  const result = analyzeGraph(doc.nodes, doc.edges, {
    doc,
    groupInputs: null,
    stack: [],
    expanded: { count: 0 },
  });
  // Too big to train is said before anything is allocated, naming the node that needs the most.
  const estimate = estimateMemory(doc, result);
  const big = estimate.largest?.nodeId;
  const tooBig = memoryProblem(
    estimate,
    memoryBudget,
    big && `node ${big} (${result.nodes.get(big)?.kind.kind ?? '?'})`,
  );
  if (tooBig)
    result.problems.push({
      path: estimate.largest ? `node ${estimate.largest.nodeId}` : 'nodes',
      ...(estimate.largest ? { nodeId: estimate.largest.nodeId } : {}),
      message: tooBig,
    });
  const datasets = doc.nodes.filter((n) => n.kind === 'Dataset');
  if (doc.training && datasets.length === 0)
    result.problems.push({
      path: 'nodes',
      message: 'training needs data: add a Dataset node and connect its x and y',
    });
  for (const extra of datasets.slice(1))
    result.problems.push({
      path: `node ${extra.id}`,
      nodeId: extra.id,
      message: `node ${extra.id}: a graph trains on one dataset, but ${datasets[0]!.id} is a Dataset node too; remove one`,
    });
  if (datasets.length === 1) result.problems.push(...classCountProblems(doc, result, datasets[0]!));
  if (requireLoss && ![...doc.nodes].some((n) => CATALOG.get(n.kind)?.category === 'loss'))
    result.problems.push({
      path: 'nodes',
      message:
        'training needs a loss node: add e.g. CrossEntropyLoss and connect the model output and the labels to it',
    });
  return result;
}

export function analyzeGraph(graphNodes: GraphNode[], edges: GraphEdge[], scope: Scope): Analysis {
  const problems: Problem[] = [];
  const byId = new Map(graphNodes.map((n) => [n.id, n]));
  const kinds = new Map<string, CatalogKind>();
  const params = new Map<string, Record<string, unknown>>();
  const ports = new Map<string, NodePorts>();
  for (const node of graphNodes) {
    const kind = CATALOG.get(node.kind);
    if (!kind) {
      problems.push({
        path: `node ${node.id}`,
        nodeId: node.id,
        message: `node ${node.id}: unknown kind '${node.kind}'${suggestKind(node.kind)}`,
      });
      continue;
    }
    kinds.set(node.id, kind);
    const p = checkParams(node, kind, problems);
    if (p) params.set(node.id, p);
    ports.set(node.id, nodePorts(scope.doc, node, kind));
    if (kind.kind === 'Group' && p && !findSubgraph(scope.doc, p.subgraph))
      problems.push({
        path: `node ${node.id}.params.subgraph`,
        nodeId: node.id,
        message: `node ${node.id} (Group): there is no subgraph '${String(p.subgraph)}'${
          scope.doc.subgraphs?.length
            ? `; subgraphs: ${scope.doc.subgraphs.map((s) => s.id).join(', ')}`
            : '; the document defines none'
        }`,
      });
  }

  // Connections: ports must exist, an input takes one edge, no duplicates or self-loops.
  const incoming = new Map<string, Map<string, { node: string; port: string }>>();
  const successors = new Map<string, string[]>(graphNodes.map((n) => [n.id, []]));
  for (const edge of edges) {
    const { source, target } = edge;
    const sk = kinds.get(source.node);
    const tk = kinds.get(target.node);
    if (!byId.has(source.node) || !byId.has(target.node)) continue; // reported by parseDocument
    if (source.node === target.node) {
      problems.push({
        path: `edge ${edge.id}`,
        nodeId: target.node,
        message: `edge ${edge.id}: node ${source.node} is connected to itself`,
      });
      continue;
    }
    const sp = ports.get(source.node);
    const tp = ports.get(target.node);
    const badSource = !!sk && !!sp && !sp.outputs.some((p) => p.name === source.port);
    const badTarget = !!tk && !!tp && !tp.inputs.some((p) => p.name === target.port);
    if (badSource)
      problems.push({
        path: `edge ${edge.id}`,
        nodeId: source.node,
        message: `edge ${edge.id}: ${sk.kind} node ${source.node} has no output port '${source.port}' (outputs: ${sp.outputs.map((p) => p.name).join(', ') || 'none'})`,
      });
    if (badTarget)
      problems.push({
        path: `edge ${edge.id}`,
        nodeId: target.node,
        message: `edge ${edge.id}: ${tk.kind} node ${target.node} has no input port '${target.port}' (inputs: ${tp.inputs.map((p) => p.name).join(', ') || 'none'})`,
      });
    const into = incoming.get(target.node) ?? new Map();
    incoming.set(target.node, into);
    if (into.has(target.port)) {
      problems.push({
        path: `edge ${edge.id}`,
        nodeId: target.node,
        message: `edge ${edge.id}: input '${target.port}' of node ${target.node} is already fed by ${into.get(target.port)!.node}; an input takes one connection`,
      });
      continue;
    }
    into.set(target.port, source);
    successors.get(source.node)!.push(target.node);
  }
  for (const [id, kind] of kinds)
    for (const port of ports.get(id)!.inputs)
      if (!port.optional && !incoming.get(id)?.has(port.name))
        problems.push({
          path: `node ${id}`,
          nodeId: id,
          message: `node ${id} (${kind.kind}): input '${port.name}' is not connected`,
        });

  const order = topologicalOrder(graphNodes, incoming, successors, problems);

  // Shapes, dtypes, parameter counts and FLOPs, in order.
  const nodes = new Map<string, NodeInfo>();
  for (const id of order) {
    const kind = kinds.get(id);
    const p = params.get(id);
    if (!kind || !p) continue;
    const nodePortsOf = ports.get(id)!;
    const inputs: Record<string, SymShape> = {};
    const inputDtypes: Record<string, PortDtype> = {};
    let complete = true;
    for (const port of nodePortsOf.inputs) {
      const src = incoming.get(id)?.get(port.name);
      const info = src ? nodes.get(src.node) : undefined;
      // An edge from a port that does not exist (reported above) carries nothing; a port named
      // like an Object property ('__proto__', 'constructor') is never looked up as one.
      const shape = src && info && Object.hasOwn(info.outputs, src.port) ? info.outputs[src.port] : undefined;
      if (!shape) {
        complete = complete && !!port.optional;
        continue;
      }
      const dtype = info!.dtypes[src!.port] ?? 'float';
      inputDtypes[port.name] = dtype;
      if (!dtypeFits(dtype, port.dtype))
        problems.push({
          path: `node ${id}`,
          nodeId: id,
          message: `node ${id} (${kind.kind}): input '${port.name}' expects ${port.dtype} values but ${src!.node}.${src!.port} gives ${dtype}`,
        });
      inputs[port.name] = shape;
    }
    if (!complete) continue;
    try {
      const info =
        kind.kind === 'Group'
          ? inferGroup(id, p, nodePortsOf, inputs, inputDtypes, scope, problems, analyzeGraph)
          : kind.kind === 'GroupInput'
            ? inferGroupInput(p, scope, kind, nodePortsOf)
            : inferNode(kind, p, nodePortsOf, inputs, inputDtypes);
      if (info) nodes.set(id, info);
    } catch (e) {
      if (!(e instanceof ShapeError)) throw e;
      problems.push({ path: `node ${id}`, nodeId: id, message: `node ${id} (${kind.kind}): ${e.message}` });
    }
  }
  const totals = [...nodes.values()].reduce((t, n) => ({ p: t.p + n.paramCount, f: t.f + n.flops }), {
    p: 0,
    f: 0,
  });
  return {
    problems,
    order,
    nodes,
    graph: { nodes: graphNodes, edges },
    totalParams: totals.p,
    totalFlops: totals.f,
  };
}

function inferNode(
  kind: CatalogKind,
  p: Record<string, unknown>,
  ports: NodePorts,
  inputs: Record<string, SymShape>,
  inputDtypes: Record<string, PortDtype>,
): NodeInfo {
  const r = kind.infer(inputs, p);
  // An 'any' output carries its first input's dtype (Flatten of class indices stays int).
  const passThrough = Object.values(inputDtypes)[0] ?? 'float';
  const dtypes = Object.fromEntries(
    kind.outputs.map((o) => [o.name, r.dtypes?.[o.name] ?? (o.dtype === 'any' ? passThrough : o.dtype)]),
  );
  return {
    kind,
    params: p,
    ports,
    outputs: r.outputs,
    dtypes,
    paramCount: r.params ?? 0,
    flops: r.flops ?? 0,
  };
}

/** The params that set a layer's output width, by kind (the class dim a classifier head fixes). */
const WIDTH_PARAM: Partial<Record<string, string>> = { Linear: 'outFeatures', Conv2d: 'outChannels' };

/**
 * A CrossEntropyLoss scoring the dataset's labels needs one logit per class: a head of another
 * width is a problem, with the one-click fix of setting it to the dataset's class count.
 */
function classCountProblems(doc: GraphDocument, result: Analysis, dataset: GraphNode): Problem[] {
  const info = result.nodes.get(dataset.id);
  if (!info || info.kind.kind !== 'Dataset') return [];
  const classes = datasetClasses(info.params as DatasetParams);
  if (classes < 2) return [];
  const problems: Problem[] = [];
  for (const loss of doc.nodes.filter((n) => n.kind === 'CrossEntropyLoss')) {
    const into = (port: string) => doc.edges.find((e) => e.target.node === loss.id && e.target.port === port);
    const target = into('target');
    const input = into('input');
    if (!target || !input || target.source.node !== dataset.id || target.source.port !== 'y') continue;
    const outputs = result.nodes.get(input.source.node)?.outputs;
    const shape =
      outputs && Object.hasOwn(outputs, input.source.port) ? outputs[input.source.port] : undefined;
    const width = shape?.[shape.length - 1];
    if (typeof width !== 'number' || width === classes) continue;
    const head = doc.nodes.find((n) => n.id === input.source.node);
    const param = head ? WIDTH_PARAM[head.kind] : undefined;
    problems.push({
      path: `node ${input.source.node}`,
      nodeId: input.source.node,
      message: `the dataset has ${classes} classes but ${input.source.node} gives ${width} scores per sample${param ? `; set ${param} to ${classes}` : ''}`,
      ...(param
        ? { fix: { nodeId: input.source.node, param, value: classes, label: `Set ${param} to ${classes}` } }
        : {}),
    });
  }
  return problems;
}
