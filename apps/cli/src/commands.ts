// hgrad validate, info and export: what a document is, and trained weights checked against it.
import { readFile, writeFile } from 'node:fs/promises';
import { loadGraph } from '@hgrad/ir';
import * as hg from '@hgrad/engine';
import { compileGraph } from '@hgrad/train';
import { parseArgs } from './args.ts';
import { UserError, type CliIo } from './io.ts';
import { problemLine, readGraph, readText } from './load.ts';

export async function validate(args: string[], io: CliIo): Promise<number> {
  const { file } = parseArgs('validate', args, {});
  if (!file) throw new UserError('validate: missing FILE (usage: hgrad validate FILE)');
  const loaded = loadGraph(await readText(file, 'validate'));
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

export async function exportWeights(args: string[], io: CliIo): Promise<number> {
  const { file, options } = parseArgs('export', args, {
    '--weights': { kind: 'path' },
    '--format': { kind: 'choice', choices: ['safetensors', 'json'] },
    '--out': { kind: 'path' },
  });
  const graph = await readGraph(file, 'export');
  const weightsFile = options.get('--weights') as string | undefined;
  if (!weightsFile) throw new UserError('export: --weights FILE is required');
  const format = (options.get('--format') as string | undefined) ?? 'safetensors';
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await readFile(weightsFile));
  } catch (e) {
    throw new UserError(
      `export: cannot read ${weightsFile}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
    );
  }
  let tensors: Map<string, hg.Tensor>;
  try {
    tensors = hg.loadSafetensors(bytes).tensors;
    compileGraph(graph).loadStateDict(tensors);
  } catch (e) {
    throw new UserError(`export: ${weightsFile} does not fit ${file}: ${(e as Error).message}`);
  }
  const out =
    (options.get('--out') as string | undefined) ??
    weightsFile.replace(/(\.safetensors)?$/, format === 'json' ? '.json' : '.export.safetensors');
  if (format === 'json') {
    const json = Object.fromEntries(
      [...tensors].map(([k, t]) => [k, { shape: t.shape, dtype: t.dtype, data: Array.from(t.dataSync()) }]),
    );
    await writeFile(out, `${JSON.stringify(json)}\n`);
  } else await writeFile(out, hg.saveSafetensors(tensors, { format: 'pt', producer: 'homemade-grad' }));
  io.out(`exported ${tensors.size} tensors to ${out}`);
  return 0;
}
