// The loss chart's view of a long run: at most ~2×max points however many steps there are, kept
// up to date incrementally (each new loss is added once; when the view grows past 2×max, pairs of
// points merge and the bucket doubles). A 30-minute run of a million steps costs the page the same
// per frame as a short one. A bucket's value is the mean of its finite losses (null when none is
// finite, which the chart draws as a gap), at the bucket's middle step.
export interface LossSeries {
  x: number[];
  y: (number | null)[];
}

export class LossView {
  private source: readonly number[] | null = null;
  private stride = 1;
  private consumed = 0;
  private bucket = 1;
  private readonly x: number[] = [];
  private readonly y: (number | null)[] = [];
  private sum = 0;
  private finite = 0;
  private count = 0;

  constructor(private readonly max = 2000) {}

  /**
   * The view of `losses` (entry i: steps i·stride + 1 … (i + 1)·stride); pass the same array as it
   * grows. A history that merged its entries (shorter, or a new stride) is viewed afresh.
   */
  update(losses: readonly number[], stride = 1): LossSeries {
    if (losses !== this.source || losses.length < this.consumed || stride !== this.stride) {
      this.reset(losses);
      this.stride = stride;
    }
    for (let i = this.consumed; i < losses.length; i++) {
      const v = losses[i]!;
      if (Number.isFinite(v)) {
        this.sum += v;
        this.finite++;
      }
      if (++this.count === this.bucket) this.close(i + 1);
    }
    this.consumed = losses.length;
    // Entry positions to steps: entry e (1-based) covers steps up to e·stride, its middle at
    // (e − ½)·stride + ½.
    const steps = (e: number) => (this.stride === 1 ? e : (e - 0.5) * this.stride + 0.5);
    if (this.count === 0) return { x: this.x.map(steps), y: [...this.y] };
    // The open bucket is shown too, so the newest steps are always on the chart.
    const end = this.consumed;
    return {
      x: [...this.x, end - (this.count - 1) / 2].map(steps),
      y: [...this.y, this.finite ? this.sum / this.finite : null],
    };
  }

  private reset(losses: readonly number[]): void {
    this.source = losses;
    this.consumed = 0;
    this.bucket = 1;
    this.x.length = 0;
    this.y.length = 0;
    this.sum = this.finite = this.count = 0;
  }

  /** Closes the bucket ending at `step`; merges pairs when the view is full. */
  private close(step: number): void {
    this.x.push(step - (this.bucket - 1) / 2);
    this.y.push(this.finite ? this.sum / this.finite : null);
    this.sum = this.finite = this.count = 0;
    if (this.x.length < 2 * this.max) return;
    const half = this.x.length / 2;
    for (let k = 0; k < half; k++) {
      const [a, b] = [this.y[2 * k]!, this.y[2 * k + 1]!];
      this.x[k] = (this.x[2 * k]! + this.x[2 * k + 1]!) / 2;
      this.y[k] = a === null ? b : b === null ? a : (a + b) / 2;
    }
    this.x.length = half;
    this.y.length = half;
    this.bucket *= 2;
  }
}
