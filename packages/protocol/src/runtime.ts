// Messages of the training runtime (UI ⇄ engine worker). Requests carry an id and get exactly
// one reply; events (losses, epochs, status) stream without an id. Large arrays travel as
// transferred ArrayBuffers.
import type { SerializedError } from './worker.ts';
import {
  DEBUG_ACTIONS,
  DEBUG_ROLES,
  type DebugAction,
  type DebugFrame,
  type DebugPlanStep,
  type DebugRole,
} from './debug.ts';

export const RUNTIME_PROTOCOL_VERSION = 1;

export interface EpochReport {
  epoch: number;
  trainLoss: number;
  trainAccuracy: number | null;
  valLoss: number;
  valAccuracy: number | null;
  samplesPerSecond: number;
}

export type RunState = 'empty' | 'ready' | 'training' | 'paused';

export type RuntimeRequestBody =
  | {
      type: 'load';
      document: unknown;
      seed?: number;
      files?: { text?: string; fashionImages?: ArrayBuffer; fashionLabels?: ArrayBuffer };
    }
  | { type: 'start' }
  | { type: 'pause' }
  | { type: 'stop' }
  | { type: 'step'; steps: number }
  | { type: 'runEpoch' }
  | { type: 'evaluate' }
  | { type: 'setHyperparameters'; lr?: number; batchSize?: number }
  | { type: 'resetWeights'; seed?: number }
  | { type: 'getWeights' }
  | { type: 'loadWeights'; safetensors: ArrayBuffer }
  /** A node output (port), a parameter or a parameter's gradient, from the latest step. */
  | { type: 'inspect'; target: InspectTarget; full?: boolean }
  /**
   * The step-through debugger on one batch (the first `samples` of the training split): start,
   * step forward or back, jump to a step of the plan, run to the end, stop.
   */
  | { type: 'debug'; action: DebugAction; index?: number; samples?: number }
  /** The first `count` training samples, for the dataset preview. */
  | { type: 'samples'; count: number }
  /** For 2-D classification data: the model's class and confidence on a grid, and some training points. */
  | { type: 'decisionBoundary'; resolution: number }
  /** Stops a long request (step, runEpoch); it then fails with a CancelledError. */
  | { type: 'cancel'; requestId: number };

export type InspectTarget =
  | { kind: 'output'; nodeId: string; port: string }
  | { kind: 'parameter'; name: string }
  | { kind: 'gradient'; name: string }
  /** A tensor of a step-through step, by the step's index in the plan, its role and name. */
  | { kind: 'debug'; step: number; role: DebugRole; name: string };

export interface TensorInspection {
  shape: number[];
  dtype: string;
  summary: { min: number; max: number; mean: number; std: number; nan: number; inf: number; count: number };
  histogram: { min: number; max: number; counts: number[] };
  /** Mean of each cell; rows are the first dim, columns the rest. */
  heatmap: { rows: number; cols: number; values: number[] };
  values?: number[];
}

export type RuntimeRequest = { v: typeof RUNTIME_PROTOCOL_VERSION; id: number } & RuntimeRequestBody;

export type RuntimeResult =
  | {
      type: 'loaded';
      params: number;
      nodes: number;
      trainSamples: number;
      valSamples: number;
      /** How the engine computes here, e.g. "WASM SIMD, 2 threads" or "WebGPU on …". */
      compute: string;
      /** Where the model trains. */
      device: 'cpu' | 'webgpu';
      /** Why the document's 'webgpu' could not be honoured (training then runs on the CPU). */
      deviceFallback?: string;
    }
  | { type: 'problems'; problems: { path: string; message: string; nodeId?: string }[] }
  | { type: 'ok'; state: RunState; step: number; epoch: number }
  | { type: 'metrics'; valLoss: number; valAccuracy: number | null }
  | { type: 'weights'; safetensors: ArrayBuffer; names: string[] }
  | { type: 'inspection'; inspection: TensorInspection }
  | { type: 'debug'; plan: DebugPlanStep[]; cursor: number; frame: DebugFrame | null }
  | { type: 'decisionBoundary'; boundary: DecisionBoundary | null }
  | { type: 'samples'; shape: number[]; samples: { x: number[]; y: number[] }[]; vocabulary?: string[] };

export interface DecisionBoundary {
  /** The grid covers [xMin, xMax] × [yMin, yMax]; cell (i, j) is row i (y) and column j (x). */
  xMin: number;
  xMax: number;
  yMin: number;
  yMax: number;
  resolution: number;
  classes: number[];
  confidence: number[];
  points: { x: number; y: number; label: number }[];
}

export type RuntimeEvent =
  /** Losses of consecutive steps starting at `firstStep`, batched (at most ~60 messages/s). */
  | { type: 'losses'; firstStep: number; losses: Float64Array }
  | { type: 'epoch'; report: EpochReport }
  /** Sent with each batch of losses: the learning rate and every parameter's gradient and weight norms. */
  | {
      type: 'stats';
      step: number;
      lr: number;
      params: { name: string; gradNorm: number; weightNorm: number }[];
      /** The norm of the gradient reaching each node output port (the edges it feeds). */
      outputs: { nodeId: string; port: string; gradNorm: number }[];
    }
  | { type: 'state'; state: RunState; step: number; epoch: number; compute: string }
  | { type: 'fault'; error: SerializedError };

export type RuntimeOutgoing =
  | ({ v: typeof RUNTIME_PROTOCOL_VERSION; id: number } & (
      { ok: true; result: RuntimeResult } | { ok: false; error: SerializedError }
    ))
  | ({ v: typeof RUNTIME_PROTOCOL_VERSION; id?: undefined } & { event: RuntimeEvent });

const TYPES = new Set([
  'load',
  'start',
  'pause',
  'stop',
  'step',
  'runEpoch',
  'evaluate',
  'setHyperparameters',
  'resetWeights',
  'getWeights',
  'loadWeights',
  'inspect',
  'debug',
  'cancel',
  'decisionBoundary',
  'samples',
]);

/** Validates a request at the worker's edge; the error names the field at fault. */
export function parseRuntimeRequest(
  data: unknown,
): { ok: true; request: RuntimeRequest } | { ok: false; id: number; error: string } {
  if (typeof data !== 'object' || data === null)
    return { ok: false, id: -1, error: 'message must be an object' };
  const m = data as Record<string, unknown>;
  const id = typeof m.id === 'number' && Number.isInteger(m.id) ? m.id : -1;
  if (id < 0) return { ok: false, id, error: 'message id must be a non-negative integer' };
  if (m.v !== RUNTIME_PROTOCOL_VERSION)
    return {
      ok: false,
      id,
      error: `unsupported protocol version ${String(m.v)} (expected ${RUNTIME_PROTOCOL_VERSION})`,
    };
  if (typeof m.type !== 'string' || !TYPES.has(m.type))
    return { ok: false, id, error: `unknown request type ${JSON.stringify(m.type)}` };
  if (
    m.type === 'step' &&
    !(Number.isInteger(m.steps) && (m.steps as number) >= 1 && (m.steps as number) <= 1_000_000)
  )
    return { ok: false, id, error: 'step: steps must be an integer in 1..1000000' };
  if (m.type === 'setHyperparameters') {
    if (m.lr !== undefined && !(typeof m.lr === 'number' && m.lr > 0 && m.lr <= 10))
      return { ok: false, id, error: 'setHyperparameters: lr must be in (0, 10]' };
    if (m.batchSize !== undefined && !(Number.isInteger(m.batchSize) && (m.batchSize as number) >= 1))
      return { ok: false, id, error: 'setHyperparameters: batchSize must be a positive integer' };
  }
  if (m.type === 'loadWeights' && !(m.safetensors instanceof ArrayBuffer))
    return { ok: false, id, error: 'loadWeights: safetensors must be an ArrayBuffer' };
  if (m.type === 'inspect') {
    const t = m.target as Record<string, unknown> | undefined;
    const valid =
      typeof t === 'object' &&
      t !== null &&
      ((t.kind === 'output' && typeof t.nodeId === 'string' && typeof t.port === 'string') ||
        ((t.kind === 'parameter' || t.kind === 'gradient') && typeof t.name === 'string') ||
        (t.kind === 'debug' &&
          Number.isInteger(t.step) &&
          DEBUG_ROLES.includes(t.role as DebugRole) &&
          typeof t.name === 'string'));
    if (!valid)
      return {
        ok: false,
        id,
        error:
          "inspect: target must be {kind: 'output', nodeId, port}, {kind: 'parameter'|'gradient', name} or {kind: 'debug', step, role, name}",
      };
  }
  if (m.type === 'debug') {
    if (!DEBUG_ACTIONS.includes(m.action as DebugAction))
      return { ok: false, id, error: `debug: action must be one of ${DEBUG_ACTIONS.join(', ')}` };
    if (m.action === 'jump' && !Number.isInteger(m.index))
      return { ok: false, id, error: 'debug: jump needs an integer index (a step of the plan, or −1)' };
    if (m.samples !== undefined && !(Number.isInteger(m.samples) && (m.samples as number) >= 1))
      return { ok: false, id, error: 'debug: samples must be a positive integer' };
  }
  if (
    m.type === 'decisionBoundary' &&
    !(Number.isInteger(m.resolution) && (m.resolution as number) >= 2 && (m.resolution as number) <= 256)
  )
    return { ok: false, id, error: 'decisionBoundary: resolution must be an integer in 2..256' };
  if (
    m.type === 'samples' &&
    !(Number.isInteger(m.count) && (m.count as number) >= 1 && (m.count as number) <= 256)
  )
    return { ok: false, id, error: 'samples: count must be an integer in 1..256' };
  if (m.type === 'cancel' && !(Number.isInteger(m.requestId) && (m.requestId as number) >= 0))
    return { ok: false, id, error: 'cancel: requestId must be the id of a request' };
  return { ok: true, request: m as unknown as RuntimeRequest };
}
