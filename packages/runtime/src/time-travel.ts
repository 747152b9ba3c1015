// Time travel: the run keeps copies of its weights at intervals, and the studio can look at the
// model as it was at any of them. Memory is bounded: at most `maxSnapshots` are kept (fewer for a
// model so large that they would pass `maxBytes`); when full, every other one is dropped and the
// interval doubles, so a long run keeps snapshots spread over all of it (always its first).
import * as hg from '@hgrad/engine';
import type { CheckedGraph } from '@hgrad/ir';
import { compileGraph, type GraphModel, type Outputs } from '@hgrad/train';

export interface Snapshot {
  step: number;
  epoch: number;
  /** The state dict (parameters and buffers) on the CPU, copied. */
  state: Map<string, hg.Tensor>;
}

export class WeightHistory {
  private snapshots: Snapshot[] = [];
  /** Steps between snapshots; doubles each time the history is thinned. */
  interval = 1;

  constructor(
    readonly maxSnapshots = 40,
    readonly maxBytes = 256 * 2 ** 20,
  ) {}

  clear(): void {
    hg.dispose(this.snapshots.flatMap((s) => [...s.state.values()]));
    this.snapshots = [];
    this.interval = 1;
  }

  /** Whether the run's state after `step` should be kept. */
  due(step: number): boolean {
    return step % this.interval === 0 && this.snapshots.at(-1)?.step !== step;
  }

  /** Copies the model's state at (step, epoch) and thins the history to its bound. */
  async record(step: number, epoch: number, model: hg.nn.Module): Promise<void> {
    const state = new Map<string, hg.Tensor>();
    let bytes = 0;
    for (const [name, t] of await model.stateDictAsync()) {
      const copy = (await t.detach().toAsync('cpu')).clone();
      state.set(name, copy);
      bytes += copy.numel() * copy.elementSize();
    }
    this.snapshots.push({ step, epoch, state });
    const limit = Math.max(2, Math.min(this.maxSnapshots, Math.floor(this.maxBytes / Math.max(1, bytes))));
    while (this.snapshots.length > limit) this.thin(limit);
  }

  private thin(limit: number): void {
    this.interval *= 2;
    const first = this.snapshots[0]!;
    const kept = this.snapshots.filter((s) => s === first || s.step % this.interval === 0);
    // Snapshots not on the grid (a run restored mid-interval) can leave it full: drop the oldest.
    while (kept.length > limit) kept.splice(1, 1);
    const gone = this.snapshots.filter((s) => !kept.includes(s));
    hg.dispose(gone.flatMap((s) => [...s.state.values()]));
    this.snapshots = kept;
  }

  list(): { step: number; epoch: number }[] {
    return this.snapshots.map(({ step, epoch }) => ({ step, epoch }));
  }

  at(step: number): Snapshot | undefined {
    return this.snapshots.find((s) => s.step === step);
  }
}

/** The model as it was at a snapshot, with every node's values and gradients on one batch. */
export interface PastView {
  step: number;
  epoch: number;
  model: GraphModel;
  values: Map<string, Outputs>;
}

/**
 * Rebuilds the model at a snapshot (on the CPU) and runs one forward and backward pass on the
 * first `batchSize` training samples, so activations and gradients can be inspected as they were.
 * No optimizer step is taken; the batch-norm statistics that the pass updated are put back.
 */
export function pastView(
  graph: CheckedGraph,
  snapshot: Snapshot,
  train: hg.data.Subset<hg.Tensor[]>,
  batchSize: number,
): PastView {
  const model = compileGraph(graph);
  model.loadStateDict(snapshot.state);
  const rows = hg.tensor(train.indices.slice(0, Math.min(batchSize, train.length)), { dtype: 'int32' });
  const [x, y] = (train.dataset as hg.data.TensorDataset).tensors;
  model.train();
  const { loss, values } = model.forward({ x: x!.indexSelect(0, rows), y: y!.indexSelect(0, rows) });
  for (const outputs of values.values())
    for (const t of Object.values(outputs)) if (t.requiresGrad && t !== loss) t.retainGrad();
  loss?.backward();
  model.loadStateDict(snapshot.state);
  return { step: snapshot.step, epoch: snapshot.epoch, model, values };
}
