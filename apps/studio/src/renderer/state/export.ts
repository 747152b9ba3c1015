// Export: trained weights as safetensors (PyTorch names and layouts, so they load straight into
// the same model in PyTorch) or JSON, and the graph document itself.
import { serializeDocument } from '@hgrad/ir';
import { useDocument } from './document-store.ts';
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

/** JSON weights: {name: {shape, dtype, data}} read from the safetensors bytes. */
export async function exportWeightsJson(): Promise<void> {
  const weights = await engineCommands.weights();
  if (!weights) return;
  const bytes = new Uint8Array(weights.bytes);
  const headerLength = Number(new DataView(weights.bytes).getBigUint64(0, true));
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + headerLength))) as Record<
    string,
    { dtype: string; shape: number[]; data_offsets: [number, number] }
  >;
  const body = 8 + headerLength;
  const tensors: Record<string, { shape: number[]; dtype: string; data: number[] }> = {};
  for (const [name, info] of Object.entries(header)) {
    if (name === '__metadata__') continue;
    const [start, end] = info.data_offsets;
    const slice = weights.bytes.slice(body + start, body + end);
    const data =
      info.dtype === 'F64'
        ? new Float64Array(slice)
        : info.dtype === 'I32'
          ? new Int32Array(slice)
          : new Float32Array(slice);
    tensors[name] = { shape: info.shape, dtype: info.dtype, data: Array.from(data) };
  }
  const saved = await saveFile(JSON.stringify(tensors), `${baseName()}.weights.json`, 'json');
  if (saved) toast('info', `Exported ${Object.keys(tensors).length} tensors to ${saved}`);
}

export async function exportDocument(): Promise<void> {
  await saveFile(serializeDocument(useDocument.getState().doc), `${baseName()}.hgrad.json`, 'document');
}
