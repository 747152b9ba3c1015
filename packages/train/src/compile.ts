// IR → a runnable engine model. Only a CheckedGraph (from @hgrad/ir's loadGraph or checkGraph,
// whose analysis found no problems) can be compiled; the model runs the nodes in topological order. Outputs of every node are kept, so the UI can inspect any of them, and a
// run can advance one node at a time (the step-through debugger drives runNode directly).
// A Group node compiles to a nested GraphModel registered under the group's id, so its
// parameters read "block1.fc.weight" in the state dict.
import * as hg from '@hgrad/engine';
import { predictionPath, type Analysis, type CheckedGraph } from '@hgrad/ir';
import { NODE_IMPLS, type NodeImpl, type Outputs } from './kinds.ts';

type Tensor = hg.Tensor;

export interface GraphRun {
  /** Every node's outputs by node id and port; a group's inner nodes appear as "group/inner". */
  values: Map<string, Outputs>;
  /** The first loss node's output, when the graph has one. */
  loss: Tensor | null;
  /** The tensor feeding the loss's 'input' port (the model's prediction). */
  prediction: Tensor | null;
  /** What the graph's GroupOutput nodes give, by port name (for a subgraph). */
  outputs: Outputs;
  /** What feeds the Dataset node (x, y), or, in a subgraph, its GroupInput nodes by name. */
  feeds: Outputs;
}

type PortSource = { node: string; port: string };

export class GraphModel extends hg.nn.Module {
  readonly order: string[];
  /** For each node, which node and port feeds each of its input ports. */
  readonly sources = new Map<string, Map<string, PortSource>>();
  private readonly nodeModules = new Map<string, hg.nn.Module>();

  /** Use compileGraph(); a GraphModel is built from an analysis that found no problems. */
  constructor(readonly analysis: Analysis) {
    super();
    this.order = analysis.order;
    for (const e of analysis.graph.edges) {
      const ports = this.sources.get(e.target.node) ?? new Map<string, PortSource>();
      ports.set(e.target.port, e.source);
      this.sources.set(e.target.node, ports);
    }
    for (const id of this.order) {
      const node = analysis.nodes.get(id)!;
      if (node.inner) {
        this.nodeModules.set(id, this.module(id, new GraphModel(node.inner)));
        continue;
      }
      const impl = implOf(node.kind.kind);
      if (impl.module) this.nodeModules.set(id, this.module(id, impl.module(node.params)));
    }
  }

  /** The module that owns a node's parameters (a GraphModel for a Group), if it has one. */
  nodeModule(id: string): hg.nn.Module | null {
    return this.nodeModules.get(id) ?? null;
  }

  /** Runs the graph: `feeds` are the Dataset node's x and y (or a subgraph's inputs by name). */
  forward(feeds: Outputs): GraphRun {
    const run = this.begin(feeds);
    for (const id of this.order) this.runNode(id, run);
    return run;
  }

  /**
   * The model alone: runs the nodes between the Dataset's data port and the loss's input on `x`
   * and returns what would feed the loss (no targets needed). Call eval() first for inference.
   */
  predict(x: Tensor): Tensor {
    const found = predictionPath(this.analysis);
    if (!found.ok) throw new Error(`predict: ${found.reason}`);
    const { dataset, nodes, output } = found.path;
    const run = this.begin({ x });
    run.values.set(dataset, { x });
    for (const id of nodes) this.runNode(id, run);
    return run.values.get(output.node)![output.port]!;
  }

  /** The module that owns a node's parameters (null for a kind without any). */
  moduleOf(id: string): hg.nn.Module | null {
    return this.nodeModules.get(id) ?? null;
  }

  /** An empty run, to be advanced with runNode in `order`. */
  begin(feeds: Outputs): GraphRun {
    return { values: new Map(), loss: null, prediction: null, outputs: {}, feeds };
  }

  /** The inputs of a node, taken from the outputs already computed in `run`. */
  nodeInputs(id: string, run: GraphRun): Outputs {
    const kind = this.analysis.nodes.get(id)!.kind;
    const inputs: Outputs = kind.category === 'data' || kind.kind === 'GroupInput' ? { ...run.feeds } : {};
    for (const [port, src] of this.sources.get(id) ?? []) {
      const value = run.values.get(src.node)?.[src.port];
      if (!value)
        throw new Error(`node ${id}: its input '${port}' from ${src.node} has not been computed yet`);
      inputs[port] = value;
    }
    return inputs;
  }

  /** Computes one node (its inputs must be in `run`), records and returns its outputs. */
  runNode(id: string, run: GraphRun): Outputs {
    const node = this.analysis.nodes.get(id)!;
    const kind = node.kind;
    const inputs = this.nodeInputs(id, run);
    let out: Outputs;
    try {
      if (node.inner) {
        const inner = (this.nodeModules.get(id) as GraphModel).forward(inputs);
        for (const [innerId, value] of inner.values) run.values.set(`${id}/${innerId}`, value);
        out = inner.outputs;
      } else {
        out = implOf(kind.kind).run(inputs, node.params, {
          module: this.nodeModules.get(id) ?? null,
          training: this.training,
        });
      }
    } catch (e) {
      const error = e as Error & { nodeId?: string };
      // A failure inside a group already names the inner node; keep that and add the group.
      const nodeId = error.nodeId ? `${id}/${error.nodeId}` : id;
      throw Object.assign(new Error(`node ${id} (${kind.kind}): ${error.message}`, { cause: e }), { nodeId });
    }
    run.values.set(id, out);
    if (kind.kind === 'GroupOutput') run.outputs[node.params.name as string] = out.input!;
    if (kind.category === 'loss' && !run.loss) {
      run.loss = out.loss!;
      run.prediction = inputs.input ?? null;
    }
    return out;
  }
}

/** The implementation of a kind (a Group is compiled as a nested GraphModel instead). */
export function implOf(kind: string): NodeImpl<Record<string, unknown>> {
  const impl = (NODE_IMPLS as Record<string, NodeImpl<never>>)[kind];
  if (!impl) throw new Error(`the engine has no implementation of node kind '${kind}'`);
  // The analysis checked these params against the kind's own schema.
  return impl as unknown as NodeImpl<Record<string, unknown>>;
}

export function compileGraph(graph: CheckedGraph): GraphModel {
  return new GraphModel(graph.analysis);
}
