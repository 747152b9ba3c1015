// The loss chart's bounded view: exact means of equal buckets, gaps for non-finite buckets, the
// newest steps always shown, and a million streamed steps kept to a few thousand points.
import { describe, expect, it } from 'vitest';
import { LossView } from './loss-view.ts';

describe('LossView', () => {
  it('shows every step while the run is short', () => {
    const v = new LossView(4);
    expect(v.update([3, 2, 1])).toEqual({ x: [1, 2, 3], y: [3, 2, 1] });
  });

  it('keeps at most twice its size, each point the mean of its steps, as the array grows', () => {
    const view = new LossView(1000);
    const losses: number[] = [];
    let last = view.update(losses);
    // Streamed in batches, as the engine sends them.
    for (let batch = 0; batch < 1000; batch++) {
      for (let k = 0; k < 1000; k++) losses.push(losses.length + 1);
      last = view.update(losses);
      expect(last.x.length).toBeLessThanOrEqual(2001);
    }
    expect(losses.length).toBe(1_000_000);
    // A ramp's bucket mean is its middle step, so y equals x everywhere.
    last.x.forEach((x, i) => expect(last.y[i]).toBeCloseTo(x, 6));
    expect(last.x.at(-1)).toBeGreaterThan(999_000);
    expect(last.x[0]).toBeLessThan(1000);
  });

  it('draws a gap where a bucket has no finite loss, and starts again for a new run', () => {
    const v = new LossView(2);
    const losses = [1, NaN, NaN, NaN, 3, 5];
    const out = v.update(losses);
    // 6 steps in a view of size 2 → buckets of 2: (1,NaN) → 1, (NaN,NaN) → gap, (3,5) → 4.
    expect(out).toEqual({ x: [1.5, 3.5, 5.5], y: [1, null, 4] });
    expect(v.update([7])).toEqual({ x: [1], y: [7] });
  });
});
