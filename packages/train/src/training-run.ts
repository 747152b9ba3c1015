// The one training loop. A TrainingRun holds a compiled graph's data split, optimizer, schedule
// and counters; `next()` takes exactly one unit of work — the next optimisation step, or, when the
// epoch's batches are used up, closing the epoch (validation and metrics) — on any device. The
// CLI, the runtime (in slices between messages) and the studio all drive it the same way:
//   while (!run.finished) { const p = await run.next(); … }
import * as hg from '@hgrad/engine';
import type { TrainingConfig } from '@hgrad/ir';
import type { GraphModel } from './compile.ts';
import type { LoadedData } from './datasets.ts';
import { evaluate, isClassification, type Evaluation } from './evaluate.ts';
import { nonFiniteError } from './faults.ts';
import type { Outputs } from './kinds.ts';
import { makeOptimizer, makeScheduler, type ScheduledRun } from './schedule.ts';

type Tensor = hg.Tensor;
type Subset = hg.data.Subset<Tensor[]>;

/** What one epoch gave (the same record travels to the studio and into metrics.json). */
export interface EpochMetrics {
  epoch: number;
  trainLoss: number;
  /** Accuracy over the epoch's training batches as they were scored while training (null for regression). */
  trainAccuracy: number | null;
  /** Loss on the validation split; null when the split is empty. */
  valLoss: number | null;
  /** Classification accuracy on the validation split (null for regression or no split). */
  valAccuracy: number | null;
  samplesPerSecond: number;
}

export type Progress =
  { kind: 'step'; step: number; loss: number } | { kind: 'epoch'; metrics: EpochMetrics };

export interface TrainingRunOptions {
  /** Called after each forward pass, before backward (the runtime retains output gradients here). */
  onForward?: (values: Map<string, Outputs>, loss: Tensor) => void;
}

/** What a run's checkpoint adds to the engine's (model, optimizer, scheduler, generator). */
interface RunCheckpointExtra {
  shuffle: hg.GeneratorState;
  batchSize: number;
  epochs: number;
}

function splitData(data: LoadedData, validation: number, seed: number): [Subset, Subset] {
  const ds = new hg.data.TensorDataset(data.x, data.y);
  const nVal = Math.round(ds.length * validation);
  const [train, val] = hg.data.randomSplit(ds, [ds.length - nVal, nVal], new hg.Generator(seed));
  return [train!, val!];
}

export class TrainingRun {
  readonly optimizer: hg.optim.Optimizer;
  private readonly schedule: ScheduledRun | null;
  readonly train: Subset;
  readonly val: Subset;
  private loader: hg.data.DataLoader<Tensor[], Tensor[]>;
  private readonly shuffle: hg.Generator;
  private batches: Iterator<Tensor[]> | null = null;
  /** Steps taken so far, and epochs completed. */
  step = 0;
  epoch = 0;
  private epochLoss = 0;
  private epochBatches = 0;
  private epochCorrect = 0;
  private epochScored = 0;
  private epochStarted = 0;
  /** Every node's outputs from the latest step (for inspection). */
  lastValues: Map<string, Outputs> = new Map();
  /** Where the model's parameters live; batches are moved there. */
  readonly device: hg.Device;

  constructor(
    readonly model: GraphModel,
    readonly config: TrainingConfig,
    data: LoadedData,
    private readonly options: TrainingRunOptions = {},
  ) {
    this.device = model.parameters()[0]?.device ?? 'cpu';
    hg.manualSeed(config.seed);
    [this.train, this.val] = splitData(data, config.validationSplit, config.seed);
    if (this.train.length === 0)
      throw new Error(
        `the training split is empty: ${data.x.shape[0]} samples with validationSplit ${config.validationSplit}`,
      );
    this.optimizer = makeOptimizer(config.optimizer, model.parameters());
    this.shuffle = new hg.Generator(config.seed);
    this.loader = this.makeLoader(config.batchSize);
    this.schedule = config.schedule
      ? makeScheduler(config.schedule, this.optimizer, {
          epochs: config.epochs,
          stepsPerEpoch: this.loader.length,
        })
      : null;
  }

  private makeLoader(batchSize: number): hg.data.DataLoader<Tensor[], Tensor[]> {
    return new hg.data.DataLoader(this.train, { batchSize, shuffle: true, generator: this.shuffle });
  }

  get stepsPerEpoch(): number {
    return this.loader.length;
  }

  /** True once the configured number of epochs has been completed. */
  get finished(): boolean {
    return this.epoch >= this.config.epochs;
  }

  /** The current learning rate (of the first parameter group). */
  get lr(): number {
    return this.optimizer.paramGroups[0]!.options.lr as number;
  }

  setLearningRate(lr: number): void {
    for (const g of this.optimizer.paramGroups) g.options.lr = lr;
  }

  /** Takes effect from the next epoch. */
  setBatchSize(batchSize: number): void {
    this.loader = this.makeLoader(batchSize);
  }

  /**
   * Everything needed to continue this run exactly where it is (between epochs): weights,
   * optimizer and scheduler state, the step and epoch, the shuffling and dropout generators.
   */
  checkpoint(): Promise<hg.CheckpointFiles> {
    if (this.batches) throw new Error('a training run can be checkpointed between epochs only');
    const extra: RunCheckpointExtra = {
      shuffle: this.shuffle.getState(),
      batchSize: this.loader.batchSize,
      epochs: this.config.epochs,
    };
    return hg.saveCheckpointAsync(
      { model: this.model, optimizer: this.optimizer, scheduler: this.schedule?.scheduler ?? null },
      { step: this.step, epoch: this.epoch, extra: { ...extra } },
    );
  }

  /**
   * Continues from a checkpoint of a run of the same graph and data: afterwards, training gives
   * what the uninterrupted run would have (the schedule is the one of this run's settings).
   */
  restore(files: hg.CheckpointFiles): void {
    const { step, epoch, extra } = hg.loadCheckpoint(files, {
      model: this.model,
      optimizer: this.optimizer,
      scheduler: this.schedule?.scheduler ?? null,
    });
    const saved = extra as Partial<RunCheckpointExtra>;
    if (!saved.shuffle)
      throw new Error('checkpoint: it holds no data-order state (not a training-run checkpoint)');
    this.shuffle.setState(saved.shuffle);
    if (saved.batchSize && saved.batchSize !== this.loader.batchSize)
      this.loader = this.makeLoader(saved.batchSize);
    this.step = step;
    this.epoch = epoch;
    this.batches = null;
  }

  /** The next unit of work: one optimisation step, or closing an epoch whose batches are used up. */
  async next(): Promise<Progress> {
    const batch = this.nextBatch();
    if (!batch) return { kind: 'epoch', metrics: await this.closeEpoch() };
    return { kind: 'step', step: this.step + 1, loss: await this.takeStep(batch) };
  }

  /** Runs next() until a step is taken (closing an epoch on the way if it had ended). */
  async nextStep(): Promise<{ step: number; loss: number; closed: EpochMetrics | null }> {
    let closed: EpochMetrics | null = null;
    for (;;) {
      const p = await this.next();
      if (p.kind === 'step') return { ...p, closed };
      closed = p.metrics;
    }
  }

  /** Loss and accuracy on the validation split, in batches. */
  evaluate(): Promise<Evaluation> {
    return evaluate(this.model, this.val, this.config.batchSize);
  }

  /**
   * One step. On a GPU it runs in a memory scope that frees its intermediates, and the loss is
   * read back before backward, so a non-finite loss never updates the weights (on the CPU too).
   */
  private async takeStep([xCpu, yCpu]: [Tensor, Tensor]): Promise<number> {
    const onGpu = this.device !== 'cpu';
    // The previous step's values stay readable (an inspection may arrive during the awaits
    // below) and are freed once this step's replace them.
    const previous = this.lastValues;
    const scope = onGpu ? hg.startScope() : null;
    let kept: unknown = null;
    try {
      const [x, y] = onGpu ? [xCpu.to(this.device), yCpu.to(this.device)] : [xCpu, yCpu];
      this.optimizer.zeroGrad();
      const { loss, values, prediction } = this.model.forward({ x, y });
      if (!loss) throw new Error('the graph has no loss node to train');
      this.options.onForward?.(values, loss);
      const value = onGpu ? (await loss.data())[0]! : loss.item();
      if (!Number.isFinite(value))
        throw await nonFiniteError(this.model, values, { x: xCpu, y: yCpu }, this.step + 1);
      loss.backward();
      this.optimizer.step();
      this.afterStep(value);
      if (isClassification(prediction, y)) {
        const correct = hg.noGrad(() => prediction!.argmax(-1).eq(y).sum());
        this.epochCorrect += onGpu ? (await correct.data())[0]! : correct.item();
        this.epochScored += y.numel();
      }
      this.lastValues = values;
      kept = values;
      if (onGpu) hg.release(previous);
      return value;
    } finally {
      if (scope) hg.endScope(scope, kept);
    }
  }

  /** The next training batch (on the CPU), or null at the end of the epoch. */
  private nextBatch(): [Tensor, Tensor] | null {
    if (!this.batches) {
      this.batches = this.loader[Symbol.iterator]();
      this.epochLoss = 0;
      this.epochBatches = 0;
      this.epochCorrect = 0;
      this.epochScored = 0;
      this.epochStarted = performance.now();
      this.model.train();
    }
    const next = this.batches.next();
    if (next.done) return null;
    return [next.value[0]!, next.value[1]!];
  }

  private afterStep(value: number): void {
    // One-cycle must not step past its last step (PyTorch raises there).
    if (this.schedule?.every === 'step' && this.step + 1 < this.config.epochs * this.loader.length)
      this.schedule.scheduler.step();
    this.step++;
    this.epochLoss += value;
    this.epochBatches++;
  }

  private async closeEpoch(): Promise<EpochMetrics> {
    const seconds = (performance.now() - this.epochStarted) / 1000;
    this.batches = null;
    this.epoch++;
    if (this.schedule?.every === 'epoch') this.schedule.scheduler.step();
    const trained = {
      epoch: this.epoch,
      trainLoss: this.epochLoss / Math.max(1, this.epochBatches),
      trainAccuracy: this.epochScored ? this.epochCorrect / this.epochScored : null,
      samplesPerSecond: this.train.length / Math.max(seconds, 1e-9),
    };
    const { loss, accuracy } = await this.evaluate();
    return { ...trained, valLoss: loss, valAccuracy: accuracy };
  }
}
