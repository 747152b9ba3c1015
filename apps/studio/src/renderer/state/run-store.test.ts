// The run store keeps a long run's losses without copying them per batch, and a new graph starts
// with its own empty series (never the previous run's array).
import { describe, expect, it } from 'vitest';
import { useRun } from './run-store.ts';

const send = (firstStep: number, values: number[]) =>
  useRun.getState().actions.receive({ type: 'losses', firstStep, losses: Float64Array.from(values) });

describe('run store losses', () => {
  it('appends in place with a new version per batch, and starts fresh for each load', () => {
    const { actions } = useRun.getState();
    actions.loaded({ state: 'starting' }, 'a', 'ready');
    const array = useRun.getState().losses;
    const v0 = useRun.getState().lossVersion;
    for (let b = 0; b < 1000; b++)
      send(
        b * 100 + 1,
        Array.from({ length: 100 }, (_, k) => b + k / 100),
      );
    const s = useRun.getState();
    expect(s.losses).toBe(array);
    expect(s.losses.length).toBe(100_000);
    expect(s.step).toBe(100_000);
    expect(s.lossVersion).toBe(v0 + 1000);
    expect(s.losses[12_345]).toBeCloseTo(123.45, 10);
    actions.loaded({ state: 'starting' }, 'b', 'ready');
    expect(useRun.getState().losses).toEqual([]);
    expect(useRun.getState().losses).not.toBe(array);
    actions.clearSeries();
    send(1, [5]);
    actions.loaded({ state: 'starting' }, 'c', 'ready');
    // The series of the cleared run did not leak into the new one.
    expect(useRun.getState().losses).toEqual([]);
  });
});
