// IR → a runnable engine model. The caller passes the document and its analysis (from
// @hgrad/ir's analyze(), which must have found no problems); the model runs the nodes in
// topological order. Outputs of every node are kept, so the UI can inspect any of them.
import type { Analysis, GraphDocument } from '@hgrad/ir';
import type { Tensor } from '../tensor.ts';
import { Module } from '../nn/module.ts';
import { NODE_IMPLS, type Outputs } from './layers.ts';

export interface GraphRun {
  /** Every node's outputs by node id and port. */
  values: Map<string, Outputs>;
  /** The first loss node's output, when the graph has one. */
  loss: Tensor | null;
  /** The tensor feeding the loss's 'input' port (the model's prediction). */
  prediction: Tensor | null;
}

export class GraphModel extends Module {
  readonly order: string[];
  private readonly nodeModules = new Map<string, Module>();

  constructor(
    readonly document: GraphDocument,
    readonly analysis: Analysis,
  ) {
    super();
    if (analysis.problems.length)
      throw new Error(
        `cannot compile a graph with problems:\n  ${analysis.problems.map((p) => p.message).join('\n  ')}`,
      );
    this.order = analysis.order;
    for (const id of this.order) {
      const node = analysis.nodes.get(id)!;
      const impl = NODE_IMPLS[node.kind.kind];
      if (!impl) throw new Error(`node ${id}: the engine cannot run node kind '${node.kind.kind}' yet`);
      if (impl.module) this.nodeModules.set(id, this.module(id, impl.module(node.params)));
    }
  }

  /** Runs the graph on a batch: `batch` feeds the Dataset node's outputs (x, y). */
  forward(batch: Outputs): GraphRun {
    const values = new Map<string, Outputs>();
    const sources = new Map<string, Map<string, { node: string; port: string }>>();
    for (const e of this.document.edges) {
      const ports = sources.get(e.target.node) ?? new Map();
      ports.set(e.target.port, e.source);
      sources.set(e.target.node, ports);
    }
    let loss: Tensor | null = null;
    let prediction: Tensor | null = null;
    for (const id of this.order) {
      const node = this.analysis.nodes.get(id)!;
      const kind = node.kind;
      const inputs: Outputs = kind.category === 'data' ? batch : {};
      for (const [port, src] of sources.get(id) ?? []) inputs[port] = values.get(src.node)![src.port]!;
      try {
        const out = NODE_IMPLS[kind.kind]!.run(inputs, node.params, {
          module: this.nodeModules.get(id) ?? null,
          training: this.training,
        });
        values.set(id, out);
        if (kind.category === 'loss' && !loss) {
          loss = out.loss!;
          prediction = inputs.input ?? null;
        }
      } catch (e) {
        throw Object.assign(new Error(`node ${id} (${kind.kind}): ${(e as Error).message}`, { cause: e }), {
          nodeId: id,
        });
      }
    }
    return { values, loss, prediction };
  }
}

export function compileGraph(document: GraphDocument, analysis: Analysis): GraphModel {
  return new GraphModel(document, analysis);
}
