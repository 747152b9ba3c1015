// Meaning checks and shape inference over a structurally valid document: unknown kinds, params,
// ports and connections, cycles, dtypes, a missing loss, then shapes with a symbolic batch dim,
// parameter counts and FLOPs. Every problem is collected; none stops the others.
import { z } from 'zod';
import { CATALOG, ShapeError, type NodeKind, type PortDtype, type SymShape } from './catalog/index.ts';
import type { Problem } from './parse.ts';
import type { GraphDocument, GraphNode } from './schema.ts';

export interface NodeInfo {
  kind: NodeKind;
  params: Record<string, unknown>;
  outputs: Record<string, SymShape>;
  dtypes: Record<string, PortDtype>;
  paramCount: number;
  flops: number;
}

export interface Analysis {
  problems: Problem[];
  /** Node ids in an order where every node follows its inputs. */
  order: string[];
  nodes: Map<string, NodeInfo>;
  totalParams: number;
  totalFlops: number;
}

function distance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...new Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++)
    for (let j = 1; j <= b.length; j++)
      d[i]![j] = Math.min(
        d[i - 1]![j]! + 1,
        d[i]![j - 1]! + 1,
        d[i - 1]![j - 1]! + (a[i - 1]!.toLowerCase() === b[j - 1]!.toLowerCase() ? 0 : 1),
      );
  return d[a.length]![b.length]!;
}

function suggestKind(kind: string): string {
  const best = [...CATALOG.keys()].map((k) => [k, distance(kind, k)] as const).sort((x, y) => x[1] - y[1])[0];
  return best && best[1] <= 3 ? ` (did you mean '${best[0]}'?)` : '';
}

function checkParams(node: GraphNode, kind: NodeKind, problems: Problem[]): Record<string, unknown> | null {
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

export function analyze(doc: GraphDocument, { requireLoss = doc.training !== undefined } = {}): Analysis {
  const problems: Problem[] = [];
  const byId = new Map(doc.nodes.map((n) => [n.id, n]));
  const kinds = new Map<string, NodeKind>();
  const params = new Map<string, Record<string, unknown>>();
  for (const node of doc.nodes) {
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
  }

  // Connections: ports must exist, an input takes one edge, no duplicates or self-loops.
  const incoming = new Map<string, Map<string, { node: string; port: string }>>();
  const successors = new Map<string, string[]>(doc.nodes.map((n) => [n.id, []]));
  for (const edge of doc.edges) {
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
    if (sk && !sk.outputs.some((p) => p.name === source.port))
      problems.push({
        path: `edge ${edge.id}`,
        nodeId: source.node,
        message: `edge ${edge.id}: ${sk.kind} node ${source.node} has no output port '${source.port}' (outputs: ${sk.outputs.map((p) => p.name).join(', ') || 'none'})`,
      });
    if (tk && !tk.inputs.some((p) => p.name === target.port))
      problems.push({
        path: `edge ${edge.id}`,
        nodeId: target.node,
        message: `edge ${edge.id}: ${tk.kind} node ${target.node} has no input port '${target.port}' (inputs: ${tk.inputs.map((p) => p.name).join(', ') || 'none'})`,
      });
    const ports = incoming.get(target.node) ?? new Map();
    incoming.set(target.node, ports);
    if (ports.has(target.port)) {
      problems.push({
        path: `edge ${edge.id}`,
        nodeId: target.node,
        message: `edge ${edge.id}: input '${target.port}' of node ${target.node} is already fed by ${ports.get(target.port)!.node}; an input takes one connection`,
      });
      continue;
    }
    ports.set(target.port, source);
    successors.get(source.node)!.push(target.node);
  }
  for (const [id, kind] of kinds)
    for (const port of kind.inputs)
      if (!port.optional && !incoming.get(id)?.has(port.name))
        problems.push({
          path: `node ${id}`,
          nodeId: id,
          message: `node ${id} (${kind.kind}): input '${port.name}' is not connected`,
        });

  // Topological order (Kahn); whatever remains sits on a cycle.
  const indegree = new Map(doc.nodes.map((n) => [n.id, incoming.get(n.id)?.size ?? 0]));
  const order: string[] = [];
  const ready = doc.nodes.filter((n) => indegree.get(n.id) === 0).map((n) => n.id);
  while (ready.length) {
    const id = ready.shift()!;
    order.push(id);
    for (const next of successors.get(id)!) {
      indegree.set(next, indegree.get(next)! - 1);
      if (indegree.get(next) === 0) ready.push(next);
    }
  }
  // Peel off the nodes that only lead out of a cycle; what is left lies on one.
  const cyclicSet = new Set(doc.nodes.filter((n) => !order.includes(n.id)).map((n) => n.id));
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

  if (requireLoss && ![...kinds.values()].some((k) => k.category === 'loss'))
    problems.push({
      path: 'nodes',
      message:
        'training needs a loss node: add e.g. CrossEntropyLoss and connect the model output and the labels to it',
    });

  // Shapes, dtypes, parameter counts and FLOPs, in order.
  const nodes = new Map<string, NodeInfo>();
  for (const id of order) {
    const kind = kinds.get(id);
    const p = params.get(id);
    if (!kind || !p) continue;
    const inputs: Record<string, SymShape> = {};
    const inputDtypes: PortDtype[] = [];
    let complete = true;
    for (const port of kind.inputs) {
      const src = incoming.get(id)?.get(port.name);
      const info = src ? nodes.get(src.node) : undefined;
      const shape = src ? info?.outputs[src.port] : undefined;
      if (!shape) {
        complete = complete && !!port.optional;
        continue;
      }
      const dtype = info!.dtypes[src!.port] ?? 'float';
      inputDtypes.push(dtype);
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
      const r = kind.infer(inputs, p);
      // An 'any' output carries its first input's dtype (Flatten of class indices stays int).
      const passThrough = inputDtypes[0] ?? 'float';
      const dtypes = Object.fromEntries(
        kind.outputs.map((o) => [o.name, r.dtypes?.[o.name] ?? (o.dtype === 'any' ? passThrough : o.dtype)]),
      );
      nodes.set(id, {
        kind,
        params: p,
        outputs: r.outputs,
        dtypes,
        paramCount: r.params ?? 0,
        flops: r.flops ?? 0,
      });
    } catch (e) {
      if (!(e instanceof ShapeError)) throw e;
      problems.push({ path: `node ${id}`, nodeId: id, message: `node ${id} (${kind.kind}): ${e.message}` });
    }
  }
  const totals = [...nodes.values()].reduce((t, n) => ({ p: t.p + n.paramCount, f: t.f + n.flops }), {
    p: 0,
    f: 0,
  });
  return { problems, order, nodes, totalParams: totals.p, totalFlops: totals.f };
}
