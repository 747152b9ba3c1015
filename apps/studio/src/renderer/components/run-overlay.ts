// Earlier runs drawn over the live charts: each run's curve is put on the chart's x axis (the
// union of every curve's x values), with gaps where a curve has no point.
import type { RunRecord } from '@hgrad/ir';
import type { Series } from './LineChart.tsx';

export interface Curve {
  label: string;
  color: string;
  dash?: number[];
  points: [x: number, y: number | null][];
}

/** Colours of overlaid runs, in the order they are chosen. */
export const RUN_COLORS = ['#e8792b', '#9b59b6', '#c0392b', '#16a085', '#7f8c8d', '#d4ac0d'] as const;

/** The curves on one x axis, as a chart takes them. */
export function alignCurves(curves: Curve[]): { x: number[]; series: Series[] } {
  const xs = [...new Set(curves.flatMap((c) => c.points.map(([x]) => x)))].sort((a, b) => a - b);
  const at = new Map(xs.map((x, i) => [x, i]));
  const series = curves.map(({ points, ...style }) => {
    const values = new Array<number | null>(xs.length).fill(null);
    for (const [x, y] of points) values[at.get(x)!] = y;
    return { ...style, values };
  });
  return { x: xs, series };
}

/** A run's loss curve by step: each point is the mean of a block of steps, placed at the block's end. */
export function runLossCurve(run: RunRecord, color: string): Curve {
  const { every, values } = run.loss;
  return {
    label: run.name,
    color,
    dash: [5, 3],
    points: values.map((v, i) => [(i + 1) * every, v]),
  };
}

/** A run's per-epoch metric (validation accuracy, validation loss, …). */
export function runEpochCurve(
  run: RunRecord,
  metric: 'valAccuracy' | 'valLoss' | 'trainLoss' | 'trainAccuracy',
  color: string,
): Curve {
  return { label: run.name, color, dash: [5, 3], points: run.epochs.map((e) => [e.epoch, e[metric]]) };
}
