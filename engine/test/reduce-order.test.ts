// Sums add each output's values in one fixed order (row-major over the reduced dims) in float64
// and round once; the kernel sums four outputs side by side, and every sum still equals the one
// added alone, bit for bit (values of very different sizes make the order visible).
import { describe, expect, it } from 'vitest';
import * as hg from '../src/index.ts';

/** Σ over `dims` of a dense float64 array of `shape`, one output at a time, in row-major order. */
function sequentialSum(values: Float64Array, shape: number[], dims: number[]): number[] {
  const kept = shape.map((_, d) => d).filter((d) => !dims.includes(d));
  const strides = shape.map((_, d) => shape.slice(d + 1).reduce((p, q) => p * q, 1));
  const count = (ds: number[]) => ds.reduce((p, d) => p * shape[d]!, 1);
  const offset = (ds: number[], index: number) => {
    let at = 0;
    for (let i = ds.length - 1; i >= 0; i--) {
      at += (index % shape[ds[i]!]!) * strides[ds[i]!]!;
      index = Math.floor(index / shape[ds[i]!]!);
    }
    return at;
  };
  const out: number[] = [];
  for (let o = 0; o < count(kept); o++) {
    let acc = 0;
    for (let r = 0; r < count(dims); r++) acc += values[offset(kept, o) + offset(dims, r)]!;
    out.push(acc);
  }
  return out;
}

describe('sums over dims', () => {
  it.each([
    [
      [6, 7, 13],
      [0, 2],
    ], // a conv bias gradient: 7 outputs (four side by side, then three)
    [[5, 9, 4], [1]],
    [
      [3, 4, 5, 6],
      [0, 3],
    ],
    [[11, 6], [1]],
    [[2, 3, 5], [0]],
  ])('of %j over %j equal adding each output alone', (shape, dims) => {
    hg.manualSeed(2);
    // float64, spread over 30 orders of magnitude: a different order would round differently.
    const x = hg
      .randn(shape, { dtype: 'float64' })
      .mul(hg.rand(shape, { dtype: 'float64' }).mul(70).sub(35).exp());
    const values = x.dataSync() as Float64Array;
    expect(Array.from(x.sum(dims).dataSync())).toEqual(sequentialSum(values, shape, dims));
    // float32 sums accumulate in float64 too and round once.
    const x32 = x.float();
    const expected = sequentialSum(Float64Array.from(x32.dataSync()), shape, dims).map(Math.fround);
    expect(Array.from(x32.sum(dims).dataSync())).toEqual(expected);
  });
});
