// The run's series stay bounded: losses merge into wider entries (exact means), epoch rows thin
// out keeping the latest, and the loss chart places wide entries at their steps.
import { describe, expect, it } from 'vitest';
import { appendEpochs, appendLosses, lossesUpTo } from './series.ts';
import { LossView } from './loss-view.ts';

describe('bounded series', () => {
  it('keeps every loss while it fits, then merges neighbours into exact means', () => {
    const losses: number[] = [];
    let stride = appendLosses(losses, 1, 1, [5, 6, 7], 16);
    expect([losses, stride]).toEqual([[5, 6, 7], 1]);
    // Steps 4 … 1000 with loss = step, streamed in uneven batches.
    for (let first = 4; first <= 1000; first += 37) {
      const batch = Array.from({ length: Math.min(37, 1001 - first) }, (_, k) => first + k);
      stride = appendLosses(losses, stride, first, batch, 16);
      expect(losses.length).toBeLessThanOrEqual(16);
    }
    stride = appendLosses(losses, stride, 1001, [], 16);
    expect(stride).toBe(64);
    // Entry i covers steps 64i + 1 … 64(i + 1): its mean is the middle step (full entries; the
    // first three steps were 5, 6, 7 instead of 1, 2, 3).
    expect(losses[0]).toBeCloseTo((5 + 6 + 7 + (64 * 65) / 2 - 6) / 64, 10);
    for (let i = 1; i < Math.floor(1000 / 64); i++) expect(losses[i]).toBeCloseTo(64 * i + 32.5, 10);
    expect(losses.length).toBe(Math.ceil(1000 / 64));
    expect(lossesUpTo(losses, stride, 200)).toHaveLength(4);
  });

  it('thins epoch rows to every other one when full, always keeping the latest, batched or not', () => {
    const row = (epoch: number) => ({ epoch });
    let epochs: { epoch: number }[] = [];
    for (let e = 1; e <= 100; e++) {
      epochs = appendEpochs(epochs, [row(e)], 10);
      expect(epochs.length).toBeLessThanOrEqual(10);
      expect(epochs.at(-1)!.epoch).toBe(e);
    }
    expect(epochs[0]!.epoch).toBe(1);
    // Spread over the whole run, in order.
    const seen = epochs.map((e) => e.epoch);
    expect(seen).toEqual([...seen].sort((a, b) => a - b));
    expect(seen.length).toBeGreaterThanOrEqual(5);
    // Batches of any size give the same rows as one at a time.
    for (const size of [3, 7, 100]) {
      let batched: { epoch: number }[] = [];
      for (let e = 1; e <= 100; e += size)
        batched = appendEpochs(
          batched,
          Array.from({ length: Math.min(size, 101 - e) }, (_, i) => row(e + i)),
          10,
        );
      expect(batched.map((e) => e.epoch)).toEqual(seen);
    }
  });

  it('the loss chart places an entry of a wide stride at the middle of its steps', () => {
    const view = new LossView();
    expect(view.update([1, 3], 4)).toEqual({ x: [2.5, 6.5], y: [1, 3] });
    expect(view.update([1, 3, 5], 1)).toEqual({ x: [1, 2, 3], y: [1, 3, 5] });
  });
});
