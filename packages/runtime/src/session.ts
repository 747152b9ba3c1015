// The runtime session: owns the loaded graph, its model, data and training run, and answers
// protocol requests. It never blocks for long: training advances in short slices of the one
// training loop (TrainingRun.next) and yields to the message loop between them, so pause, stop,
// cancel and inspect arrive promptly. Hosts (Web Worker, Node worker_thread) only move messages.
import { weightsMetadata } from '@hgrad/export';
import * as hg from '@hgrad/engine';
import { loadGraph, type CheckedGraph } from '@hgrad/ir';
import {
  parseRuntimeRequest,
  REQUEST_KINDS,
  RUNTIME_PROTOCOL_VERSION,
  serializeError,
  type RunState,
  type RuntimeEvent,
  type RuntimeOutgoing,
  type RuntimeRequest,
  type RuntimeResult,
} from '@hgrad/protocol';
import {
  compileGraph,
  datasetOf,
  prepareRun,
  scanTable,
  checkNodeGradient,
  type DatasetFiles,
  type GraphModel,
  type LoadedData,
  type Outputs,
  type TrainingRun,
} from '@hgrad/train';
import { evaluationResult } from './evaluation.ts';
import { measureResult } from './table-requests.ts';
import { generateText, predictOne } from './try-it.ts';
import { decodeImages } from './decode-images.ts';
import { ProgressBatcher } from './throttle.ts';
import { findInspected, inspectTensor } from './inspect.ts';
import { DebugSessions } from './session-debug.ts';
import { decisionBoundary } from './decision-boundary.ts';
import { acquireDevice } from './device.ts';
import { sendStats } from './stats.ts';
import { pastView, WeightHistory, type PastView } from './time-travel.ts';

export type Emit = (message: RuntimeOutgoing, transfer?: ArrayBuffer[]) => void;

interface Loaded {
  graph: CheckedGraph;
  /** Where the model trains: the document's device, or 'cpu' when WebGPU could not be had. */
  device: hg.Device;
  data: { x: hg.Tensor; y: hg.Tensor };
  /** The dataset's own test split (Fashion-MNIST's t10k), never trained or validated on. */
  test: { x: hg.Tensor; y: hg.Tensor } | null;
  model: GraphModel;
  run: TrainingRun;
}

/** How long one uninterrupted slice of training may run before yielding to messages. */
const SLICE_MS = 25;

type LoadRequest = Extract<RuntimeRequest, { type: 'load' }>;

export class RuntimeSession {
  private loaded: Loaded | null = null;
  private state: RunState = 'empty';
  private readonly batcher: ProgressBatcher;
  private readonly debug = new DebugSessions();
  /** The long request (step, runEpoch) in progress; it yields between slices so it can be cancelled. */
  private longRequest: { id: number; type: string; cancelled: boolean } | null = null;
  /** The characters of a text dataset, by token id (for the dataset preview). */
  private vocabulary: string[] | null = null;
  private debugCopy: GraphModel | null = null;
  /** Weight snapshots for time travel, and the one being looked at (null: the live run). */
  private readonly history = new WeightHistory();
  private past: PastView | null = null;
  private historyChanged = false;

  constructor(
    private readonly emit: Emit,
    private readonly yieldToMessages: (fn: () => void) => void = (fn) => setTimeout(fn, 0),
  ) {
    this.batcher = new ProgressBatcher(({ firstStep, losses, epochs }) => {
      // Sending transfers (detaches) the losses' buffer: their count is read first.
      const stepped = losses.length > 0;
      if (stepped) this.event({ type: 'losses', firstStep, losses }, [losses.buffer as ArrayBuffer]);
      if (epochs.length) this.event({ type: 'epochs', closed: epochs });
      if (this.historyChanged) this.sendHistory();
      if (stepped) this.sendLiveStats();
    });
  }

  private event(event: RuntimeEvent, transfer: ArrayBuffer[] = []): void {
    this.emit({ v: RUNTIME_PROTOCOL_VERSION, event }, transfer);
  }

  private setState(state: RunState): void {
    // The progress made so far arrives before the state that ends or pauses it.
    this.batcher.flush();
    this.state = state;
    // Buffers kept for the next training step are handed back while no step is coming.
    if (state !== 'training') hg.drainPool();
    this.event({ type: 'state', state, ...this.counters(), compute: hg.computeMode(this.loaded?.device) });
  }

  /** Stats are advisory: a model replaced while they were read is simply not reported. */
  private sendLiveStats(): void {
    const loaded = this.loaded;
    if (!loaded || this.past) return;
    const { model, run } = loaded;
    void sendStats(model, run.lastValues, run.step, run.lr, (e) => this.event(e)).catch(() => undefined);
  }

  private sendHistory(): void {
    this.historyChanged = false;
    this.event({ type: 'history', snapshots: this.history.list(), viewing: this.past?.step ?? null });
  }

  /** A new model or new weights: the history starts again from the run's current state. */
  private async restartHistory(): Promise<void> {
    this.leavePast();
    this.history.clear();
    const { model, run } = this.need();
    await this.history.record(run.step, run.epoch, model);
    this.sendHistory();
  }

  /** Back to the live run (after anything that changes the model, or on request). */
  private leavePast(): void {
    if (!this.past) return;
    this.past = null;
    this.sendHistory();
    this.sendLiveStats();
  }

  private async travel(step: number | null): Promise<RuntimeResult> {
    const { graph, run } = this.need();
    if (step === null) {
      this.leavePast();
      return { type: 'travel', step: null, epoch: null };
    }
    const snapshot = this.history.at(step);
    if (!snapshot)
      throw new Error(
        `travel: no snapshot at step ${step} (kept: ${this.history
          .list()
          .map((s) => s.step)
          .join(', ')})`,
      );
    // Looking back pauses training: the live run would otherwise move on underneath.
    if (this.state === 'training') this.setState('paused');
    this.past = pastView(graph, snapshot, run.train, run.config.batchSize);
    const { model, values } = this.past;
    this.sendHistory();
    await sendStats(model, values, snapshot.step, run.lr, (e) => this.event(e));
    return { type: 'travel', step: snapshot.step, epoch: snapshot.epoch };
  }

  /** The model the studio looks at: a snapshot's while time travelling, else the live one. */
  private viewed(): { model: GraphModel; values: ReadonlyMap<string, Outputs> } {
    const loaded = this.need();
    return this.past ?? { model: loaded.model, values: loaded.run.lastValues };
  }

  private counters(): { step: number; epoch: number } {
    return { step: this.loaded?.run.step ?? 0, epoch: this.loaded?.run.epoch ?? 0 };
  }

  async handle(data: unknown): Promise<void> {
    const parsed = parseRuntimeRequest(data);
    if (!parsed.ok) {
      const error = { name: 'ProtocolError', message: parsed.error };
      this.emit({ v: RUNTIME_PROTOCOL_VERSION, id: parsed.id, ok: false, error });
      return;
    }
    const request = parsed.request;
    const { mutating } = REQUEST_KINDS[request.type];
    try {
      if (this.longRequest && mutating)
        throw new Error(
          `busy: ${this.longRequest.type} (request ${this.longRequest.id}) is running; wait for it or cancel it`,
        );
      // Training changes the weights the open step-through was computed with.
      if (request.type !== 'debug' && mutating) this.debug.close();
      // Anything that changes the model returns from time travel to the live run.
      if (mutating && request.type !== 'setHyperparameters') this.leavePast();
      const result = await this.answer(request);
      this.batcher.flush();
      const transfer =
        result.type === 'weights'
          ? [result.safetensors]
          : result.type === 'report'
            ? [result.inputs.values.buffer as ArrayBuffer]
            : result.type === 'decodedImages'
              ? [result.pixels.buffer as ArrayBuffer]
              : [];
      this.emit({ v: RUNTIME_PROTOCOL_VERSION, id: request.id, ok: true, result }, transfer);
    } catch (e) {
      this.batcher.flush();
      const nodeId = (e as { nodeId?: string }).nodeId;
      this.emit({ v: RUNTIME_PROTOCOL_VERSION, id: request.id, ok: false, error: serializeError(e, nodeId) });
    }
  }

  private need(): Loaded {
    if (!this.loaded) throw new Error('no graph is loaded: send a load request first');
    return this.loaded;
  }

  private ok(): RuntimeResult {
    return { type: 'ok', state: this.state, ...this.counters() };
  }

  private async answer(r: RuntimeRequest): Promise<RuntimeResult> {
    switch (r.type) {
      case 'load':
        return this.load(r);
      case 'step': {
        const { run } = this.need();
        let left = r.steps;
        await this.longRun(r, async () => (await this.advance(run, 'step')) && --left === 0);
        return this.ok();
      }
      case 'runEpoch': {
        const { run } = this.need();
        await this.longRun(r, () => this.advance(run, 'epoch'));
        return this.ok();
      }
      case 'cancel':
        if (this.longRequest?.id !== r.requestId)
          throw new Error(
            `cancel: request ${r.requestId} is not running (only step and runEpoch can be cancelled)`,
          );
        this.longRequest.cancelled = true;
        return this.ok();
      case 'samples':
        return this.samples(r.count);
      case 'scanTable':
        return {
          type: 'tableScan',
          scan: scanTable(r.text, r.delimiter, (fraction) =>
            this.event({ type: 'progress', task: 'scan', fraction }),
          ),
        };
      case 'decodeImages':
        return decodeImages(r.files, r.size, r.channels, (fraction) =>
          this.event({ type: 'progress', task: 'decode', fraction }),
        );
      case 'measureTable':
        return measureResult(r.text, r.choice, (fraction) =>
          this.event({ type: 'progress', task: 'measure', fraction }),
        );
      case 'predict': {
        const { graph } = this.need();
        return predictOne(graph, this.viewed().model, r.values);
      }
      case 'gradcheck': {
        const { model, values } = this.viewed();
        return { type: 'gradcheck', report: checkNodeGradient(model, r.nodeId, values) };
      }
      case 'generate': {
        const { model } = this.viewed();
        if (!this.vocabulary)
          throw new Error('generate: this graph does not read text (only character models generate)');
        return {
          type: 'generated',
          text: generateText(model, this.vocabulary, r.prompt, {
            length: r.length,
            temperature: r.temperature,
            seed: r.seed ?? 0,
            context: 256,
          }),
        };
      }
      case 'report': {
        const { graph, run, test } = this.need();
        return evaluationResult(
          this.viewed().model,
          datasetOf(graph),
          r.split === 'test' ? test : run.val,
          r.split,
          {
            examples: r.examples ?? 200,
            vocabulary: this.vocabulary,
          },
        );
      }
      case 'decisionBoundary': {
        const { run } = this.need();
        const { model } = this.viewed();
        return { type: 'decisionBoundary', boundary: await decisionBoundary(model, run.train, r.resolution) };
      }
      case 'debug': {
        const { run } = this.need();
        if (r.action === 'start' && this.state === 'training') this.setState('paused');
        return this.debug.answer(r, await this.debugModel(r.action), run.train);
      }
      case 'start':
        this.need();
        if (this.state !== 'training') {
          this.setState('training');
          this.yieldToMessages(() => void this.trainSlice());
        }
        return this.ok();
      case 'pause':
        if (this.state === 'training') this.setState('paused');
        return this.ok();
      case 'stop':
        if (this.loaded) this.setState('ready');
        return this.ok();
      case 'evaluate': {
        const m = await this.need().run.evaluate();
        return { type: 'metrics', valLoss: m.loss, valAccuracy: m.accuracy };
      }
      case 'setHyperparameters': {
        const { run } = this.need();
        if (r.lr !== undefined) run.setLearningRate(r.lr);
        if (r.batchSize !== undefined) run.setBatchSize(r.batchSize);
        return this.ok();
      }
      case 'resetWeights': {
        const { graph, data, test, device } = this.need();
        await this.build(graph, { data, test }, r.seed ?? graph.document.training!.seed, device);
        this.setState('ready');
        await this.restartHistory();
        return this.ok();
      }
      case 'getWeights': {
        const { model, graph } = this.need();
        const state = await model.stateDictAsync();
        const bytes = hg.saveSafetensors(state, weightsMetadata(graph));
        return { type: 'weights', safetensors: bytes.buffer as ArrayBuffer, names: [...state.keys()] };
      }
      case 'inspect': {
        const { model, values } = this.viewed();
        if (r.target.kind === 'debug')
          return { type: 'inspection', inspection: this.debug.inspect(r.target, r.full ?? false) };
        const onCpu = await findInspected(model, values, r.target).detach().toAsync('cpu');
        return {
          type: 'inspection',
          inspection: inspectTensor(onCpu, r.full ?? false, r.target.kind === 'output'),
        };
      }
      case 'snapshot': {
        const { run } = this.need();
        const files = await run.checkpoint();
        return {
          type: 'snapshot',
          weights: files.weights.slice().buffer,
          state: files.state,
          step: run.step,
          epoch: run.epoch,
        };
      }
      case 'restoreSnapshot': {
        const { run } = this.need();
        run.restore({ weights: new Uint8Array(r.weights), state: r.state });
        await this.restartHistory();
        return this.ok();
      }
      case 'loadWeights':
        this.need().model.loadStateDict(hg.loadSafetensors(new Uint8Array(r.safetensors)).tensors);
        await this.restartHistory();
        return this.ok();
      case 'travel':
        return this.travel(r.step);
    }
  }

  private async load(r: LoadRequest): Promise<RuntimeResult> {
    const loaded = loadGraph(r.document);
    if (!loaded.ok) return { type: 'problems', problems: loaded.problems };
    const graph = loaded.graph;
    const training = graph.document.training;
    if (!training)
      return {
        type: 'problems',
        problems: [{ path: 'training', message: 'the graph has no training configuration' }],
      };
    const files: DatasetFiles = {
      text: r.files?.text,
      ...(r.files?.table !== undefined ? { table: r.files.table } : {}),
      ...(r.files?.images ? { images: r.files.images } : {}),
    };
    if (r.files?.fashionImages && r.files.fashionLabels)
      files.fashionMnist = {
        images: new Uint8Array(r.files.fashionImages),
        labels: new Uint8Array(r.files.fashionLabels),
      };
    if (r.files?.fashionTestImages && r.files.fashionTestLabels)
      files.fashionMnistTest = {
        images: new Uint8Array(r.files.fashionTestImages),
        labels: new Uint8Array(r.files.fashionTestLabels),
      };
    this.vocabulary = files.text !== undefined ? new hg.data.CharTokenizer(files.text).chars : null;
    const { device, fallback } = await acquireDevice(training.device, (reason) => this.deviceLost(reason));
    const previous = r.continueRun && this.loaded?.device === device ? this.loaded : null;
    const seed = r.seed ?? training.seed;
    // The same data (dataset, seed and split) is reused, and the run's counters continue on it.
    const sameData =
      previous !== null && dataKey(previous.graph, previous.run) === dataKey(graph, null, seed);
    const { model, run } = await this.build(
      graph,
      sameData ? { data: previous.data, test: previous.test } : files,
      seed,
      device,
    );
    const carried = previous ? run.continueFrom(previous.run, { sameData }) : undefined;
    this.setState('ready');
    await this.restartHistory();
    return {
      type: 'loaded',
      params: model.parameters().reduce((n, p) => n + p.numel(), 0),
      nodes: graph.document.nodes.length,
      trainSamples: run.train.length,
      valSamples: run.val.length,
      compute: hg.computeMode(device),
      device,
      ...(fallback ? { deviceFallback: fallback } : {}),
      ...(carried ? { carried } : {}),
      step: run.step,
      epoch: run.epoch,
    };
  }

  /** Compiles, seeds and prepares the run; `source` is the host's files or data already made. */
  private async build(
    graph: CheckedGraph,
    source: DatasetFiles | { data: LoadedData; test: LoadedData | null },
    seed: number,
    device: hg.Device,
  ): Promise<Loaded> {
    const prepared = await prepareRun(graph, {
      ...('data' in source ? { data: source.data, test: source.test } : { files: source }),
      overrides: { seed },
      device,
      // Every node output keeps its gradient, so the studio can colour edges by its magnitude.
      onForward: (values, loss) => {
        for (const outputs of values.values())
          for (const t of Object.values(outputs)) if (t.requiresGrad && t !== loss) t.retainGrad();
      },
    });
    this.debugCopy = null;
    this.loaded = {
      graph,
      device,
      data: prepared.data,
      test: prepared.test,
      model: prepared.model,
      run: prepared.run,
    };
    return this.loaded;
  }

  private samples(count: number): RuntimeResult {
    const { run } = this.need();
    const [x, y] = (run.train.dataset as hg.data.TensorDataset).tensors as [hg.Tensor, hg.Tensor];
    return {
      type: 'samples',
      shape: x.shape.slice(1),
      ...(this.vocabulary ? { vocabulary: this.vocabulary } : {}),
      samples: run.train.indices.slice(0, count).map((i) => ({
        x: Array.from(x.index(i).contiguous().dataSync()),
        y: Array.from(y.index(i).contiguous().dataSync()),
      })),
    };
  }

  /** A lost GPU stops training with a fault that says how to go on (on the CPU). */
  private deviceLost(reason: string): void {
    if (this.loaded?.device !== 'webgpu') return;
    // The fault goes first: a host keeping snapshots must not read weights from the lost device.
    this.event({
      type: 'fault',
      error: {
        name: 'DeviceLostError',
        message: `the WebGPU device was lost (${reason}); set the device to CPU to train on (the last saved weights are kept)`,
      },
    });
    if (this.state === 'training') this.setState('paused');
  }

  /**
   * The model the step-through debugger walks: the trained one on the CPU, or on a GPU a CPU
   * copy of its current weights (the debugger reads every value as it goes).
   */
  private async debugModel(action: string): Promise<GraphModel> {
    const loaded = this.need();
    if (loaded.device === 'cpu') return loaded.model;
    if (action !== 'start' && this.debugCopy) return this.debugCopy;
    const copy = compileGraph(loaded.graph);
    copy.loadStateDict(await loaded.model.stateDictAsync());
    this.debugCopy = copy;
    return copy;
  }

  /**
   * One unit of the training loop; reports its loss or epoch. True when a unit of `until` is
   * done (a step was taken, or an epoch closed).
   */
  private async advance(run: TrainingRun, until: 'step' | 'epoch'): Promise<boolean> {
    const progress = await run.next();
    if (progress.kind === 'step') {
      if (this.history.due(run.step)) {
        await this.history.record(run.step, run.epoch, run.model);
        this.historyChanged = true;
      }
      this.batcher.push(progress.step, progress.loss);
    } else this.batcher.closeEpoch(run.step, progress.metrics);
    return progress.kind === until;
  }

  /**
   * Runs `work` (one unit at a time, true when finished) in slices, yielding to the message loop
   * between them so that cancel, pause and inspect requests are answered meanwhile.
   */
  private async longRun(r: RuntimeRequest, work: () => Promise<boolean>): Promise<void> {
    const op = { id: r.id, type: r.type, cancelled: false };
    this.longRequest = op;
    try {
      for (;;) {
        const started = performance.now();
        while (performance.now() - started < SLICE_MS) if (await work()) return;
        await new Promise<void>((resolve) => this.yieldToMessages(resolve));
        if (op.cancelled)
          throw Object.assign(new Error(`${r.type} (request ${r.id}) was cancelled`), {
            name: 'CancelledError',
          });
      }
    } finally {
      this.longRequest = null;
    }
  }

  private async trainSlice(): Promise<void> {
    const loaded = this.loaded;
    if (this.state !== 'training' || !loaded) return;
    const started = performance.now();
    try {
      while (performance.now() - started < SLICE_MS) {
        if (loaded.run.finished) {
          this.setState('ready');
          return;
        }
        await this.advance(loaded.run, 'step');
        // On a GPU the awaits let messages in: a pause or a new graph ends this slice.
        if (this.state !== 'training' || this.loaded !== loaded) return;
      }
    } catch (e) {
      this.setState('paused');
      this.event({ type: 'fault', error: serializeError(e, (e as { nodeId?: string }).nodeId) });
      return;
    }
    this.yieldToMessages(() => void this.trainSlice());
  }
}

/** What decides a run's samples and their split: the Dataset node's params, the seed and the split. */
function dataKey(graph: CheckedGraph, run: TrainingRun | null, seed?: number): string {
  const dataset = graph.document.nodes.find((n) => n.kind === 'Dataset')?.params;
  const training = graph.document.training!;
  return JSON.stringify([dataset, run ? run.config.seed : seed, training.validationSplit]);
}
