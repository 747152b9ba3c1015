// hgrad's commands beyond validate: info (nodes, shapes, params, FLOPs), train (with progress,
// per-epoch metrics, a checkpoint and the weights) and export (weights as safetensors or JSON).
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { availableParallelism } from 'node:os';
import {
  disableNodeMatmulThreads,
  enableNodeMatmulThreads,
  matmulThreadsReady,
} from '@hgrad/runtime/node-matmul-threads';
import { analyze, parseDocument, type Analysis, type GraphDocument } from '@hgrad/ir';
import * as hg from '@hgrad/engine';
import type { CliIo } from './main.ts';

export class UserError extends Error {}

/** Runs training, then stops the matmul helper threads whatever happens. */
async function trainWith<T>(
  helpers: Parameters<typeof disableNodeMatmulThreads>[0],
  run: () => Promise<T>,
): Promise<T> {
  try {
    return await run();
  } finally {
    await disableNodeMatmulThreads(helpers);
  }
}

export async function loadGraph(
  file: string | undefined,
  command: string,
): Promise<{ doc: GraphDocument; analysis: Analysis }> {
  if (!file) throw new UserError(`${command}: missing FILE (usage: hgrad ${command} FILE)`);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    throw new UserError(
      `${command}: cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
    );
  }
  const parsed = parseDocument(text);
  const problems = parsed.ok ? analyze(parsed.document).problems : parsed.problems;
  if (!parsed.ok || problems.length)
    throw new UserError(
      `${file}: ${problems.length} problem${problems.length === 1 ? '' : 's'}:\n  ${problems.map((p) => p.message).join('\n  ')}`,
    );
  return { doc: parsed.document, analysis: analyze(parsed.document) };
}

const shape = (s: (number | string)[]) => `[${s.join(', ')}]`;

export async function info(file: string | undefined, io: CliIo): Promise<number> {
  const { doc, analysis } = await loadGraph(file, 'info');
  io.out(
    `${doc.metadata.name}: ${doc.nodes.length} nodes, ${analysis.totalParams.toLocaleString('en')} parameters, ${analysis.totalFlops.toLocaleString('en')} FLOPs per sample`,
  );
  const rows = analysis.order.map((id) => {
    const n = analysis.nodes.get(id)!;
    return [
      id,
      n.kind.kind,
      Object.entries(n.outputs)
        .map(([p, s]) => `${p} ${shape(s)}`)
        .join(', '),
      String(n.paramCount),
      String(n.flops),
    ];
  });
  const header = ['node', 'kind', 'outputs', 'params', 'FLOPs'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  for (const r of [header, ...rows])
    io.out(r.map((c, i) => (i >= 3 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  '));
  return 0;
}

function option(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  if (i < 0) return undefined;
  const v = args[i + 1];
  if (v === undefined || v.startsWith('--')) throw new UserError(`${name} needs a value`);
  return v;
}

function intOption(args: string[], name: string): number | undefined {
  const v = option(args, name);
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0)
    throw new UserError(`${name} must be a non-negative integer, got '${v}'`);
  return n;
}

async function datasetFiles(doc: GraphDocument): Promise<hg.DatasetFiles> {
  if (doc.training?.dataset.name === 'genesis')
    return { text: await readFile(new URL('../../../data/text/genesis-kjv.txt', import.meta.url), 'utf8') };
  if (doc.training?.dataset.name !== 'fashion-mnist') return {};
  const full = '/usr/share/datasets/fashion-mnist';
  const dir = existsSync(`${full}/train-images-idx3-ubyte.gz`)
    ? full
    : new URL('../../../data/fashion-mnist', import.meta.url).pathname;
  return {
    fashionMnist: {
      images: new Uint8Array(await readFile(`${dir}/train-images-idx3-ubyte.gz`)),
      labels: new Uint8Array(await readFile(`${dir}/train-labels-idx1-ubyte.gz`)),
    },
  };
}

export async function train(args: string[], io: CliIo): Promise<number> {
  const file = args.find((a, i) => !a.startsWith('--') && !args[i - 1]?.startsWith('--'));
  const { doc, analysis } = await loadGraph(file, 'train');
  if (!doc.training) throw new UserError(`train: ${file} has no training configuration`);
  const epochs = intOption(args, '--epochs') ?? doc.training.epochs;
  const seed = intOption(args, '--seed') ?? doc.training.seed;
  const device = option(args, '--device') ?? doc.training.device;
  if (device !== 'cpu' && device !== 'webgpu')
    throw new UserError(`--device must be cpu or webgpu, got '${device}'`);
  const out = option(args, '--out') ?? 'hgrad-out';
  const configured: GraphDocument = { ...doc, training: { ...doc.training, seed, epochs } };
  hg.manualSeed(seed);
  const model = hg.compileGraph(configured, analysis);
  let gpu: hg.WebGPUBackend | null = null;
  if (device === 'webgpu') {
    try {
      gpu = await hg.initWebGPU();
    } catch (e) {
      throw new UserError(`train: --device webgpu: ${(e as Error).message}; use --device cpu`);
    }
    model.to('webgpu');
  }
  const loaded = await hg.loadGraphDataset(
    configured.training!.dataset,
    seed,
    await datasetFiles(configured),
  );
  // --limit N trains on the first N samples: a quick try of a large dataset.
  const limit = intOption(args, '--limit');
  const n = Math.min(limit ?? Infinity, loaded.x.shape[0]!);
  const data = { x: loaded.x.narrow(0, 0, n), y: loaded.y.narrow(0, 0, n) };
  // Large matmuls use the other cores (helper worker_threads over shared WebAssembly memory).
  const helpers = gpu ? [] : enableNodeMatmulThreads(Math.max(0, Math.min(3, availableParallelism() - 1)));
  const compute = gpu
    ? `WebGPU on ${gpu.info.adapter}`
    : `${hg.matmulKernel() === 'wasm' ? 'WASM SIMD' : 'TypeScript kernels'}, ${helpers.length ? await matmulThreadsReady() : hg.matmulThreadMode()}`;
  io.out(
    `training ${doc.metadata.name}: ${analysis.totalParams} parameters, ${data.x.shape[0]} samples, ${epochs} epochs, seed ${seed} (${compute})`,
  );
  const stepsPerEpoch = Math.ceil(
    (data.x.shape[0]! * (1 - configured.training!.dataset.validationSplit)) / configured.training!.batchSize,
  );
  const history = await trainWith(helpers, () =>
    hg.trainGraph(model, configured, data, {
      onStep: (step, loss) =>
        io.progress?.(
          `epoch ${Math.ceil(step / stepsPerEpoch)}/${epochs} ${'█'.repeat(Math.round(((((step - 1) % stepsPerEpoch) + 1) / stepsPerEpoch) * 20)).padEnd(20, '·')} loss ${loss.toFixed(4)}`,
        ),
      onEpoch: (m) =>
        io.out(
          `epoch ${m.epoch}/${epochs}: train loss ${m.trainLoss.toFixed(4)}` +
            (m.trainAccuracy !== null ? `, train accuracy ${(m.trainAccuracy * 100).toFixed(1)}%` : '') +
            `, val loss ${m.valLoss.toFixed(4)}` +
            (m.valAccuracy !== null ? `, val accuracy ${(m.valAccuracy * 100).toFixed(1)}%` : '') +
            `, ${Math.round(m.samplesPerSecond)} samples/s`,
        ),
    }),
  );
  // Weights trained on the GPU are read back once, at the end.
  if (gpu) await model.toAsync('cpu');
  await mkdir(out, { recursive: true });
  const weights = hg.saveSafetensors(model.stateDict(), {
    format: 'pt',
    producer: 'homemade-grad',
    graph: doc.metadata.name,
  });
  await writeFile(join(out, 'weights.safetensors'), weights);
  const ckpt = hg.saveCheckpoint({ model }, { step: history.length * stepsPerEpoch, epoch: history.length });
  await writeFile(join(out, 'checkpoint.safetensors'), ckpt.weights);
  await writeFile(join(out, 'checkpoint.json'), ckpt.state);
  await writeFile(join(out, 'metrics.json'), `${JSON.stringify(history, null, 2)}\n`);
  io.out(
    `wrote ${join(out, 'weights.safetensors')}, ${join(out, 'checkpoint.json')} and ${join(out, 'metrics.json')}`,
  );
  return 0;
}

export async function exportWeights(args: string[], io: CliIo): Promise<number> {
  const file = args[0];
  const { doc, analysis } = await loadGraph(file, 'export');
  const weightsFile = option(args, '--weights');
  if (!weightsFile) throw new UserError('export: --weights FILE is required');
  const format = option(args, '--format') ?? 'safetensors';
  if (format !== 'safetensors' && format !== 'json')
    throw new UserError(`export: --format must be safetensors or json, got '${format}'`);
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
    const model = hg.compileGraph(doc, analysis);
    model.loadStateDict(tensors);
  } catch (e) {
    throw new UserError(`export: ${weightsFile} does not fit ${file}: ${(e as Error).message}`);
  }
  const out =
    option(args, '--out') ??
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
