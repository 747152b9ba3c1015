// What analysis finds about a graph: per node its kind, checked params, ports, output shapes and
// dtypes, parameter count and FLOPs (and, for a Group, its subgraph's analysis), plus the
// problems, a topological order and totals.
import type { CatalogKind, PortDtype, SymShape } from './catalog/index.ts';
import type { Problem } from './parse.ts';
import type { NodePorts } from './ports.ts';
import type { GraphDocument, GraphEdge, GraphNode } from './schema.ts';

export interface NodeInfo {
  kind: CatalogKind;
  params: Record<string, unknown>;
  ports: NodePorts;
  outputs: Record<string, SymShape>;
  dtypes: Record<string, PortDtype>;
  paramCount: number;
  flops: number;
  /** For a Group node: the analysis of its subgraph with this instance's shapes. */
  inner?: Analysis;
}

export interface Analysis {
  problems: Problem[];
  /** Node ids in an order where every node follows its inputs. */
  order: string[];
  nodes: Map<string, NodeInfo>;
  /** The graph's nodes and edges (a subgraph's, for a Group's inner analysis). */
  graph: { nodes: GraphNode[]; edges: GraphEdge[] };
  totalParams: number;
  totalFlops: number;
}

export interface Scope {
  doc: GraphDocument;
  /** Inside a subgraph: the shape and dtype reaching each GroupInput, by port name. */
  groupInputs: Map<string, { shape: SymShape; dtype: PortDtype }> | null;
  /** Subgraph ids being analysed, outermost first (to refuse a subgraph that contains itself). */
  stack: string[];
  /** Nodes analysed so far, every group instance counted (shared by the whole analysis). */
  expanded: { count: number };
}
