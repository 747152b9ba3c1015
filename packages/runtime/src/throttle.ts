// Batches per-step losses so that the UI receives at most one message per interval however
// fast the steps are, while every loss still arrives (in order, in batches).
export class LossBatcher {
  private losses: number[] = [];
  private firstStep = 1;
  private lastFlush = -Infinity;

  constructor(
    private readonly send: (firstStep: number, losses: Float64Array) => void,
    private readonly intervalMs = 1000 / 60,
    private readonly now: () => number = () => performance.now(),
  ) {}

  push(step: number, loss: number): void {
    if (this.losses.length === 0) this.firstStep = step;
    this.losses.push(loss);
    if (this.now() - this.lastFlush >= this.intervalMs) this.flush();
  }

  /** Sends whatever is buffered (called before every reply, so the client is never behind). */
  flush(): void {
    if (this.losses.length === 0) return;
    this.send(this.firstStep, Float64Array.from(this.losses));
    this.losses = [];
    this.lastFlush = this.now();
  }
}
