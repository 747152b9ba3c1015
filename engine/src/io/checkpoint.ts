// Checkpoints: the model's weights as safetensors (PyTorch's state-dict keys, loadable by
// PyTorch) plus a JSON document with the optimizer, scheduler, generator state and the step
// count. Restoring all of it makes resumed training bit-identical to uninterrupted training.
import type { Module } from '../nn/module.ts';
import type { Optimizer, OptimizerStateDict } from '../optim/optimizer.ts';
import type { Generator, GeneratorState } from '../random.ts';
import { defaultGenerator } from '../random.ts';
import { loadSafetensors, saveSafetensors } from './safetensors.ts';
import type { Tensor } from '../tensor.ts';

export const CHECKPOINT_FORMAT = 'hgrad-checkpoint';
export const CHECKPOINT_VERSION = 1;

interface Schedulerish {
  stateDict(): unknown;
  loadStateDict(state: never): void;
}

export interface TrainingState {
  model: Module;
  optimizer?: Optimizer | null;
  scheduler?: Schedulerish | null;
  generator?: Generator;
}

export interface CheckpointFiles {
  /** Model weights in safetensors format. */
  weights: Uint8Array;
  /** Everything else, as JSON text. */
  state: string;
}

interface CheckpointJson {
  format: typeof CHECKPOINT_FORMAT;
  version: number;
  step: number;
  epoch: number;
  optimizer: OptimizerStateDict | null;
  scheduler: unknown;
  generator: GeneratorState;
  extra: Record<string, unknown>;
}

export function saveCheckpoint(state: TrainingState, info: CheckpointInfo): CheckpointFiles {
  return checkpointFiles(state, state.model.stateDict(), state.optimizer?.stateDict() ?? null, info);
}

/** saveCheckpoint for a model and optimizer on any device (a GPU's state is read back asynchronously). */
export async function saveCheckpointAsync(
  state: TrainingState,
  info: CheckpointInfo,
): Promise<CheckpointFiles> {
  const optimizer = state.optimizer ? await state.optimizer.stateDictAsync() : null;
  return checkpointFiles(state, await state.model.stateDictAsync(), optimizer, info);
}

export interface CheckpointInfo {
  step: number;
  epoch?: number;
  extra?: Record<string, unknown>;
}

function checkpointFiles(
  { scheduler = null, generator = defaultGenerator }: TrainingState,
  weights: Map<string, Tensor>,
  optimizer: OptimizerStateDict | null,
  { step, epoch = 0, extra = {} }: CheckpointInfo,
): CheckpointFiles {
  const json: CheckpointJson = {
    format: CHECKPOINT_FORMAT,
    version: CHECKPOINT_VERSION,
    step,
    epoch,
    optimizer,
    scheduler: scheduler ? scheduler.stateDict() : null,
    generator: generator.getState(),
    extra,
  };
  return {
    weights: saveSafetensors(weights, { format: 'pt', producer: 'homemade-grad', step: String(step) }),
    state: JSON.stringify(json),
  };
}

/** Restores everything in place; a weights file that does not fit the model names the tensors. */
export function loadCheckpoint(
  files: CheckpointFiles,
  { model, optimizer = null, scheduler = null, generator = defaultGenerator }: TrainingState,
): { step: number; epoch: number; extra: Record<string, unknown> } {
  let json: CheckpointJson;
  try {
    json = JSON.parse(files.state);
  } catch (e) {
    throw new Error(`checkpoint: the state file is not valid JSON (${(e as Error).message})`, { cause: e });
  }
  if (json.format !== CHECKPOINT_FORMAT)
    throw new Error(`checkpoint: not a homemade-grad checkpoint (format ${JSON.stringify(json.format)})`);
  if (json.version > CHECKPOINT_VERSION)
    throw new Error(
      `checkpoint: version ${json.version} is newer than this engine supports (${CHECKPOINT_VERSION})`,
    );
  const { tensors } = loadSafetensors(files.weights);
  model.loadStateDict(tensors);
  if (optimizer) {
    if (!json.optimizer) throw new Error('checkpoint: it holds no optimizer state to restore');
    optimizer.loadStateDict(json.optimizer);
  }
  if (scheduler && json.scheduler) scheduler.loadStateDict(json.scheduler as never);
  generator.setState(json.generator);
  return { step: json.step, epoch: json.epoch, extra: json.extra ?? {} };
}
