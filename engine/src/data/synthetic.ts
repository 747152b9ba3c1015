// Synthetic datasets that need no network: 2-D classification sets for the studio's
// decision-boundary plots and simple regression sets. All are seeded and deterministic.
import { tensor } from '../creation.ts';
import { Generator } from '../random.ts';
import type { Tensor } from '../tensor.ts';

export interface XY {
  /** Features, float32 [n, d]. */
  x: Tensor;
  /** Class indices (int64 [n]) or regression targets (float32 [n, 1]). */
  y: Tensor;
}

interface Common {
  seed?: number;
  noise?: number;
}

function normal(gen: Generator): number {
  return gen.nextNormalScalar();
}

function build(points: number[][], labels: number[], regression = false): XY {
  return {
    x: tensor(points, { dtype: 'float32' }),
    y: regression
      ? tensor(
          labels.map((v) => [v]),
          { dtype: 'float32' },
        )
      : tensor(labels, { dtype: 'int64' }),
  };
}

/** Gaussian blobs around centres spread on a circle of radius 3. */
export function blobs(
  n: number,
  {
    classes = 3,
    std = 0.6,
    seed = 0,
    features = 2,
  }: Common & { classes?: number; std?: number; features?: number } = {},
): XY {
  const gen = new Generator(seed);
  const centres = Array.from({ length: classes }, (_, c) =>
    Array.from({ length: features }, (_, f) => 3 * Math.cos((2 * Math.PI * c) / classes + (f * Math.PI) / 2)),
  );
  const points: number[][] = [];
  const labels: number[] = [];
  for (let i = 0; i < n; i++) {
    const c = i % classes;
    points.push(centres[c]!.map((m) => m + std * normal(gen)));
    labels.push(c);
  }
  return build(points, labels);
}

/** Two interleaving half circles. */
export function moons(n: number, { noise = 0.1, seed = 0 }: Common = {}): XY {
  const gen = new Generator(seed);
  const points: number[][] = [];
  const labels: number[] = [];
  for (let i = 0; i < n; i++) {
    const c = i % 2;
    const t = Math.PI * gen.nextFloat64();
    const [x, y] = c === 0 ? [Math.cos(t), Math.sin(t)] : [1 - Math.cos(t), 0.5 - Math.sin(t)];
    points.push([x + noise * normal(gen), y + noise * normal(gen)]);
    labels.push(c);
  }
  return build(points, labels);
}

/** A small circle inside a large one. */
export function circles(
  n: number,
  { noise = 0.05, factor = 0.5, seed = 0 }: Common & { factor?: number } = {},
): XY {
  const gen = new Generator(seed);
  const points: number[][] = [];
  const labels: number[] = [];
  for (let i = 0; i < n; i++) {
    const c = i % 2;
    const t = 2 * Math.PI * gen.nextFloat64();
    const r = c === 0 ? 1 : factor;
    points.push([r * Math.cos(t) + noise * normal(gen), r * Math.sin(t) + noise * normal(gen)]);
    labels.push(c);
  }
  return build(points, labels);
}

/** Interleaved spiral arms, one per class. */
export function spirals(
  n: number,
  { classes = 2, noise = 0.1, seed = 0 }: Common & { classes?: number } = {},
): XY {
  const gen = new Generator(seed);
  const points: number[][] = [];
  const labels: number[] = [];
  for (let i = 0; i < n; i++) {
    const c = i % classes;
    const r = gen.nextFloat64();
    const t = 4 * r * Math.PI + (2 * Math.PI * c) / classes;
    points.push([r * Math.cos(t) * 2 + noise * normal(gen), r * Math.sin(t) * 2 + noise * normal(gen)]);
    labels.push(c);
  }
  return build(points, labels);
}

/** Points in [−1, 1]²; the class is whether x and y have the same sign. */
export function xor(n: number, { noise = 0, seed = 0 }: Common = {}): XY {
  const gen = new Generator(seed);
  const points: number[][] = [];
  const labels: number[] = [];
  for (let i = 0; i < n; i++) {
    const x = 2 * gen.nextFloat64() - 1;
    const y = 2 * gen.nextFloat64() - 1;
    points.push([x + noise * normal(gen), y + noise * normal(gen)]);
    labels.push(x * y > 0 ? 1 : 0);
  }
  return build(points, labels);
}

/** y = x·w + b + noise with a fixed w (1, −2, 3, …) and b = 0.5. */
export function linearRegression(
  n: number,
  { features = 3, noise = 0.1, seed = 0 }: Common & { features?: number } = {},
): XY & { weight: number[]; bias: number } {
  const gen = new Generator(seed);
  const weight = Array.from({ length: features }, (_, i) => (i % 2 === 0 ? 1 : -1) * (i + 1));
  const bias = 0.5;
  const points: number[][] = [];
  const targets: number[] = [];
  for (let i = 0; i < n; i++) {
    const x = Array.from({ length: features }, () => normal(gen));
    points.push(x);
    targets.push(x.reduce((s, v, j) => s + v * weight[j]!, bias) + noise * normal(gen));
  }
  return { ...build(points, targets, true), weight, bias };
}

/** y = sin(x) + noise for x uniform in [−π, π]. */
export function sine(n: number, { noise = 0.05, seed = 0 }: Common = {}): XY {
  const gen = new Generator(seed);
  const points: number[][] = [];
  const targets: number[] = [];
  for (let i = 0; i < n; i++) {
    const x = Math.PI * (2 * gen.nextFloat64() - 1);
    points.push([x]);
    targets.push(Math.sin(x) + noise * normal(gen));
  }
  return build(points, targets, true);
}
