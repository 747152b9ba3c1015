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

/** How the engine computes in this host, e.g. "WASM SIMD, 2 threads". */
const computeMode = () =>
  `${hg.matmulKernel() === 'wasm' ? 'WASM SIMD' : 'TypeScript kernels'}, ${hg.matmulThreadMode()}`;

export type Emit = (message: RuntimeOutgoing, transfer?: ArrayBuffer[]) => void;

interface Loaded {
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
      this.sendStats();
    });
  }

  private event(event: RuntimeEvent, transfer: ArrayBuffer[] = []): void {
    this.emit({ v: RUNTIME_PROTOCOL_VERSION, event }, transfer);
  }

  /** Gradient and weight norms of every parameter after the latest step (throttled with the losses). */
  private sendStats(): void {
    const loaded = this.loaded;
    if (!loaded) return;
    const params = [...loaded.model.namedParameters()].map(([name, p]) => ({
      name,
      gradNorm: p.grad ? p.grad.norm().item() : 0,
      weightNorm: p.norm().item(),
    }));
    const lr = loaded.run.optimizer.paramGroups[0]!.options.lr as number;
    const outputs = [...loaded.run.lastValues].flatMap(([nodeId, ports]) =>
      Object.entries(ports).flatMap(([port, t]) =>
        t.grad ? [{ nodeId, port, gradNorm: t.grad.norm().item() }] : [],
      ),
    );
    this.event({ type: 'stats', step: loaded.run.step, lr, params, outputs });
  }

  private setState(state: RunState): void {
    this.state = state;
    this.event({
      type: 'state',
      state,
      step: this.loaded?.run.step ?? 0,
      epoch: this.loaded?.run.epoch ?? 0,
      compute: computeMode(),
    });
  }

  /**
   * Runs `work` (one step at a time, true when finished) in slices, yielding to the message loop
   * between them so that cancel, pause and inspect requests are answered meanwhile.
   */
  private async longRun(r: RuntimeRequest, work: () => boolean): Promise<void> {
    const op = { id: r.id, type: r.type, cancelled: false };
    this.longRequest = op;
    try {
      for (;;) {
        const started = performance.now();
        while (performance.now() - started < SLICE_MS) if (work()) return;
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
        await this.longRun(r, () => {
          this.advance(run);
          return --left === 0;
        });
        return this.ok();
      }
      case 'runEpoch': {
        const { run } = this.need();
        await this.longRun(r, () => {
          const loss = run.nextStep();
          if (loss === null) return true;
          this.batcher.push(run.step, loss);
          return false;
        });
        this.closeEpoch(run);
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
        return { type: 'decisionBoundary', boundary: decisionBoundary(model, run.train, r.resolution) };
      }
      case 'debug': {
        const { model, run } = this.need();
        if (r.action === 'start' && this.state === 'training') this.setState('paused');
        return this.debug.answer(r, model, run.train);
      }
      case 'start':
        this.need();
        if (this.state !== 'training') {
          this.setState('training');
          this.yieldToMessages(() => this.trainSlice());
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
        const m = hg.evaluate(model, run.val);
        return { type: 'metrics', valLoss: m.valLoss, valAccuracy: m.valAccuracy };
      }
      case 'setHyperparameters': {
        const { run } = this.need();
        if (r.lr !== undefined) run.setLearningRate(r.lr);
        if (r.batchSize !== undefined) run.setBatchSize(r.batchSize);
        return this.ok();
      }
      case 'resetWeights': {
        const { doc, data } = this.need();
        this.build(doc, data, r.seed ?? doc.training!.seed);
        this.setState('ready');
        return this.ok();
      }
      case 'getWeights': {
        const { model } = this.need();
        const bytes = hg.saveSafetensors(model.stateDict(), { format: 'pt', producer: 'homemade-grad' });
        return {
          type: 'weights',
          safetensors: bytes.buffer as ArrayBuffer,
          names: [...model.stateDict().keys()],
        };
      }
      case 'inspect': {
        const { model, run } = this.need();
        if (r.target.kind === 'debug')
          return { type: 'inspection', inspection: this.debug.inspect(r.target, r.full ?? false) };
        const tensor = findInspected(model, run, r.target);
        return { type: 'inspection', inspection: inspectTensor(tensor.detach(), r.full ?? false) };
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
    const { model, run } = this.build(doc, data, r.seed ?? doc.training.seed);
    this.setState('ready');
    return {
      type: 'loaded',
      params: model.parameters().reduce((n, p) => n + p.numel(), 0),
      nodes: doc.nodes.length,
      trainSamples: run.train.length,
      valSamples: run.val.length,
      compute: computeMode(),
    };
  }

  private build(doc: GraphDocument, data: Loaded['data'], seed: number): Loaded {
    const seeded: GraphDocument = { ...doc, training: { ...doc.training!, seed } };
    hg.manualSeed(seed);
    const model = hg.compileGraph(seeded, analyze(seeded));
    const run = new hg.TrainingRun(model, seeded, data);
    run.retainOutputGrads = true;
    this.loaded = { doc: seeded, data, model, run };
    return this.loaded;
  }

  private closeEpoch(run: hg.TrainingRun): void {
    this.batcher.flush();
    this.event({ type: 'epoch', report: run.finishEpoch() });
  }

  /** Exactly one step; an epoch whose data ran out is closed (and reported) first. */
  private advance(run: hg.TrainingRun): void {
    let loss = run.nextStep();
    if (loss === null) {
      this.closeEpoch(run);
      loss = run.nextStep();
      if (loss === null) throw new Error('the training split is empty');
    }
    this.batcher.push(run.step, loss);
  }

  private trainSlice(): void {
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
        const loss = run.nextStep();
        if (loss === null) this.closeEpoch(run);
        else this.batcher.push(run.step, loss);
      }
    } catch (e) {
      this.batcher.flush();
      this.setState('paused');
      this.event({ type: 'fault', error: serializeError(e, (e as { nodeId?: string }).nodeId) });
      return;
    }
    this.batcher.flush();
    this.yieldToMessages(() => this.trainSlice());
  }
}
