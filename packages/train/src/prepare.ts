// Everything a host does before the first step, in one place and one order: seed, compile (the
// seed decides the initial weights), move to the device, make the data, split it and build the
// run. The CLI, the runtime and the tests all start training through this function.
import * as hg from '@hgrad/engine';
import type { CheckedGraph, DatasetParams, TrainingConfig } from '@hgrad/ir';
import { compileGraph, type GraphModel } from './compile.ts';
import { loadDataset, loadTestSet, type DatasetFiles, type LoadedData } from './datasets.ts';
import { TrainingRun, type TrainingRunOptions } from './training-run.ts';

export interface PrepareOptions extends TrainingRunOptions {
  files?: DatasetFiles;
  /** Data already made (a reset keeps the data it had); otherwise it is made from `files`. */
  data?: LoadedData;
  /** The test split already made (with `data`); otherwise it is made from `files`. */
  test?: LoadedData | null;
  /** Settings that replace the document's for this run (the CLI's --seed and --epochs). */
  overrides?: Partial<Pick<TrainingConfig, 'seed' | 'epochs' | 'batchSize'>>;
  /** Train on the first `limit` samples only (a quick try of a large dataset). */
  limit?: number;
  device?: hg.Device;
}

export interface PreparedRun {
  model: GraphModel;
  run: TrainingRun;
  data: LoadedData;
  /** The dataset's own test split (never trained or validated on); null when it has none. */
  test: LoadedData | null;
  config: TrainingConfig;
}

/** The params of the graph's Dataset node (a checked trainable graph has exactly one). */
export function datasetOf(graph: CheckedGraph): DatasetParams {
  const node = graph.document.nodes.find((n) => n.kind === 'Dataset');
  if (!node) throw new Error('the graph has no Dataset node');
  return graph.analysis.nodes.get(node.id)!.params as DatasetParams;
}

/** The per-sample input shape the graph's Dataset gives ('T': a text model takes any length). */
export function sampleShape(graph: CheckedGraph): (number | 'T')[] {
  const node = graph.document.nodes.find((n) => n.kind === 'Dataset');
  if (!node) throw new Error('the graph has no Dataset node');
  return graph.analysis.nodes.get(node.id)!.outputs.x!.slice(1) as (number | 'T')[];
}

export async function prepareRun(graph: CheckedGraph, options: PrepareOptions = {}): Promise<PreparedRun> {
  const training = graph.document.training;
  if (!training) throw new Error('the document has no training section: add one to train');
  const config: TrainingConfig = { ...training, ...options.overrides };
  hg.manualSeed(config.seed);
  const model = compileGraph(graph);
  if (options.device && options.device !== 'cpu') model.to(options.device);
  const loaded = options.data ?? (await loadDataset(datasetOf(graph), config.seed, options.files));
  const n = Math.min(options.limit ?? Infinity, loaded.x.shape[0]!);
  const data =
    n < loaded.x.shape[0]!
      ? {
          x: loaded.x.narrow(0, 0, n),
          y: loaded.y.narrow(0, 0, n),
          ...(loaded.validation ? { validation: loaded.validation.filter((i) => i < n) } : {}),
        }
      : loaded;
  const run = new TrainingRun(model, config, data, options);
  const test = options.data
    ? (options.test ?? null)
    : (loaded.test ?? (await loadTestSet(datasetOf(graph), options.files)));
  return { model, run, data, test, config };
}
