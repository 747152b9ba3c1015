// ONNX export: the model of a trained graph (Dataset data port → what feeds the loss) as an
// ONNX model with its weights, a dynamic batch dim, input "input" and output "output".
import type * as hg from '@hgrad/engine';
import type { CheckedGraph } from '@hgrad/ir';
import { flattenModel, type FlatNode, type ModelKind } from '../flat.ts';
import { ELEM, OnnxBuilder } from './builder.ts';
import { ONNX_OPS, type OnnxOp } from './ops.ts';

export { OPSET } from './builder.ts';

export type ExportResult = { ok: true; bytes: Uint8Array } | { ok: false; reason: string };

export function exportOnnx(graph: CheckedGraph, weights: ReadonlyMap<string, hg.Tensor>): ExportResult {
  const flat = flattenModel(graph);
  if (!flat.ok) return { ok: false, reason: flat.reason };
  const { model } = flat;
  const b = new OnnxBuilder(weights);
  const onnxName = new Map<string, string>([['input', 'input']]);
  b.fresh('input');
  b.fresh('output');
  for (const node of model.nodes) {
    const inputs: Record<string, string> = {};
    for (const [port, value] of Object.entries(node.inputs)) inputs[port] = onnxName.get(value)!;
    let outputs: Record<string, string>;
    try {
      outputs = (ONNX_OPS[node.kind] as OnnxOp<ModelKind>)(node as FlatNode<ModelKind>, b, inputs);
    } catch (e) {
      return { ok: false, reason: `node ${node.path} (${node.kind}): ${(e as Error).message}` };
    }
    for (const [port, value] of Object.entries(node.outputs)) onnxName.set(value, outputs[port]!);
  }
  b.op('Identity', [onnxName.get(model.output.value)!], {}, { outputs: ['output'] });
  const elem = model.input.dtype === 'int' ? ELEM.int64 : ELEM.float;
  const bytes = b.encode(
    model.name,
    { name: 'input', elem, shape: model.input.shape },
    { name: 'output', elem: ELEM.float, shape: model.output.shape },
    `${model.name}, exported by homemade-grad`,
  );
  return { ok: true, bytes };
}
