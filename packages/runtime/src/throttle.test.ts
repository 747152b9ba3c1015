// The progress batcher: at most one batch per interval however fast steps and epochs come, every
// loss and every epoch in order, and nothing held back past an explicit flush.
import { describe, expect, it } from 'vitest';
import type { EpochMetrics } from '@hgrad/protocol';
import { ProgressBatcher, type ProgressBatch } from './throttle.ts';

const report = (epoch: number) =>
  ({
    epoch,
    trainLoss: 1 / epoch,
    trainAccuracy: null,
    valLoss: null,
    valAccuracy: null,
    samplesPerSecond: 1,
  }) satisfies EpochMetrics;

describe('ProgressBatcher', () => {
  it('sends one batch per interval with every loss and epoch of it, in order', () => {
    let now = 0;
    const sent: { at: number; batch: ProgressBatch }[] = [];
    const batcher = new ProgressBatcher(
      (batch) => sent.push({ at: now, batch }),
      10,
      () => now,
    );
    // 3 steps an epoch, a step every 1 ms, for 100 steps: the first step flushes at once.
    for (let step = 1; step <= 100; step++) {
      now = step;
      batcher.push(step, step / 2);
      if (step % 3 === 0) batcher.closeEpoch(step, report(step / 3));
    }
    batcher.flush();
    const gaps = sent.slice(1, -1).map((s, i) => s.at - sent[i]!.at);
    expect(gaps.every((g) => g >= 10)).toBe(true);
    expect(sent.length).toBe(11);
    // Reassembled, the batches are exactly what was pushed.
    const losses = sent.flatMap(({ batch }) => [...batch.losses].map((l, i) => [batch.firstStep + i, l]));
    expect(losses).toEqual(Array.from({ length: 100 }, (_, i) => [i + 1, (i + 1) / 2]));
    const epochs = sent.flatMap(({ batch }) => batch.epochs.map((e) => [e.step, e.report.epoch]));
    expect(epochs).toEqual(Array.from({ length: 33 }, (_, i) => [3 * (i + 1), i + 1]));
  });

  it('an epoch closed after the interval goes at once; an empty flush sends nothing', () => {
    let now = 0;
    const sent: ProgressBatch[] = [];
    const batcher = new ProgressBatcher(
      (batch) => sent.push(batch),
      10,
      () => now,
    );
    batcher.push(1, 0.5);
    now = 20;
    batcher.closeEpoch(1, report(1));
    expect(sent.map((b) => [b.losses.length, b.epochs.length])).toEqual([
      [1, 0],
      [0, 1],
    ]);
    batcher.flush();
    expect(sent.length).toBe(2);
  });
});
