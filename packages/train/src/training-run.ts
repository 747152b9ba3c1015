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
import { nonFiniteError, optimizerFaultError, parametersFinite } from './faults.ts';
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

/** What continuing a run after an edit kept: the studio says so ("kept fc1.weight; initialised fc2 …"). */
export interface CarryReport {
  /** Parameters and buffers whose name and shape were unchanged: their values (and optimizer state) carried over. */
  kept: string[];
  /** Parameters that are new or changed shape, initialised afresh (`was`: the old shape). */
  initialized: { name: string; shape: number[]; was: number[] | null }[];
  /** Whether step, epoch and the data order continued (the data was the same). */
  counters: boolean;
}

const sameShape = (a: readonly number[], b: readonly number[]) =>
  a.length === b.length && a.every((d, i) => d === b[i]);

/** What a run's checkpoint adds to the engine's (model, optimizer, scheduler, generator). */
interface RunCheckpointExtra {
  shuffle: hg.GeneratorState;
  batchSize: number;
  epochs: number;
  /** Taken inside an epoch: how far it had got, and its running sums for the epoch's metrics. */
  inEpoch?: { batches: number; loss: number; correct: number; scored: number };
}

function splitData(data: LoadedData, validation: number, seed: number): [Subset, Subset] {
  const ds = new hg.data.TensorDataset(data.x, data.y);
  // A table whose split column names its validation rows: those, in file order.
  if (data.validation) {
    const held = new Set(data.validation);
    const train = [...Array(ds.length).keys()].filter((i) => !held.has(i));
    return [new hg.data.Subset(ds, train), new hg.data.Subset(ds, data.validation)];
  }
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
  /** The shuffle state the current epoch's order was drawn from (for mid-epoch checkpoints). */
  private epochShuffle: hg.GeneratorState | null = null;
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
    // Mid-epoch, the data order is kept as the shuffle state the epoch started from and how many
    // of its batches were taken, so a restored run takes exactly the batches this one would.
    const extra: RunCheckpointExtra = {
      shuffle: this.batches ? this.epochShuffle! : this.shuffle.getState(),
      batchSize: this.loader.batchSize,
      epochs: this.config.epochs,
      ...(this.batches
        ? {
            inEpoch: {
              batches: this.epochBatches,
              loss: this.epochLoss,
              correct: this.epochCorrect,
              scored: this.epochScored,
            },
          }
        : {}),
    };
    return hg.saveCheckpointAsync(
      { model: this.model, optimizer: this.optimizer, scheduler: this.schedule?.scheduler ?? null },
      { step: this.step, epoch: this.epoch, extra: { ...extra } },
    );
  }

  /**
   * Continues from a checkpoint of a run of the same graph and data (taken between epochs or
   * inside one): afterwards, training gives what the uninterrupted run would have.
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
    if (saved.inEpoch) {
      // Replay the epoch's data order up to where the checkpoint was taken.
      for (let i = 0; i < saved.inEpoch.batches; i++) this.nextBatch();
      this.epochBatches = saved.inEpoch.batches;
      this.epochLoss = saved.inEpoch.loss;
      this.epochCorrect = saved.inEpoch.correct;
      this.epochScored = saved.inEpoch.scored;
    }
  }

  /**
   * Continues `previous` (a run of an earlier version of the graph) in this one, after an edit:
   * every parameter and buffer whose name and shape are unchanged keeps its value and its
   * optimizer state (when the optimizer kind is the same); the rest stay freshly initialised.
   * With the same data, the step and epoch counters, the data order and the schedule's position
   * continue too, so a settings change applies from the next step to the trained weights.
   */
  continueFrom(previous: TrainingRun, { sameData }: { sameData: boolean }): CarryReport {
    const report: CarryReport = { kept: [], initialized: [], counters: sameData };
    const oldParams = new Map(previous.model.namedParameters());
    const sameOptimizer = previous.optimizer.constructor === this.optimizer.constructor;
    hg.noGrad(() => {
      for (const [name, p] of this.model.namedParameters()) {
        const old = oldParams.get(name);
        if (!old || !sameShape(old.shape, p.shape) || old.device !== p.device) {
          report.initialized.push({ name, shape: [...p.shape], was: old ? [...old.shape] : null });
          continue;
        }
        p.copy_(old);
        report.kept.push(name);
        const state = sameOptimizer ? previous.optimizer.state.get(old) : undefined;
        if (state)
          this.optimizer.state.set(
            p,
            Object.fromEntries(
              Object.entries(state).map(([k, v]) => [k, typeof v === 'number' ? v : hg.keep(v.clone())]),
            ),
          );
      }
      const oldBuffers = new Map(previous.model.namedBuffers());
      for (const [name, b] of this.model.namedBuffers()) {
        const old = oldBuffers.get(name);
        if (old && sameShape(old.shape, b.shape) && old.dtype === b.dtype && old.device === b.device) {
          b.copy_(old);
          report.kept.push(name);
        }
      }
    });
    if (sameData) {
      this.step = previous.step;
      this.epoch = previous.epoch;
      this.shuffle.setState(previous.shuffle.getState());
      // The schedule (perhaps a new one) at the run's current position.
      if (this.schedule) {
        const { every, scheduler } = this.schedule;
        const last = this.config.epochs * this.loader.length - 1;
        const position = every === 'step' ? Math.min(this.step, last) : this.epoch;
        for (let i = 0; i < position; i++) scheduler.step();
      }
    }
    return report;
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
   * One step, in a memory scope that frees its intermediates (GPU memory; on the CPU, large
   * buffers go back to the engine's pool for the next step). The loss is read back before
   * backward, so a non-finite loss never updates the weights.
   */
  private async takeStep([xCpu, yCpu]: [Tensor, Tensor]): Promise<number> {
    const onGpu = this.device !== 'cpu';
    // The previous step's values stay readable (an inspection may arrive during the awaits
    // below) and are freed once this step's replace them.
    const previous = this.lastValues;
    const scope = hg.startScope();
    let kept: unknown = null;
    try {
      const [x, y] = onGpu ? [xCpu.to(this.device), yCpu.to(this.device)] : [xCpu, yCpu];
      this.optimizer.zeroGrad();
      const { loss, values, prediction } = this.model.forward({ x, y });
      if (!loss) throw new Error('the graph has no loss node to train');
      this.options.onForward?.(values, loss);
      const value = onGpu ? (await loss.data())[0]! : loss.item();
      if (!Number.isFinite(value))
        throw await nonFiniteError(this.model, values, { x: xCpu, y: yCpu }, this.step + 1, this.lr);
      loss.backward();
      this.optimizer.step();
      // Weights that stopped being finite are never trained on (or written) silently: the run
      // stops naming the parameter and whether backward or the optimizer step overflowed.
      if (!(await parametersFinite(this.model.parameters())))
        throw await optimizerFaultError(
          [...this.model.namedParameters()],
          this.config.optimizer.kind,
          this.lr,
          this.step + 1,
        );
      this.afterStep(value);
      if (isClassification(prediction, y)) {
        const correct = hg.noGrad(() => prediction!.argmax(-1).eq(y).sum());
        this.epochCorrect += onGpu ? (await correct.data())[0]! : correct.item();
        this.epochScored += y.numel();
      }
      this.lastValues = values;
      kept = values;
      // On the CPU the previous values are left to the collector: they may share memory with
      // the batch itself (the input node's value), which outlives the step.
      if (onGpu) hg.release(previous);
      return value;
    } finally {
      hg.endScope(scope, kept);
    }
  }

  /** The next training batch (on the CPU), or null at the end of the epoch. */
  private nextBatch(): [Tensor, Tensor] | null {
    if (!this.batches) {
      this.epochShuffle = this.shuffle.getState();
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
