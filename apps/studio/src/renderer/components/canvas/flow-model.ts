// Document + analysis + live training/debugger state → React Flow nodes and edges. Pure, so the
// canvas component only wires events.
import type { Node } from '@xyflow/react';
import type { RoutedFlowEdge } from './RoutedEdge.tsx';
import { CATALOG, fmt, nodePorts, type Analysis, type GraphDocument, type PortSpec } from '@hgrad/ir';
import type { DebugState, GradStats } from '../../state/run-store.ts';
import type { Selection } from '../../state/document-store.ts';

export type GradFlag = 'vanishing' | 'exploding' | null;

export interface LayerNodeData extends Record<string, unknown> {
  kind: string;
  category: string;
  inputs: PortSpec[];
  outputs: PortSpec[];
  shapes: Record<string, string>;
  summary: string;
  /** Trainable parameters of the node (0: none), shown on its face. */
  params: number;
  problems: string[];
  gradNorm: number | null;
  gradFlag: GradFlag;
  /** The first sample's activation of the node's first output, in bucket means (null: none yet). */
  activation: number[] | null;
  active: 'forward' | 'backward' | null;
  /** Which way data flows: ports on the left and right (LR) or on the top and bottom (TB). */
  direction: 'LR' | 'TB';
}
export type LayerFlowNode = Node<LayerNodeData, 'layer'>;

export const VANISHING = 1e-6;
export const EXPLODING = 1e3;

export function gradFlag(norm: number | null): GradFlag {
  if (norm === null) return null;
  // NaN and ±∞ are what an exploding run ends in: never "vanishing".
  if (!Number.isFinite(norm)) return 'exploding';
  return norm < VANISHING ? 'vanishing' : norm > EXPLODING ? 'exploding' : null;
}

/** Log-scale colour: blue for tiny gradients, through green, to red for huge ones. */
export function gradColor(norm: number): string {
  const t = Math.min(1, Math.max(0, (Math.log10(Math.max(norm, 1e-12)) + 6) / 8));
  return `hsl(${Math.round(220 - 220 * t)} 75% 50%)`;
}

/** The node face's summary: the kind's own (from the catalog), else its first three params. */
function summarize(kind: string, params: Record<string, unknown>): string {
  const face = CATALOG.get(kind)?.face;
  const parsed = face ? CATALOG.get(kind)!.params.safeParse(params) : null;
  if (face && parsed?.success) return face(parsed.data);
  return Object.entries(params)
    .slice(0, 3)
    .map(([k, v]) => `${k} ${typeof v === 'object' ? JSON.stringify(v) : String(v)}`)
    .join(' · ');
}

/** Each node's gradient magnitude: its parameters' gradient norm, else that of its outputs. */
export function nodeGradNorms(stats: GradStats | null): Map<string, number> {
  const norms = new Map<string, number>();
  if (!stats) return norms;
  const squares = new Map<string, number>();
  for (const p of stats.params) {
    const node = p.name.split('.')[0]!;
    squares.set(node, (squares.get(node) ?? 0) + p.gradNorm ** 2);
  }
  for (const [node, sq] of squares) norms.set(node, Math.sqrt(sq));
  for (const o of stats.outputs) if (!norms.has(o.nodeId)) norms.set(o.nodeId, o.gradNorm);
  return norms;
}

export function flowNodes(
  doc: GraphDocument,
  analysis: Analysis,
  selection: Selection,
  stats: GradStats | null,
  debug: DebugState | null,
  dragging: ReadonlyMap<string, { x: number; y: number }>,
): LayerFlowNode[] {
  const problems = new Map<string, string[]>();
  for (const p of analysis.problems)
    if (p.nodeId) problems.set(p.nodeId, [...(problems.get(p.nodeId) ?? []), p.message]);
  const grads = nodeGradNorms(stats);
  // A node's strip shows its first output that has one (Dataset: x, the input sample).
  const strips = new Map<string, number[]>();
  for (const a of stats?.activations ?? []) if (!strips.has(a.nodeId)) strips.set(a.nodeId, a.values);
  const step = debug && debug.cursor >= 0 ? debug.plan[debug.cursor] : undefined;
  const selected = new Set(selection.nodes);
  return doc.nodes.map((n) => {
    const kind = CATALOG.get(n.kind);
    const ports = kind ? nodePorts(doc, n, kind) : { inputs: [], outputs: [] };
    const info = analysis.nodes.get(n.id);
    const gradNorm = grads.get(n.id) ?? null;
    return {
      id: n.id,
      type: 'layer',
      position: dragging.get(n.id) ?? n.position,
      selected: selected.has(n.id),
      data: {
        kind: n.kind,
        category: kind?.category ?? 'unknown',
        inputs: ports.inputs,
        outputs: ports.outputs,
        shapes: Object.fromEntries(
          Object.entries(info?.outputs ?? {}).map(([port, shape]) => [port, fmt(shape)]),
        ),
        summary: summarize(n.kind, n.params),
        params: info?.paramCount ?? 0,
        problems: problems.get(n.id) ?? [],
        gradNorm,
        gradFlag: gradFlag(gradNorm),
        activation: strips.get(n.id) ?? null,
        active: step?.nodeId === n.id ? step.phase : null,
        direction: doc.layout ?? 'LR',
      },
    };
  });
}

export function flowEdges(
  doc: GraphDocument,
  analysis: Analysis,
  selection: Selection,
  stats: GradStats | null,
  debug: DebugState | null,
): RoutedFlowEdge[] {
  const outputGrads = new Map(stats?.outputs.map((o) => [`${o.nodeId}.${o.port}`, o.gradNorm]) ?? []);
  const step = debug && debug.cursor >= 0 ? debug.plan[debug.cursor] : undefined;
  const selected = new Set(selection.edges);
  return doc.edges.map((e) => {
    const shape = analysis.nodes.get(e.source.node)?.outputs[e.source.port];
    const grad = outputGrads.get(`${e.source.node}.${e.source.port}`);
    // Forward: the values flowing into the active node; backward: the gradients leaving it —
    // never along an edge of integers (class labels, token ids), which take no gradient.
    const integers = analysis.nodes.get(e.source.node)?.dtypes[e.source.port] === 'int';
    const carrying =
      step &&
      e.target.node === step.nodeId &&
      (step.phase === 'forward' || (step.phase === 'backward' && !integers));
    return {
      id: e.id,
      type: 'routed' as const,
      source: e.source.node,
      sourceHandle: e.source.port,
      target: e.target.node,
      targetHandle: e.target.port,
      selected: selected.has(e.id),
      animated: !!carrying,
      label: shape ? fmt(shape) : undefined,
      className: carrying ? `edge--${step!.phase}` : undefined,
      style:
        grad !== undefined
          ? { stroke: gradColor(grad), strokeWidth: 1.5 + Math.min(3, Math.max(0, Math.log10(grad) + 4) / 2) }
          : undefined,
      data: { gradNorm: grad ?? null, flag: gradFlag(grad ?? null), direction: doc.layout ?? 'LR' },
    };
  });
}
