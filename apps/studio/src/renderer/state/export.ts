// Export: trained weights as safetensors (PyTorch names and layouts, so they load straight into
// the same model in PyTorch) or JSON, and the graph document itself.
import { loadSafetensors, type Tensor } from '@hgrad/engine';
import { exportOnnx as toOnnx, exportPytorch as toPytorch, OPSET, writeWeightsJson } from '@hgrad/export';
import { checkGraph, serializeDocument, type CheckedGraph } from '@hgrad/ir';
import { fullDocument, useDocument } from './document-store.ts';
import { engineCommands } from './engine-controller.ts';
import { saveFile } from './files.ts';
import { toast } from './ui-store.ts';

const baseName = () => {
  const { fileName, doc } = useDocument.getState();
  return (
    (
      fileName
        ?.split(/[\\/]/)
        .pop()
        ?.replace(/\.hgrad\.json$|\.json$/, '') ?? doc.metadata.name
    ).replace(/[^\w.-]+/g, '-') || 'model'
  );
};

export async function exportWeightsSafetensors(): Promise<void> {
  const weights = await engineCommands.weights();
  if (!weights) return;
  const saved = await saveFile(weights.bytes, `${baseName()}.safetensors`, 'safetensors');
  if (saved) toast('info', `Exported ${weights.names.length} tensors to ${saved}`);
}

/** JSON weights in the one format the CLI writes too (@hgrad/export's writer). */
export async function exportWeightsJson(): Promise<void> {
  const weights = await engineCommands.weights();
  if (!weights) return;
  const { tensors, metadata } = loadSafetensors(new Uint8Array(weights.bytes));
  const saved = await saveFile(writeWeightsJson(tensors, metadata), `${baseName()}.weights.json`, 'json');
  if (saved) toast('info', `Exported ${tensors.size} tensors to ${saved}`);
}

/**
 * The graph with its current weights, for the model exports; a graph with problems, or with no
 * model in it, is refused with a toast that says why (never silently).
 */
async function trainedModel(): Promise<{ graph: CheckedGraph; tensors: Map<string, Tensor> } | null> {
  const weights = await engineCommands.weights();
  if (!weights) return null;
  const checked = checkGraph(useDocument.getState().doc);
  if (!checked.ok) {
    toast(
      'error',
      `Export needs a graph without problems: ${checked.problems[0]!.message}`,
      checked.problems[0]!.nodeId,
    );
    return null;
  }
  return { graph: checked.graph, tensors: loadSafetensors(new Uint8Array(weights.bytes)).tensors };
}

export async function exportOnnx(): Promise<void> {
  const model = await trainedModel();
  if (!model) return;
  const made = toOnnx(model.graph, model.tensors);
  if (!made.ok) return void toast('error', `Cannot export ONNX: ${made.reason}`);
  const bytes = made.bytes.slice().buffer;
  const saved = await saveFile(bytes, `${baseName()}.onnx`, 'onnx');
  if (saved) toast('info', `Exported the model as ONNX (opset ${OPSET}) to ${saved}`);
}

export async function exportPytorchCode(): Promise<void> {
  const model = await trainedModel();
  if (!model) return;
  const made = toPytorch(model.graph);
  if (!made.ok) return void toast('error', `Cannot export PyTorch code: ${made.reason}`);
  const saved = await saveFile(made.code, `${baseName()}.py`, 'python');
  if (saved)
    toast(
      'info',
      `Exported PyTorch code to ${saved}; load the weights with load("${baseName()}.safetensors")`,
    );
}

export async function exportDocument(): Promise<void> {
  await saveFile(serializeDocument(fullDocument()), `${baseName()}.hgrad.json`, 'document');
}
