// Batches a run's progress (every step's loss, every closed epoch's metrics) so that the UI
// receives at most one batch per interval however fast the steps and epochs are, while every
// loss and every epoch still arrives, in order. A tiny model closes hundreds of epochs a second:
// a message (and a page render) per epoch would outrun the page and freeze it.
import type { ClosedEpoch, EpochMetrics } from '@hgrad/protocol';

export interface ProgressBatch {
  /** The step of losses[0] (meaningless when losses is empty). */
  firstStep: number;
  losses: Float64Array;
  epochs: ClosedEpoch[];
}

export class ProgressBatcher {
  private losses: number[] = [];
  private firstStep = 1;
  private epochs: ClosedEpoch[] = [];
  private lastFlush = -Infinity;

  constructor(
    private readonly send: (batch: ProgressBatch) => void,
    private readonly intervalMs = 1000 / 60,
    private readonly now: () => number = () => performance.now(),
  ) {}

  push(step: number, loss: number): void {
    if (this.losses.length === 0) this.firstStep = step;
    this.losses.push(loss);
    this.flushIfDue();
  }

  closeEpoch(step: number, report: EpochMetrics): void {
    this.epochs.push({ step, report });
    this.flushIfDue();
  }

  /** Sends whatever is buffered (called before every reply, so the client is never behind). */
  flush(): void {
    if (this.losses.length === 0 && this.epochs.length === 0) return;
    const batch = { firstStep: this.firstStep, losses: Float64Array.from(this.losses), epochs: this.epochs };
    this.losses = [];
    this.epochs = [];
    this.lastFlush = this.now();
    this.send(batch);
  }

  private flushIfDue(): void {
    if (this.now() - this.lastFlush >= this.intervalMs) this.flush();
  }
}
