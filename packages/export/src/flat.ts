// The model of a checked graph as one flat list of nodes: the prediction path (Dataset data port →
// what feeds the loss) with every Group inlined. Values are named by where they come from
// ("block1/fc:output"); parameters by their state-dict prefix ("block1.fc."), so exporters read
// weights under PyTorch's names. Every exporter walks this one list.
import {
  predictionPath,
  type Analysis,
  type CheckedGraph,
  type KindName,
  type ParamsOf,
  type PortDtype,
  type SymShape,
} from '@hgrad/ir';

/** Kinds that are not part of a model: the data source, the losses and the group plumbing. */
export const NOT_MODEL_KINDS = [
  'Dataset',
  'Group',
  'GroupInput',
  'GroupOutput',
  'CrossEntropyLoss',
  'MSELoss',
  'L1Loss',
  'BCEWithLogitsLoss',
] as const satisfies readonly KindName[];

/** The kinds a model is made of; every exporter has one entry per kind (a compile error if not). */
export type ModelKind = Exclude<KindName, (typeof NOT_MODEL_KINDS)[number]>;

export interface FlatNode<K extends ModelKind = ModelKind> {
  /** The node's path: its id, or "group/inner" inside groups. */
  path: string;
  kind: K;
  params: ParamsOf<K>;
  /** Parameter names start with this ("fc1.", "block1.fc."). */
  prefix: string;
  /** The value name on each input port, and the names given to each output port. */
  inputs: Record<string, string>;
  outputs: Record<string, string>;
  /** Shapes from analysis ('N' is the batch, 'T' a sequence length). */
  inputShapes: Record<string, SymShape>;
  outputShapes: Record<string, SymShape>;
}

export interface FlatModel {
  name: string;
  /** The model input (the Dataset's data port): its value name is always 'input'. */
  input: { shape: SymShape; dtype: PortDtype };
  /** The value that feeds the loss. */
  output: { value: string; shape: SymShape };
  nodes: FlatNode[];
}

export type FlatResult = { ok: true; model: FlatModel } | { ok: false; reason: string };

const isModelKind = (k: string): k is ModelKind => !(NOT_MODEL_KINDS as readonly string[]).includes(k);

export function flattenModel(graph: CheckedGraph): FlatResult {
  const { analysis } = graph;
  const found = predictionPath(analysis);
  if (!found.ok) return found;
  const { dataset, output, nodes } = found.path;
  const data = analysis.nodes.get(dataset)!;
  const values = new Map<string, string>([[`${dataset}:x`, 'input']]);
  const flat: FlatNode[] = [];
  const problem = addNodes(analysis, nodes, '', values, flat);
  if (problem) return { ok: false, reason: problem };
  return {
    ok: true,
    model: {
      name: graph.document.metadata.name,
      input: { shape: data.outputs.x!, dtype: data.dtypes.x ?? 'float' },
      output: {
        value: values.get(`${output.node}:${output.port}`)!,
        shape: analysis.nodes.get(output.node)!.outputs[output.port]!,
      },
      nodes: flat,
    },
  };
}

/**
 * Appends the nodes `ids` of `analysis` (a graph or a group's subgraph) under `path`; `values`
 * maps "node:port" of this level to value names and gets the new nodes' outputs.
 */
function addNodes(
  analysis: Analysis,
  ids: readonly string[],
  path: string,
  values: Map<string, string>,
  flat: FlatNode[],
): string | null {
  const sources = new Map<string, Map<string, { node: string; port: string }>>();
  for (const e of analysis.graph.edges) {
    const ports = sources.get(e.target.node) ?? new Map<string, { node: string; port: string }>();
    ports.set(e.target.port, e.source);
    sources.set(e.target.node, ports);
  }
  for (const id of ids) {
    const info = analysis.nodes.get(id)!;
    const full = path ? `${path}/${id}` : id;
    const inputs: Record<string, string> = {};
    for (const [port, src] of sources.get(id) ?? []) inputs[port] = values.get(`${src.node}:${src.port}`)!;
    const kind = info.kind.kind;
    if (info.inner) {
      // A group: its GroupInputs read the group's inputs by name; its GroupOutputs name outputs.
      const inner = new Map<string, string>();
      for (const innerId of info.inner.order) {
        const n = info.inner.nodes.get(innerId)!;
        if (n.kind.kind === 'GroupInput') inner.set(`${innerId}:output`, inputs[n.params.name as string]!);
      }
      const body = info.inner.order.filter(
        (i) => !['GroupInput', 'GroupOutput'].includes(info.inner!.nodes.get(i)!.kind.kind),
      );
      const problem = addNodes(info.inner, body, full, inner, flat);
      if (problem) return problem;
      const innerSources = new Map(info.inner.graph.edges.map((e) => [e.target.node, e.source]));
      for (const innerId of info.inner.order) {
        const n = info.inner.nodes.get(innerId)!;
        const src = innerSources.get(innerId);
        if (n.kind.kind === 'GroupOutput' && src)
          values.set(`${id}:${n.params.name as string}`, inner.get(`${src.node}:${src.port}`)!);
      }
      continue;
    }
    if (!isModelKind(kind)) return `node ${full} (${kind}) cannot be part of the model`;
    const outputs: Record<string, string> = {};
    for (const port of Object.keys(info.outputs)) {
      outputs[port] = `${full}:${port}`;
      values.set(`${id}:${port}`, outputs[port]);
    }
    const inputShapes: Record<string, SymShape> = {};
    for (const [port, src] of sources.get(id) ?? [])
      inputShapes[port] = analysis.nodes.get(src.node)!.outputs[src.port]!;
    flat.push({
      path: full,
      kind,
      params: info.params as ParamsOf<typeof kind>,
      prefix: `${full.replaceAll('/', '.')}.`,
      inputs,
      outputs,
      inputShapes,
      outputShapes: info.outputs,
    });
  }
  return null;
}
