// How much memory training a graph would take, estimated from its analysis before anything is
// allocated, so that a model that cannot fit is refused with its size ("fc1 would need 4.0 TB of
// weights") instead of exhausting the machine. Parameters count four times (value, gradient and
// up to two optimizer moments); activations twice (value and gradient) at the training batch
// size, and once more for what backward saves.
import type { Analysis } from './analysis-types.ts';
import type { GraphDocument } from './schema.ts';
import type { SymShape } from './catalog/index.ts';

const BYTES = 4; // float32
const PARAM_COPIES = 4;
const ACTIVATION_COPIES = 3;
/** The sequence length assumed for a 'T' dim when the dataset does not say. */
const DEFAULT_SEQ = 64;

/** The memory budget when none is given: 4 GB, about what a browser tab can hold (the CLI gives half the machine's memory). */
export const DEFAULT_MEMORY_BUDGET = 4e9;

export interface MemoryEstimate {
  /** Parameters with their gradients and optimizer state, in bytes. */
  parameters: number;
  /** Activations and their gradients for one training batch, in bytes. */
  activations: number;
  total: number;
  /** The node that needs the most, and for what. */
  largest: { nodeId: string; bytes: number; what: 'weights' | 'activations' } | null;
}

const elements = (shape: SymShape, batch: number, seq: number): number =>
  shape.reduce<number>((n, d) => n * (d === 'N' ? batch : d === 'T' ? seq : d), 1);

export function estimateMemory(doc: GraphDocument, analysis: Analysis): MemoryEstimate {
  const batch = doc.training?.batchSize ?? 1;
  const dataset = doc.nodes.find((n) => n.kind === 'Dataset');
  const seqLen = dataset?.params.seqLen;
  const seq = typeof seqLen === 'number' && seqLen > 0 ? seqLen : DEFAULT_SEQ;
  let parameters = 0;
  let activations = 0;
  let largest: MemoryEstimate['largest'] = null;
  for (const [nodeId, info] of analysis.nodes) {
    const weights = info.paramCount * BYTES;
    const outputs = Object.values(info.outputs).reduce((n, s) => n + elements(s, batch, seq), 0) * BYTES;
    parameters += weights * PARAM_COPIES;
    activations += outputs * ACTIVATION_COPIES;
    if (weights > (largest?.bytes ?? 0)) largest = { nodeId, bytes: weights, what: 'weights' };
    if (outputs > (largest?.bytes ?? 0)) largest = { nodeId, bytes: outputs, what: 'activations' };
  }
  return { parameters, activations, total: parameters + activations, largest };
}

/** Bytes in words: "512 B", "3.2 MB", "4.0 TB" (powers of 1000). */
export function formatBytes(bytes: number): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB', 'PB', 'EB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return unit === 0 ? `${Math.round(value)} B` : `${value.toFixed(1)} ${units[unit]}`;
}

/** Why the graph does not fit the budget, or null. `label` names the largest node ("node fc1 (Linear)"). */
export function memoryProblem(estimate: MemoryEstimate, budget: number, label?: string): string | null {
  if (estimate.total <= budget) return null;
  const { largest } = estimate;
  const lead = largest
    ? `${label ?? largest.nodeId} would need ${formatBytes(largest.bytes)} of ${largest.what}; `
    : '';
  return `${lead}training this graph needs about ${formatBytes(estimate.total)} (parameters with gradients and optimizer state ${formatBytes(estimate.parameters)}, activations ${formatBytes(estimate.activations)}), above the memory budget of ${formatBytes(budget)}`;
}
