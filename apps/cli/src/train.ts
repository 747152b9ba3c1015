// hgrad train: the document's training run through @hgrad/train's one loop, with a progress bar,
// per-epoch metrics, then the weights (with the graph in their metadata), a checkpoint and
// metrics.json.
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { availableParallelism } from 'node:os';
import * as hg from '@hgrad/engine';
import { datasetClasses, type CheckedGraph } from '@hgrad/ir';
import { reportLines } from './evaluate.ts';
import { datasetFiles } from './dataset-files.ts';
import { weightsMetadata } from '@hgrad/export';
import {
  evaluationReport,
  datasetOf,
  prepareRun,
  type EpochMetrics,
  TrainingStopped,
  type TrainingRun,
} from '@hgrad/train';
import {
  disableNodeMatmulThreads,
  enableNodeMatmulThreads,
  matmulThreadsReady,
} from '@hgrad/runtime/node-matmul-threads';
import { parseArgs, type OptionSpec } from './args.ts';
import { UserError, type CliIo } from './io.ts';
import { readGraph } from './load.ts';
import { makeFolder, writeOutput } from './files.ts';

export const TRAIN_OPTIONS = {
  '--epochs': { kind: 'int', min: 1, max: 100_000 },
  '--seed': { kind: 'int', min: 0, max: 2 ** 32 - 1 },
  '--device': { kind: 'choice', choices: ['cpu', 'webgpu'] },
  '--out': { kind: 'path' },
  '--limit': { kind: 'int', min: 1, max: 100_000_000 },
  '--resume': { kind: 'path' },
} satisfies Record<string, OptionSpec>;

const percent = (v: number | null) => (v === null ? '' : `${(v * 100).toFixed(1)}%`);

function epochLine(m: EpochMetrics, epochs: number): string {
  return (
    `epoch ${m.epoch}/${epochs}: train loss ${m.trainLoss.toFixed(4)}` +
    (m.trainAccuracy !== null ? `, train accuracy ${percent(m.trainAccuracy)}` : '') +
    (m.valLoss !== null ? `, val loss ${m.valLoss.toFixed(4)}` : ', no validation split') +
    (m.valAccuracy !== null ? `, val accuracy ${percent(m.valAccuracy)}` : '') +
    `, ${Math.round(m.samplesPerSecond)} samples/s`
  );
}

async function startDevice(device: hg.Device): Promise<hg.WebGPUBackend | null> {
  if (device !== 'webgpu') return null;
  try {
    return await hg.initWebGPU();
  } catch (e) {
    throw new UserError(`train: --device webgpu: ${(e as Error).message}; use --device cpu`);
  }
}

async function writeCheckpoint(
  run: TrainingRun,
  out: string,
  history: readonly EpochMetrics[],
): Promise<void> {
  const ckpt = await run.checkpoint();
  await writeOutput('train', join(out, 'checkpoint.safetensors'), ckpt.weights);
  await writeOutput('train', join(out, 'checkpoint.json'), ckpt.state);
  await writeOutput('train', join(out, 'metrics.json'), `${JSON.stringify(history, null, 2)}\n`);
}

/**
 * Restores a run from a checkpoint (its folder, or its checkpoint.json) and returns the metrics
 * of the epochs it had done, so metrics.json continues the history.
 */
async function resumeRun(run: TrainingRun, from: string, epochs: number, io: CliIo): Promise<EpochMetrics[]> {
  const json = from.endsWith('.json') ? from : join(from, 'checkpoint.json');
  const folder = dirname(json);
  let files: hg.CheckpointFiles;
  try {
    files = {
      state: await readFile(json, 'utf8'),
      weights: new Uint8Array(await readFile(join(folder, 'checkpoint.safetensors'))),
    };
  } catch (e) {
    throw new UserError(
      `train: --resume: cannot read ${(e as NodeJS.ErrnoException).path ?? json}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
    );
  }
  try {
    run.restore(files);
  } catch (e) {
    throw new UserError(`train: --resume ${json}: ${(e as Error).message}`);
  }
  if (run.finished)
    throw new UserError(
      `train: --resume: the checkpoint is at epoch ${run.epoch} of ${epochs}; pass --epochs N (more than ${run.epoch}) to train further`,
    );
  io.out(`resuming from ${json}: epoch ${run.epoch}, step ${run.step}`);
  const history = await readFile(join(folder, 'metrics.json'), 'utf8')
    .then((t) => JSON.parse(t) as EpochMetrics[])
    .catch(() => []);
  return history.filter((m) => m.epoch <= run.epoch);
}

export async function train(args: string[], io: CliIo): Promise<number> {
  const { file, options } = parseArgs('train', args, TRAIN_OPTIONS);
  const graph: CheckedGraph = await readGraph(file, 'train');
  const training = graph.document.training;
  if (!training) throw new UserError(`train: ${file} has no training section`);
  const epochs = (options.get('--epochs') as number | undefined) ?? training.epochs;
  const seed = (options.get('--seed') as number | undefined) ?? training.seed;
  const device = (options.get('--device') as hg.Device | undefined) ?? training.device;
  const out = (options.get('--out') as string | undefined) ?? 'hgrad-out';
  const gpu = await startDevice(device);
  const { model, run, data, test } = await prepareRun(graph, {
    files: await datasetFiles(datasetOf(graph), file),
    overrides: { epochs, seed },
    device,
    ...(options.has('--limit') ? { limit: options.get('--limit') as number } : {}),
  }).catch((e: Error) => {
    throw new UserError(`train: ${e.message}`);
  });
  // Large matmuls use the other cores (helper worker_threads over shared WebAssembly memory).
  const helpers = gpu ? [] : enableNodeMatmulThreads(Math.max(0, Math.min(3, availableParallelism() - 1)));
  try {
    if (helpers.length) await matmulThreadsReady();
    io.out(
      `training ${graph.document.metadata.name}: ${graph.analysis.totalParams} parameters, ${data.x.shape[0]} samples, ${epochs} epochs, seed ${seed} (${hg.computeMode(device)})`,
    );
    const history: EpochMetrics[] = [];
    const resume = options.get('--resume') as string | undefined;
    if (resume) history.push(...(await resumeRun(run, resume, epochs, io)));
    await makeFolder('train', out);
    const perEpoch = run.stepsPerEpoch;
    while (!run.finished) {
      const p = await run.next().catch((e: unknown) => {
        // Numbers that stopped being finite are the run's result, told as such; the weights
        // are not written (the checkpoint of the last completed epoch is kept).
        if (e instanceof TrainingStopped)
          throw new UserError(
            `train: ${e.message}${history.length ? `; the last completed epoch (${history.length}) is in ${join(out, 'checkpoint.safetensors')}` : ''}; no weights were written`,
          );
        throw e;
      });
      if (p.kind === 'epoch') {
        history.push(p.metrics);
        io.out(epochLine(p.metrics, epochs));
        // A checkpoint after every epoch: an interrupted run resumes from the last one.
        await writeCheckpoint(run, out, history);
        continue;
      }
      const within = ((p.step - 1) % perEpoch) + 1;
      const bar = '█'.repeat(Math.round((within / perEpoch) * 20)).padEnd(20, '·');
      io.progress?.(`epoch ${run.epoch + 1}/${epochs} ${bar} loss ${p.loss.toFixed(4)}`);
    }
    // Weights trained on the GPU are read back once, at the end.
    if (gpu) await model.toAsync('cpu');
    await writeOutput(
      'train',
      join(out, 'weights.safetensors'),
      hg.saveSafetensors(model.stateDict(), weightsMetadata(graph)),
    );
    await writeCheckpoint(run, out, history);
    // The dataset's own test split, never trained or validated on, reported under its own name.
    if (test) {
      const report = await evaluationReport(model, test, {
        split: 'test',
        classes: datasetClasses(datasetOf(graph)),
      });
      io.out(reportLines(report, [])[0]!);
    }
    io.out(
      `wrote ${join(out, 'weights.safetensors')}, ${join(out, 'checkpoint.json')} and ${join(out, 'metrics.json')}`,
    );
    return 0;
  } finally {
    await disableNodeMatmulThreads(helpers);
  }
}
