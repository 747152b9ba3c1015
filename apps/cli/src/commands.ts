// hgrad validate, info and export: what a document is, and trained weights checked against it
// and written out for other tools.
import { writeFile } from 'node:fs/promises';
import { loadGraph } from '@hgrad/ir';
import { exportOnnx, exportPytorch, OPSET, weightsMetadata, writeWeightsJson } from '@hgrad/export';
import * as hg from '@hgrad/engine';
import { parseArgs } from './args.ts';
import { UserError, type CliIo } from './io.ts';
import { problemLine, readGraph, readText } from './load.ts';
import { memoryBudget } from './memory-budget.ts';
import { modelWithWeights, readSafetensors } from './weights.ts';

export async function validate(args: string[], io: CliIo): Promise<number> {
  const { file } = parseArgs('validate', args, {});
  if (!file) throw new UserError('validate: missing FILE (usage: hgrad validate FILE)');
  const loaded = loadGraph(await readText(file, 'validate'), { memoryBudget: memoryBudget() });
  if (loaded.ok) {
    const doc = loaded.graph.document;
    for (const note of loaded.graph.notes) io.out(`${file}: note: ${note}`);
    io.out(`${file}: valid (${doc.nodes.length} nodes, ${doc.edges.length} edges)`);
    return 0;
  }
  for (const p of loaded.problems) io.err(`${file}: ${problemLine(p)}`);
  io.err(`${file}: ${loaded.problems.length} problem${loaded.problems.length === 1 ? '' : 's'}`);
  return 1;
}

const shape = (s: (number | string)[]) => `[${s.join(', ')}]`;

export async function info(args: string[], io: CliIo): Promise<number> {
  const { file } = parseArgs('info', args, {});
  const { document: doc, analysis } = await readGraph(file, 'info');
  io.out(
    `${doc.metadata.name}: ${doc.nodes.length} nodes, ${analysis.totalParams.toLocaleString('en')} parameters, ${analysis.totalFlops.toLocaleString('en')} FLOPs per sample`,
  );
  const rows = analysis.order.map((id) => {
    const n = analysis.nodes.get(id)!;
    const outputs = Object.entries(n.outputs)
      .map(([p, s]) => `${p} ${shape(s)}`)
      .join(', ');
    return [id, n.kind.kind, outputs, String(n.paramCount), String(n.flops)];
  });
  const header = ['node', 'kind', 'outputs', 'params', 'FLOPs'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  for (const r of [header, ...rows])
    io.out(r.map((c, i) => (i >= 3 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  '));
  return 0;
}

const FORMATS = ['safetensors', 'json', 'onnx', 'pytorch'] as const;
type Format = (typeof FORMATS)[number];
const EXTENSION: Record<Format, string> = {
  safetensors: '.export.safetensors',
  json: '.weights.json',
  onnx: '.onnx',
  pytorch: '.py',
};

/**
 * hgrad export: trained weights checked against the graph, written as safetensors (with the
 * graph document in the metadata), the JSON weights format, an ONNX model or PyTorch code.
 */
export async function exportWeights(args: string[], io: CliIo): Promise<number> {
  const { file, options } = parseArgs('export', args, {
    '--weights': { kind: 'path' },
    '--format': { kind: 'choice', choices: FORMATS },
    '--out': { kind: 'path' },
  });
  const graph = await readGraph(file, 'export');
  const weightsFile =
    (options.get('--weights') as string | undefined) ?? (file!.endsWith('.safetensors') ? file! : undefined);
  if (!weightsFile) throw new UserError('export: --weights FILE is required');
  const format = ((options.get('--format') as string | undefined) ?? 'safetensors') as Format;
  const { tensors, metadata } = await readSafetensors(weightsFile, 'export');
  modelWithWeights(graph, tensors, weightsFile, 'export');
  const out =
    (options.get('--out') as string | undefined) ??
    weightsFile.replace(/(\.safetensors)?$/, EXTENSION[format]);
  const described = weightsMetadata(graph, metadata);
  let bytes: Uint8Array | string;
  if (format === 'json') bytes = writeWeightsJson(tensors, described);
  else if (format === 'safetensors') bytes = hg.saveSafetensors(tensors, described);
  else {
    const made = format === 'onnx' ? exportOnnx(graph, tensors) : exportPytorch(graph);
    if (!made.ok) throw new UserError(`export: cannot export ${file} as ${format}: ${made.reason}`);
    bytes = 'bytes' in made ? made.bytes : made.code;
  }
  await writeFile(out, bytes);
  io.out(
    format === 'onnx' || format === 'pytorch'
      ? `exported the model of ${graph.document.metadata.name} as ${format === 'onnx' ? `ONNX (opset ${OPSET})` : 'PyTorch code'} to ${out}`
      : `exported ${tensors.size} tensors to ${out}`,
  );
  return 0;
}
