// What the training runtime sends back: one result per request, and events (losses, epochs,
// statistics, state, faults) that stream without an id. Large arrays travel as transferred
// ArrayBuffers. The requests themselves are zod schemas in requests.ts.
import type {
  CarryReport,
  EpochMetrics,
  EvaluationReport,
  NodeGradCheck,
  TableMeasure,
  TableProblem,
  TableScan,
} from '@hgrad/train';

export type { CarryReport };
import type { SerializedError } from './worker.ts';
import type { DebugFrame, DebugPlanStep } from './debug.ts';
import type { TensorInspection } from './inspection.ts';
import type { RUNTIME_PROTOCOL_VERSION } from './requests.ts';

export type { EpochMetrics, EvaluationReport };

/** An epoch's metrics and the step count when it closed (the run's step axis). */
export interface ClosedEpoch {
  step: number;
  report: EpochMetrics;
}

export type RunState = 'empty' | 'ready' | 'training' | 'paused';

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
      /** With continueRun: what carried over from the previous run. */
      carried?: CarryReport;
      /** The run's counters after loading (non-zero when a run continued). */
      step: number;
      epoch: number;
    }
  | { type: 'problems'; problems: { path: string; message: string; nodeId?: string }[] }
  | { type: 'ok'; state: RunState; step: number; epoch: number }
  | { type: 'metrics'; valLoss: number | null; valAccuracy: number | null }
  | { type: 'weights'; safetensors: ArrayBuffer; names: string[] }
  | { type: 'snapshot'; weights: ArrayBuffer; state: string; step: number; epoch: number }
  | { type: 'inspection'; inspection: TensorInspection }
  | { type: 'debug'; plan: DebugPlanStep[]; cursor: number; frame: DebugFrame | null }
  | { type: 'decisionBoundary'; boundary: DecisionBoundary | null }
  | { type: 'tableScan'; scan: TableScan }
  | {
      type: 'decodedImages';
      /** Samples in file order: pixels [n, C, size, size] in [0, 1], and each one's class. */
      pixels: Float32Array;
      labels: number[];
      classes: string[];
      /** Every decoded file with its sha256 (the folder's identity), and those that could not be read. */
      used: { path: string; sha256: string }[];
      skipped: { path: string; reason: string }[];
    }
  /** The model's output for one sample; for classes, their probabilities (and names). */
  | { type: 'prediction'; output: number[]; probabilities?: number[]; labels?: string[] }
  | { type: 'generated'; text: string }
  /** Where the studio now looks: a snapshot's step and epoch, or null for the live run. */
  | { type: 'travel'; step: number | null; epoch: number | null }
  | { type: 'gradcheck'; report: NodeGradCheck }
  /** A measured table, or the lines it cannot use (problems, the first 100; problemCount all). */
  | { type: 'tableMeasure'; measure: TableMeasure }
  | { type: 'tableProblems'; message: string; problems: TableProblem[]; problemCount: number }
  | {
      type: 'report';
      /** null with a reason when the split does not exist (no test split, an empty validation split). */
      report: EvaluationReport | null;
      reason?: string;
      /**
       * The per-sample input shape, and the inputs of the listed samples: sample `indices[k]` (its
       * index in the split) is values[k·size … (k+1)·size), size the product of inputShape.
       */
      inputShape: number[];
      inputs: { indices: number[]; values: Float32Array };
      /** For class tasks: the class names, when the dataset has them. */
      labels?: string[];
      vocabulary?: string[];
    }
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
  /** Epochs closed since the last batch, in order (sent right after that batch's losses). */
  | { type: 'epochs'; closed: ClosedEpoch[] }
  /** Sent with each batch of losses: the learning rate and every parameter's gradient and weight norms. */
  | {
      type: 'stats';
      step: number;
      lr: number;
      params: { name: string; gradNorm: number; weightNorm: number }[];
      /** The norm of the gradient reaching each node output port (the edges it feeds). */
      outputs: { nodeId: string; port: string; gradNorm: number }[];
      /**
       * Each floating node output's first sample of the batch, flattened, in at most 24 bucket
       * means (a strip on the node's face showing which units are active).
       */
      activations: { nodeId: string; port: string; values: number[] }[];
    }
  | { type: 'state'; state: RunState; step: number; epoch: number; compute: string }
  /**
   * The weight snapshots the run keeps for time travel (bounded: older ones thin out as the run
   * grows), and the one being looked at (null: live).
   */
  | { type: 'history'; snapshots: { step: number; epoch: number }[]; viewing: number | null }
  /** How far a long read has got (a large table: scanning, measuring, loading), 0 to 1. */
  | { type: 'progress'; task: 'scan' | 'measure' | 'load' | 'decode'; fraction: number }
  | { type: 'fault'; error: SerializedError };

export type RuntimeOutgoing =
  | ({ v: typeof RUNTIME_PROTOCOL_VERSION; id: number } & (
      { ok: true; result: RuntimeResult } | { ok: false; error: SerializedError }
    ))
  | ({ v: typeof RUNTIME_PROTOCOL_VERSION; id?: undefined } & { event: RuntimeEvent });
