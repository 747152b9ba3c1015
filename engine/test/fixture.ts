// Loads the PyTorch fixtures and turns their encoded tensors into engine tensors.
import { readFileSync } from 'node:fs';
import * as hg from '../src/index.ts';
import type { DType, Tensor } from '../src/index.ts';

export interface Encoded {
  shape: number[];
  dtype: DType;
  data: (number | string)[];
  requiresGrad?: boolean;
}

export interface FixtureCase {
  name: string;
  dtype: 'float32' | 'float64';
  inputs: Encoded[];
  output: Encoded;
  gradOutput?: Encoded;
  grads?: (Encoded | null)[];
}

export function loadFixture(file: string): { torch: string; cases: FixtureCase[] } {
  return JSON.parse(readFileSync(new URL(`./fixtures/${file}`, import.meta.url), 'utf8'));
}

export const decodeNumber = (v: number | string): number =>
  typeof v === 'number' ? v : v === 'nan' ? NaN : v === 'inf' ? Infinity : -Infinity;

export function decode(e: Encoded): Tensor {
  // Every fixture value is exact in float64; tensor() casts them to the dtype (exactly, as written).
  const values = Float64Array.from(e.data.map(decodeNumber));
  return hg.tensor(values, { shape: e.shape, dtype: e.dtype, requiresGrad: e.requiresGrad ?? false });
}

/** Largest violation of |actual − expected| ≤ atol + rtol·|expected| (0 when all within). */
export function closeness(
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
  rtol: number,
  atol: number,
) {
  let worst = { index: -1, actual: 0, expected: 0, excess: 0 };
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i]!;
    const b = expected[i]!;
    if (Number.isNaN(a) && Number.isNaN(b)) continue;
    if (a === b) continue;
    const excess = Math.abs(a - b) - (atol + rtol * Math.abs(b));
    if (!(excess <= 0) && (worst.index < 0 || excess > worst.excess || Number.isNaN(excess)))
      worst = { index: i, actual: a, expected: b, excess };
  }
  return worst;
}
