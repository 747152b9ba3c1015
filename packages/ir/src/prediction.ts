// The model inside a training graph: what runs from the Dataset node's data port (x) to the tensor
// that feeds the loss (the prediction). predict, ONNX export and PyTorch code export all take
// this one path, so they agree on what "the model" is.
import type { Analysis } from './analysis-types.ts';
import type { PortRef } from './schema.ts';

export interface PredictionPath {
  /** The Dataset node whose 'x' port is the model's input. */
  dataset: string;
  /** The node and port whose value is the model's output (what feeds the loss's 'input'). */
  output: PortRef;
  /** The nodes computed between them, in topological order (neither the Dataset nor the loss). */
  nodes: string[];
}

export type PredictionResult = { ok: true; path: PredictionPath } | { ok: false; reason: string };

/** Finds the prediction path of an analysed graph, or says why it has none. */
export function predictionPath(analysis: Analysis): PredictionResult {
  const dataset = analysis.order.find((id) => analysis.nodes.get(id)!.kind.category === 'data');
  if (!dataset) return { ok: false, reason: 'the graph has no Dataset node, so it has no model input' };
  const loss = analysis.order.find((id) => analysis.nodes.get(id)!.kind.category === 'loss');
  if (!loss) return { ok: false, reason: 'the graph has no loss node, so nothing names the model output' };
  const feeding = new Map<string, Map<string, PortRef>>();
  for (const e of analysis.graph.edges) {
    const ports = feeding.get(e.target.node) ?? new Map<string, PortRef>();
    ports.set(e.target.port, e.source);
    feeding.set(e.target.node, ports);
  }
  const output = feeding.get(loss)?.get('input');
  if (!output) return { ok: false, reason: `the loss node ${loss} has nothing on its 'input' port` };
  const needed = new Set<string>();
  const stack = [output.node];
  while (stack.length) {
    const id = stack.pop()!;
    if (needed.has(id)) continue;
    needed.add(id);
    for (const [port, src] of feeding.get(id) ?? []) {
      if (src.node === dataset && src.port !== 'x')
        return {
          ok: false,
          reason: `node ${id} reads the Dataset's '${src.port}' port on its '${port}' input, so the model needs the targets to predict`,
        };
      stack.push(src.node);
    }
  }
  if (output.node === dataset)
    return { ok: false, reason: 'the loss reads the Dataset directly: the graph has no model' };
  needed.delete(dataset);
  for (const id of needed)
    if (analysis.nodes.get(id)!.kind.category === 'loss')
      return { ok: false, reason: `the model output depends on the loss node ${id}` };
  return { ok: true, path: { dataset, output, nodes: analysis.order.filter((id) => needed.has(id)) } };
}
