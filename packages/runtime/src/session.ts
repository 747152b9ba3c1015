// The runtime session: owns the loaded graph, its model, data and training run, and answers
// protocol requests. It never blocks for long: `start` trains in short slices and yields to the
// message loop between them, so pause/stop/evaluate arrive promptly. Hosts (Web Worker, Node
// worker_thread) only move messages in and out.
import * as hg from '@hgrad/engine';
import { analyze, parseDocument, type GraphDocument } from '@hgrad/ir';
import {
  parseRuntimeRequest,
  RUNTIME_PROTOCOL_VERSION,
  serializeError,
  type RunState,
  type RuntimeEvent,
  type RuntimeOutgoing,
  type RuntimeRequest,
  type RuntimeResult,
} from '@hgrad/protocol';
import { LossBatcher } from './throttle.ts';
import { findInspected, inspectTensor } from './inspect.ts';
import { DebugSessions } from './session-debug.ts';
import { decisionBoundary } from './decision-boundary.ts';

/** How the engine computes in this host for a model on `device`, e.g. "WASM SIMD, 2 threads". */
const computeMode = (device: hg.Device = 'cpu') =>
  device === 'webgpu'
    ? `WebGPU on ${hg.webgpuBackend()?.info.adapter ?? 'a lost device'}`
    : `${hg.matmulKernel() === 'wasm' ? 'WASM SIMD' : 'TypeScript kernels'}, ${hg.matmulThreadMode()}`;

export type Emit = (message: RuntimeOutgoing, transfer?: ArrayBuffer[]) => void;

interface Loaded {
  /** Where the model trains: the document's device, or 'cpu' when WebGPU could not be had. */
  device: hg.Device;
  doc: GraphDocument;
  data: { x: hg.Tensor; y: hg.Tensor };
  model: hg.GraphModel;
  run: hg.TrainingRun;
}

/** How long one uninterrupted slice of training may run before yielding to messages. */
const SLICE_MS = 25;

export class RuntimeSession {
  private loaded: Loaded | null = null;
  private state: RunState = 'empty';
  private readonly batcher: LossBatcher;
  private readonly debug = new DebugSessions();
  /** The long request (step, runEpoch) in progress; it yields between slices so it can be cancelled. */
  private longRequest: { id: number; type: string; cancelled: boolean } | null = null;
  /** The characters of a text dataset, by token id (for the dataset preview). */
  private vocabulary: string[] | null = null;

  constructor(
    private readonly emit: Emit,
    private readonly yieldToMessages: (fn: () => void) => void = (fn) => setTimeout(fn, 0),
  ) {
    this.batcher = new LossBatcher((firstStep, losses) => {
      this.event({ type: 'losses', firstStep, losses }, [losses.buffer as ArrayBuffer]);
      void this.sendStats().catch(() => {
        // Stats are advisory: a model replaced while they were read is simply not reported.
      });
    });
  }

  private event(event: RuntimeEvent, transfer: ArrayBuffer[] = []): void {
    this.emit({ v: RUNTIME_PROTOCOL_VERSION, event }, transfer);
  }

  /**
   * Gradient and weight norms of every parameter after the latest step (throttled with the
   * losses). The norms are computed at once into one tensor and read back together, so on a
   * GPU this is one transfer, taken before the next step can free what it reads.
   */
  private async sendStats(): Promise<void> {
    const loaded = this.loaded;
    if (!loaded) return;
    const named = [...loaded.model.namedParameters()];
    const outputs = [...loaded.run.lastValues].flatMap(([nodeId, ports]) =>
      Object.entries(ports).flatMap(([port, t]) => (t.grad ? [{ nodeId, port, grad: t.grad }] : [])),
    );
    const zero = hg.zeros([], { device: loaded.device });
    const norms = hg.tidy(() =>
      hg.noGrad(() =>
        hg.stack([
          ...named.flatMap(([, p]) => [p.grad ? p.grad.norm() : zero, p.norm()]),
          ...outputs.map((o) => o.grad.norm()),
          zero,
        ]),
      ),
    );
    const step = loaded.run.step;
    const lr = loaded.run.optimizer.paramGroups[0]!.options.lr as number;
    const values = await norms.data();
    hg.dispose([norms, zero]);
    this.event({
      type: 'stats',
      step,
      lr,
      params: named.map(([name], i) => ({ name, gradNorm: values[2 * i]!, weightNorm: values[2 * i + 1]! })),
      outputs: outputs.map((o, i) => ({
        nodeId: o.nodeId,
        port: o.port,
        gradNorm: values[2 * named.length + i]!,
      })),
    });
  }

  private setState(state: RunState): void {
    this.state = state;
    this.event({
      type: 'state',
      state,
      step: this.loaded?.run.step ?? 0,
      epoch: this.loaded?.run.epoch ?? 0,
      compute: computeMode(this.loaded?.device),
    });
  }

  /**
   * Runs `work` (one step at a time, true when finished) in slices, yielding to the message loop
   * between them so that cancel, pause and inspect requests are answered meanwhile.
   */
  private async longRun(r: RuntimeRequest, work: () => Promise<boolean>): Promise<void> {
    const op = { id: r.id, type: r.type, cancelled: false };
    this.longRequest = op;
    try {
      for (;;) {
        const started = performance.now();
        while (performance.now() - started < SLICE_MS) if (await work()) return;
        this.batcher.flush();
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

  /** Requests that change the model or the run wait for a long request to finish (or be cancelled). */
  private static readonly MUTATING = new Set([
    'load',
    'start',
    'step',
    'runEpoch',
    'setHyperparameters',
    'resetWeights',
    'loadWeights',
    'debug',
  ]);

  async handle(data: unknown): Promise<void> {
    const parsed = parseRuntimeRequest(data);
    if (!parsed.ok) {
      this.emit({
        v: RUNTIME_PROTOCOL_VERSION,
        id: parsed.id,
        ok: false,
        error: { name: 'ProtocolError', message: parsed.error },
      });
      return;
    }
    const request = parsed.request;
    try {
      if (this.longRequest && RuntimeSession.MUTATING.has(request.type))
        throw new Error(
          `busy: ${this.longRequest.type} (request ${this.longRequest.id}) is running; wait for it or cancel it`,
        );
      // Training changes the weights the open step-through was computed with.
      if (request.type !== 'debug' && RuntimeSession.MUTATING.has(request.type)) this.debug.close();
      const result = await this.answer(request);
      this.batcher.flush();
      const transfer = result.type === 'weights' ? [result.safetensors] : [];
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
    return {
      type: 'ok',
      state: this.state,
      step: this.loaded?.run.step ?? 0,
      epoch: this.loaded?.run.epoch ?? 0,
    };
  }

  private async answer(r: RuntimeRequest): Promise<RuntimeResult> {
    switch (r.type) {
      case 'load':
        return this.load(r);
      case 'step': {
        const { run } = this.need();
        let left = r.steps;
        await this.longRun(r, async () => {
          await this.advance(run);
          return --left === 0;
        });
        return this.ok();
      }
      case 'runEpoch': {
        const { run } = this.need();
        await this.longRun(r, async () => {
          const loss = await run.nextStepAsync();
          if (loss === null) return true;
          this.batcher.push(run.step, loss);
          return false;
        });
        await this.closeEpoch(run);
        return this.ok();
      }
      case 'cancel':
        if (this.longRequest?.id !== r.requestId)
          throw new Error(
            `cancel: request ${r.requestId} is not running (only step and runEpoch can be cancelled)`,
          );
        this.longRequest.cancelled = true;
        return this.ok();
      case 'samples': {
        const { run } = this.need();
        const [x, y] = (run.train.dataset as hg.data.TensorDataset).tensors as [hg.Tensor, hg.Tensor];
        const rows = run.train.indices.slice(0, r.count);
        return {
          type: 'samples',
          shape: x.shape.slice(1),
          ...(this.vocabulary ? { vocabulary: this.vocabulary } : {}),
          samples: rows.map((i) => ({
            x: Array.from(x.index(i).contiguous().dataSync()),
            y: Array.from(y.index(i).contiguous().dataSync()),
          })),
        };
      }
      case 'decisionBoundary': {
        const { model, run } = this.need();
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
        const { model, run } = this.need();
        const m = await hg.evaluateAsync(model, run.val);
        return { type: 'metrics', valLoss: m.valLoss, valAccuracy: m.valAccuracy };
      }
      case 'setHyperparameters': {
        const { run } = this.need();
        if (r.lr !== undefined) run.setLearningRate(r.lr);
        if (r.batchSize !== undefined) run.setBatchSize(r.batchSize);
        return this.ok();
      }
      case 'resetWeights': {
        const { doc, data, device } = this.need();
        this.build(doc, data, r.seed ?? doc.training!.seed, device);
        this.setState('ready');
        return this.ok();
      }
      case 'getWeights': {
        const { model } = this.need();
        const state = await model.stateDictAsync();
        const bytes = hg.saveSafetensors(state, { format: 'pt', producer: 'homemade-grad' });
        return { type: 'weights', safetensors: bytes.buffer as ArrayBuffer, names: [...state.keys()] };
      }
      case 'inspect': {
        const { model, run } = this.need();
        if (r.target.kind === 'debug')
          return { type: 'inspection', inspection: this.debug.inspect(r.target, r.full ?? false) };
        const tensor = findInspected(model, run, r.target);
        const onCpu = await tensor.detach().toAsync('cpu');
        return { type: 'inspection', inspection: inspectTensor(onCpu, r.full ?? false) };
      }
      case 'loadWeights': {
        const { model } = this.need();
        model.loadStateDict(hg.loadSafetensors(new Uint8Array(r.safetensors)).tensors);
        return this.ok();
      }
    }
  }

  private async load(r: Extract<RuntimeRequest, { type: 'load' }>): Promise<RuntimeResult> {
    const parsed = parseDocument(r.document);
    const problems = parsed.ok ? analyze(parsed.document).problems : parsed.problems;
    if (!parsed.ok || problems.length) return { type: 'problems', problems };
    const doc = parsed.document;
    if (!doc.training)
      return {
        type: 'problems',
        problems: [{ path: 'training', message: 'the graph has no training configuration' }],
      };
    const files: hg.DatasetFiles = { text: r.files?.text };
    if (r.files?.fashionImages && r.files.fashionLabels)
      files.fashionMnist = {
        images: new Uint8Array(r.files.fashionImages),
        labels: new Uint8Array(r.files.fashionLabels),
      };
    const data = await hg.loadGraphDataset(doc.training.dataset, r.seed ?? doc.training.seed, files);
    this.vocabulary = files.text !== undefined ? new hg.data.CharTokenizer(files.text).chars : null;
    const { device, fallback } = await this.acquireDevice(doc.training.device);
    const { model, run } = this.build(doc, data, r.seed ?? doc.training.seed, device);
    this.setState('ready');
    return {
      type: 'loaded',
      params: model.parameters().reduce((n, p) => n + p.numel(), 0),
      nodes: doc.nodes.length,
      trainSamples: run.train.length,
      valSamples: run.val.length,
      compute: computeMode(device),
      device,
      ...(fallback ? { deviceFallback: fallback } : {}),
    };
  }

  /** The device to train on: WebGPU when asked for and an adapter exists, otherwise the CPU and why. */
  private async acquireDevice(wanted: hg.Device): Promise<{ device: hg.Device; fallback: string | null }> {
    if (wanted === 'cpu') return { device: 'cpu', fallback: null };
    try {
      const gpu = await hg.initWebGPU();
      if (!this.lostWatched.has(gpu)) {
        this.lostWatched.add(gpu);
        gpu.runner.onLost((reason) => this.deviceLost(reason));
      }
      return { device: 'webgpu', fallback: null };
    } catch (e) {
      return { device: 'cpu', fallback: `${(e as Error).message}: training on the CPU instead` };
    }
  }

  private readonly lostWatched = new WeakSet<hg.WebGPUBackend>();

  /** A lost GPU stops training with a fault that says how to go on (on the CPU). */
  private deviceLost(reason: string): void {
    if (this.loaded?.device !== 'webgpu') return;
    if (this.state === 'training') this.setState('paused');
    this.event({
      type: 'fault',
      error: {
        name: 'DeviceLostError',
        message: `the WebGPU device was lost (${reason}); set the device to CPU to train on (the last saved weights are kept)`,
      },
    });
  }

  private build(doc: GraphDocument, data: Loaded['data'], seed: number, device: hg.Device): Loaded {
    const seeded: GraphDocument = { ...doc, training: { ...doc.training!, seed } };
    hg.manualSeed(seed);
    const model = hg.compileGraph(seeded, analyze(seeded));
    if (device !== 'cpu') model.to(device);
    const run = new hg.TrainingRun(model, seeded, data);
    run.retainOutputGrads = true;
    this.loaded = { device, doc: seeded, data, model, run };
    return this.loaded;
  }

  /**
   * The model the step-through debugger walks: the trained one on the CPU, or on a GPU a CPU
   * copy of its current weights (the debugger reads every value as it goes).
   */
  private async debugModel(action: string): Promise<hg.GraphModel> {
    const loaded = this.need();
    if (loaded.device === 'cpu') return loaded.model;
    if (action !== 'start' && this.debugCopy) return this.debugCopy;
    const copy = hg.compileGraph(loaded.doc, analyze(loaded.doc));
    copy.loadStateDict(await loaded.model.stateDictAsync());
    this.debugCopy = copy;
    return copy;
  }

  private debugCopy: hg.GraphModel | null = null;

  private async closeEpoch(run: hg.TrainingRun): Promise<void> {
    this.batcher.flush();
    this.event({ type: 'epoch', report: await run.finishEpochAsync() });
  }

  /** Exactly one step; an epoch whose data ran out is closed (and reported) first. */
  private async advance(run: hg.TrainingRun): Promise<void> {
    let loss = await run.nextStepAsync();
    if (loss === null) {
      await this.closeEpoch(run);
      loss = await run.nextStepAsync();
      if (loss === null) throw new Error('the training split is empty');
    }
    this.batcher.push(run.step, loss);
  }

  private async trainSlice(): Promise<void> {
    const loaded = this.loaded;
    if (this.state !== 'training' || !loaded) return;
    const { run, doc } = loaded;
    const started = performance.now();
    try {
      while (performance.now() - started < SLICE_MS) {
        if (run.epoch >= doc.training!.epochs) {
          this.batcher.flush();
          this.setState('ready');
          return;
        }
        const loss = await run.nextStepAsync();
        if (loss === null) await this.closeEpoch(run);
        else this.batcher.push(run.step, loss);
        // On a GPU the awaits let messages in: a pause or a new graph ends this slice.
        if (this.state !== 'training' || this.loaded !== loaded) return;
      }
    } catch (e) {
      this.batcher.flush();
      this.setState('paused');
      this.event({ type: 'fault', error: serializeError(e, (e as { nodeId?: string }).nodeId) });
      return;
    }
    this.batcher.flush();
    this.yieldToMessages(() => void this.trainSlice());
  }
}
