// A graph's training configuration turned into engine objects: its dataset (split into train
// and validation), its optimizer, and a plain epoch loop that reports metrics.
import type { GraphDocument, TrainingConfig } from '@hgrad/ir';
import { detectAnomaly, noGrad } from '../autograd/grad-mode.ts';
import { manualSeed, Generator } from '../random.ts';
import type { Tensor } from '../tensor.ts';
import { DataLoader, randomSplit, TensorDataset, type Subset } from '../data/dataset.ts';
import * as synthetic from '../data/synthetic.ts';
import { fashionMnist } from '../data/idx.ts';
import { makeScheduler, type ScheduledRun } from './schedule.ts';
import { CharTokenizer } from '../data/text.ts';
import { tensor } from '../creation.ts';
import { SGD } from '../optim/sgd.ts';
import { Adam, AdamW } from '../optim/adam.ts';
import { Adagrad, RMSprop } from '../optim/rmsprop.ts';
import type { Optimizer } from '../optim/optimizer.ts';
import type { GraphModel } from './compile.ts';
import type { Device } from '../backend/types.ts';
import { endScope, release, startScope } from '../scope.ts';

export interface DatasetFiles {
  /** Fashion-MNIST IDX bytes (raw or gzip), supplied by the host (file system, fetch…). */
  fashionMnist?: { images: Uint8Array; labels: Uint8Array };
  /** The text corpus for character datasets. */
  text?: string;
}

export async function loadGraphDataset(
  config: TrainingConfig['dataset'],
  seed: number,
  files: DatasetFiles = {},
): Promise<{ x: Tensor; y: Tensor }> {
  const p = config.params as Record<string, number>;
  const n = p.samples ?? 600;
  switch (config.name) {
    case 'blobs':
      return synthetic.blobs(n, { classes: p.classes ?? 3, seed });
    case 'moons':
      return synthetic.moons(n, { seed, noise: p.noise ?? 0.1 });
    case 'circles':
      return synthetic.circles(n, { seed, noise: p.noise ?? 0.05 });
    case 'spirals':
      return synthetic.spirals(n, { seed, noise: p.noise ?? 0.1 });
    case 'xor':
      return synthetic.xor(n, { seed, noise: p.noise ?? 0 });
    case 'linear-regression':
      return synthetic.linearRegression(n, { seed });
    case 'sine':
      return synthetic.sine(n, { seed });
    case 'fashion-mnist': {
      if (!files.fashionMnist)
        throw new Error("dataset 'fashion-mnist': no image files were supplied by the host");
      return fashionMnist(files.fashionMnist.images, files.fashionMnist.labels);
    }
    case 'genesis': {
      if (files.text === undefined) throw new Error("dataset 'genesis': no text was supplied by the host");
      return characterWindows(files.text, p.seqLen ?? 32, p.samples ?? 2000);
    }
    default:
      throw new Error(
        `dataset '${config.name}' is not available (known: blobs, moons, circles, spirals, xor, linear-regression, sine, fashion-mnist)`,
      );
  }
}

/** `count` windows of `seqLen` characters spread over the text, with next-character targets. */
function characterWindows(text: string, seqLen: number, count: number): { x: Tensor; y: Tensor } {
  const tok = new CharTokenizer(text);
  const ids = tok.encode(text);
  const windows = Math.min(count, ids.length - seqLen - 1);
  const stride = Math.max(1, Math.floor((ids.length - seqLen - 1) / windows));
  const x = new Int32Array(windows * seqLen);
  const y = new Int32Array(windows * seqLen);
  for (let w = 0; w < windows; w++)
    for (let t = 0; t < seqLen; t++) {
      x[w * seqLen + t] = ids[w * stride + t]!;
      y[w * seqLen + t] = ids[w * stride + t + 1]!;
    }
  return { x: tensor(x, { shape: [windows, seqLen] }), y: tensor(y, { shape: [windows, seqLen] }) };
}

export function makeOptimizer(config: TrainingConfig['optimizer'], params: Tensor[]): Optimizer {
  const extra = config.params as Record<string, never>;
  const options = { ...extra, lr: config.lr };
  switch (config.kind) {
    case 'sgd':
      return new SGD(params, options);
    case 'adam':
      return new Adam(params, options);
    case 'adamw':
      return new AdamW(params, options);
    case 'rmsprop':
      return new RMSprop(params, options);
    case 'adagrad':
      return new Adagrad(params, options);
  }
}

export interface EpochMetrics {
  epoch: number;
  trainLoss: number;
  /** Accuracy over the epoch's training batches, as they were scored while training (null for regression). */
  trainAccuracy: number | null;
  valLoss: number;
  /** Classification accuracy on the validation split (null for regression). */
  valAccuracy: number | null;
  samplesPerSecond: number;
}

export interface TrainOptions {
  epochs?: number;
  onStep?: (step: number, loss: number) => void;
  onEpoch?: (m: EpochMetrics) => void;
}

function splitData(
  x: Tensor,
  y: Tensor,
  validation: number,
  seed: number,
): [Subset<Tensor[]>, Subset<Tensor[]>] {
  const ds = new TensorDataset(x, y);
  const nVal = Math.round(ds.length * validation);
  const [train, val] = randomSplit(ds, [ds.length - nVal, nVal], new Generator(seed));
  return [train!, val!];
}

function batchOf(subset: Subset<Tensor[]>): Tensor[] {
  const loader = new DataLoader(subset, { batchSize: Math.max(1, subset.length) });
  return loader[Symbol.iterator]().next().value as Tensor[];
}

/**
 * One training run of a compiled graph with its document's configuration, advanced a step at a
 * time (the worker runtime interleaves steps with messages; trainGraph loops over it).
 */
export class TrainingRun {
  readonly optimizer: Optimizer;
  private readonly schedule: ScheduledRun | null;
  readonly train: Subset<Tensor[]>;
  readonly val: Subset<Tensor[]>;
  private loader: DataLoader<Tensor[], Tensor[]>;
  private readonly shuffle: Generator;
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
  lastValues: Map<string, Record<string, Tensor>> = new Map();
  /** Retain the gradient of every node output at each step (read from lastValues). */
  retainOutputGrads = false;

  /** Where the model's parameters live; batches are moved there. */
  readonly device: Device;

  constructor(
    readonly model: GraphModel,
    readonly doc: GraphDocument,
    data: { x: Tensor; y: Tensor },
  ) {
    this.device = model.parameters()[0]?.device ?? 'cpu';
    const cfg = doc.training;
    if (!cfg) throw new Error('the document has no training configuration');
    manualSeed(cfg.seed);
    [this.train, this.val] = splitData(data.x, data.y, cfg.dataset.validationSplit, cfg.seed);
    this.optimizer = makeOptimizer(cfg.optimizer, model.parameters());
    this.shuffle = new Generator(cfg.seed);
    this.loader = new DataLoader(this.train, {
      batchSize: cfg.batchSize,
      shuffle: true,
      generator: this.shuffle,
    });
    this.schedule = cfg.schedule
      ? makeScheduler(cfg.schedule, this.optimizer, { epochs: cfg.epochs, stepsPerEpoch: this.loader.length })
      : null;
  }

  get stepsPerEpoch(): number {
    return this.loader.length;
  }

  setLearningRate(lr: number): void {
    for (const g of this.optimizer.paramGroups) g.options.lr = lr;
  }

  /** Takes effect from the next epoch. */
  setBatchSize(batchSize: number): void {
    this.loader = new DataLoader(this.train, { batchSize, shuffle: true, generator: this.shuffle });
  }

  /** One optimisation step; returns its loss, or null when the epoch has run out of batches. */
  nextStep(): number | null {
    if (this.device !== 'cpu')
      throw new Error(
        `TrainingRun: the model is on '${this.device}', whose values are read asynchronously: use nextStepAsync()`,
      );
    const xy = this.nextBatch();
    if (!xy) return null;
    const [xb, yb] = xy;
    this.optimizer.zeroGrad();
    const { loss, values, prediction } = this.model.forward({ x: xb, y: yb });
    this.lastValues = values;
    this.retainGrads(values, loss);
    if (!loss) throw new Error('the graph has no loss node to train');
    const value = loss.item();
    if (!Number.isFinite(value)) throw nonFiniteError(this.model, values, { x: xb, y: yb }, this.step + 1);
    loss.backward();
    this.optimizer.step();
    this.afterStep(value);
    if (isClassification(prediction, yb)) {
      this.epochCorrect += noGrad(() => prediction!.argmax(-1).eq(yb).sum().item());
      this.epochScored += yb.numel();
    }
    return value;
  }

  /**
   * nextStep() on any device: on a GPU the step runs in a scope that frees its intermediates,
   * and the loss is read back (awaited) before backward, so a non-finite loss never updates
   * the weights.
   */
  async nextStepAsync(): Promise<number | null> {
    if (this.device === 'cpu') return this.nextStep();
    const xy = this.nextBatch();
    if (!xy) return null;
    // The previous step's values stay readable (an inspection may arrive during the awaits
    // below) and are freed once this step's replace them.
    const previous = this.lastValues;
    const scope = startScope();
    let kept: unknown = null;
    try {
      const [xb, yb] = [xy[0].to(this.device), xy[1].to(this.device)];
      this.optimizer.zeroGrad();
      const { loss, values, prediction } = this.model.forward({ x: xb, y: yb });
      this.retainGrads(values, loss);
      if (!loss) throw new Error('the graph has no loss node to train');
      const value = (await loss.data())[0]!;
      if (!Number.isFinite(value)) throw await nonFiniteErrorAsync(this.model, values, this.step + 1);
      loss.backward();
      this.optimizer.step();
      this.afterStep(value);
      if (isClassification(prediction, yb)) {
        const correct = noGrad(() => prediction!.argmax(-1).eq(yb).sum());
        this.epochCorrect += (await correct.data())[0]!;
        this.epochScored += yb.numel();
      }
      this.lastValues = values;
      kept = values;
      release(previous);
      return value;
    } finally {
      endScope(scope, kept);
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

  /** Keeps each node output's gradient, so the studio can colour edges by gradient magnitude. */
  private retainGrads(values: Map<string, Record<string, Tensor>>, loss: Tensor | null): void {
    if (this.retainOutputGrads)
      for (const outputs of values.values())
        for (const t of Object.values(outputs)) if (t.requiresGrad && t !== loss) t.retainGrad();
  }

  private afterStep(value: number): void {
    const cfg = this.doc.training!;
    if (this.schedule?.every === 'step' && this.step + 1 < cfg.epochs * this.loader.length)
      this.schedule.scheduler.step();
    this.step++;
    this.epochLoss += value;
    this.epochBatches++;
  }

  /** Closes the current epoch: evaluates on the validation split and reports. */
  finishEpoch(): EpochMetrics {
    return { ...this.closeEpoch(), ...evaluate(this.model, this.val) };
  }

  /** finishEpoch() on any device. */
  async finishEpochAsync(): Promise<EpochMetrics> {
    return { ...this.closeEpoch(), ...(await evaluateAsync(this.model, this.val)) };
  }

  private closeEpoch(): Omit<EpochMetrics, 'valLoss' | 'valAccuracy'> {
    const seconds = (performance.now() - this.epochStarted) / 1000;
    this.batches = null;
    this.epoch++;
    if (this.schedule?.every === 'epoch') this.schedule.scheduler.step();
    return {
      epoch: this.epoch,
      trainLoss: this.epochLoss / Math.max(1, this.epochBatches),
      trainAccuracy: this.epochScored ? this.epochCorrect / this.epochScored : null,
      samplesPerSecond: this.train.length / Math.max(seconds, 1e-9),
    };
  }
}

/**
 * Names where a NaN/Inf first appeared: the first node (in graph order) with a non-finite
 * output, and, by replaying the step in anomaly mode, the first engine op that produced it.
 */
function nonFiniteError(
  model: GraphModel,
  values: Map<string, Record<string, Tensor>>,
  batch: Record<string, Tensor>,
  step: number,
): Error {
  const badNode = model.order.find((id) =>
    Object.values(values.get(id) ?? {}).some(
      (t) => t.dtype.startsWith('float') && t.isfinite().logicalNot().any().item() === 1,
    ),
  );
  let op = '';
  try {
    noGrad(() => detectAnomaly(() => model.forward(batch)));
  } catch (e) {
    op = ` (${(e as Error).message.replace(/^node \S+ \([^)]*\): /, '')})`;
  }
  const kind = badNode ? model.analysis.nodes.get(badNode)!.kind.kind : '';
  const where = badNode
    ? `node ${badNode} (${kind}) produced non-finite values${op}`
    : `the loss is not finite${op}`;
  return Object.assign(new Error(`training stopped at step ${step}: ${where}`), { nodeId: badNode });
}

/** nonFiniteError for models on a GPU: the first node with a non-finite output (read back). */
async function nonFiniteErrorAsync(
  model: GraphModel,
  values: Map<string, Record<string, Tensor>>,
  step: number,
): Promise<Error> {
  let badNode: string | undefined;
  for (const id of model.order) {
    for (const t of Object.values(values.get(id) ?? {}))
      if (
        t.dtype.startsWith('float') &&
        (await noGrad(() => t.isfinite().logicalNot().any()).data())[0] === 1
      )
        badNode = id;
    if (badNode) break;
  }
  const kind = badNode ? model.analysis.nodes.get(badNode)!.kind.kind : '';
  const where = badNode ? `node ${badNode} (${kind}) produced non-finite values` : 'the loss is not finite';
  return Object.assign(new Error(`training stopped at step ${step}: ${where}`), { nodeId: badNode });
}

/** Trains a compiled graph with its document's training configuration. */
export async function trainGraph(
  model: GraphModel,
  doc: GraphDocument,
  data: { x: Tensor; y: Tensor },
  options: TrainOptions = {},
): Promise<EpochMetrics[]> {
  const run = new TrainingRun(model, doc, data);
  const history: EpochMetrics[] = [];
  for (let e = 0; e < (options.epochs ?? doc.training!.epochs); e++) {
    for (let loss = await run.nextStepAsync(); loss !== null; loss = await run.nextStepAsync())
      options.onStep?.(run.step, loss);
    const metrics = await run.finishEpochAsync();
    history.push(metrics);
    options.onEpoch?.(metrics);
  }
  return history;
}

/** Class scores against integer labels: the prediction has one more dim (the classes). */
const isClassification = (prediction: Tensor | null, y: Tensor): boolean =>
  y.dtype === 'int32' && prediction !== null && prediction.ndim === y.ndim + 1;

/** evaluate() for a model on any device (validation data is moved to the model's device). */
export async function evaluateAsync(
  model: GraphModel,
  val: Subset<Tensor[]>,
): Promise<{ valLoss: number; valAccuracy: number | null }> {
  const device = model.parameters()[0]?.device ?? 'cpu';
  if (device === 'cpu') return evaluate(model, val);
  if (val.length === 0) return { valLoss: NaN, valAccuracy: null };
  model.eval();
  const scope = startScope();
  try {
    const [x, y] = batchOf(val).map((t) => t.to(device));
    const { loss, prediction } = noGrad(() => model.forward({ x: x!, y: y! }));
    const classification = isClassification(prediction, y!);
    const accuracy = classification ? noGrad(() => prediction!.argmax(-1).eq(y!).float().mean()) : null;
    return {
      valLoss: loss ? (await loss.data())[0]! : NaN,
      valAccuracy: accuracy ? (await accuracy.data())[0]! : null,
    };
  } finally {
    endScope(scope);
  }
}

export function evaluate(
  model: GraphModel,
  val: Subset<Tensor[]>,
): { valLoss: number; valAccuracy: number | null } {
  if (val.length === 0) return { valLoss: NaN, valAccuracy: null };
  model.eval();
  return noGrad(() => {
    const [x, y] = batchOf(val);
    const { loss, prediction } = model.forward({ x: x!, y: y! });
    const classification = isClassification(prediction, y!);
    return {
      valLoss: loss ? loss.item() : NaN,
      valAccuracy: classification ? prediction!.argmax(-1).eq(y!).float().mean().item() : null,
    };
  });
}
