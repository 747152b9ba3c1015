// Reduction kernels. The reduced dims are iterated as an inner strided block per output
// element; the accumulator is a float64 JS number, then rounded once on store.
import { typedArrayFor, type DType, type TypedArray } from '../../dtype.ts';
import { isDense, numel } from '../../shape.ts';
import type { ArgReduceOp, CumulativeOp, ReduceOp, View } from '../types.ts';
import { planRows, RowIter } from './strided.ts';
import { wasmColumnSum } from '../wasm/elementwise.ts';
import { wasmChannelSums } from '../wasm/channel-sums.ts';

interface Split {
  keptShape: number[];
  keptStrides: number[];
  redShape: number[];
  redStrides: number[];
}

function split(x: View, dims: readonly number[]): Split {
  const s: Split = { keptShape: [], keptStrides: [], redShape: [], redStrides: [] };
  for (let d = 0; d < x.shape.length; d++) {
    const reduced = dims.includes(d);
    (reduced ? s.redShape : s.keptShape).push(x.shape[d]!);
    (reduced ? s.redStrides : s.keptStrides).push(x.strides[d]!);
  }
  return s;
}

// prettier-ignore
export function reduce(op: ReduceOp, x: View, dims: readonly number[], outDtype: DType): TypedArray {
  const fast = op === 'sum' && outDtype === 'float32' ? (columnSum(x, dims) ?? channelSum(x, dims)) : null;
  if (fast) return fast;
  const { keptShape, keptStrides, redShape, redStrides } = split(x, dims);
  const out = typedArrayFor(outDtype, numel(keptShape));
  const src = x.buffer as TypedArray;
  const outer = planRows(keptShape, [keptStrides]);
  const outerIt = new RowIter(outer, [x.offset]);
  const inner = planRows(redShape, [redStrides]);
  const innerIt = new RowIter(inner, [0]);
  const ks = outer.inner[0]!;
  const rs = inner.inner[0]!;
  const emptyReduction = numel(redShape) === 0;
  if (emptyReduction && (op === 'max' || op === 'min') && out.length > 0)
    throw new Error(`${op}(): expected a non-empty reduction, but the reduced dims have size 0`);
  let o = 0;
  for (let r = 0; r < outer.rows; r++) {
    let j = 0;
    let base = outerIt.off[0]!;
    // Sums four outputs at a time: four independent float64 chains (each still adds its values
    // in order, so every sum rounds as before) instead of one chain waiting on each addition.
    if (op === 'sum')
      for (; j + 4 <= outer.n; j += 4, base += 4 * ks) {
        innerIt.reset([base]);
        let a0 = 0;
        let a1 = 0;
        let a2 = 0;
        let a3 = 0;
        for (let q = 0; q < inner.rows; q++) {
          for (let t = 0, i = innerIt.off[0]!; t < inner.n; t++, i += rs) {
            a0 += src[i]!;
            a1 += src[i + ks]!;
            a2 += src[i + 2 * ks]!;
            a3 += src[i + 3 * ks]!;
          }
          innerIt.next();
        }
        out[o++] = a0;
        out[o++] = a1;
        out[o++] = a2;
        out[o++] = a3;
      }
    for (; j < outer.n; j++, base += ks) {
      innerIt.reset([base]);
      let acc = op === 'sum' ? 0 : op === 'prod' ? 1 : op === 'max' ? -Infinity : Infinity;
      for (let q = 0; q < inner.rows; q++) {
        let i = innerIt.off[0]!;
        const end = inner.n;
        switch (op) {
          case 'sum': for (let t = 0; t < end; t++, i += rs) acc += src[i]!; break;
          case 'prod': for (let t = 0; t < end; t++, i += rs) acc *= src[i]!; break;
          case 'max': for (let t = 0; t < end; t++, i += rs) { const v = src[i]!; if (v > acc || v !== v) acc = v; } break;
          case 'min': for (let t = 0; t < end; t++, i += rs) { const v = src[i]!; if (v < acc || v !== v) acc = v; } break;
        }
        if (acc !== acc && (op === 'max' || op === 'min')) break;
        innerIt.next();
      }
      out[o++] = acc;
    }
    outerIt.next();
  }
  return out;
}

/**
 * A float32 sum over every dim but one of a dense tensor (batch norm's per-channel sums over
 * [N, C, H, W]), on WASM SIMD: the same order and precision as the loops below.
 */
function channelSum(x: View, dims: readonly number[]): TypedArray | null {
  if (!(x.buffer instanceof Float32Array) || dims.length !== x.shape.length - 1) return null;
  if (!isDense(x.shape, x.strides)) return null;
  const c = x.shape.findIndex((_, d) => !dims.includes(d));
  const [n, L] = [numel(x.shape.slice(0, c)), numel(x.shape.slice(c + 1))];
  return wasmChannelSums(x.buffer, x.offset, n, x.shape[c]!, L);
}

/** A float32 sum over the leading dims of a dense tensor, on WASM SIMD (same order and precision). */
function columnSum(x: View, dims: readonly number[]): TypedArray | null {
  if (!(x.buffer instanceof Float32Array) || dims.length === 0 || dims.length >= x.shape.length) return null;
  if (!dims.every((d, i) => d === i)) return null;
  if (!isDense(x.shape, x.strides)) return null;
  const rows = numel(x.shape.slice(0, dims.length));
  return wasmColumnSum(x.buffer, x.offset, rows, numel(x.shape.slice(dims.length)));
}

export function argReduce(op: ArgReduceOp, x: View, dim: number): TypedArray {
  const { keptShape, keptStrides } = split(x, [dim]);
  const size = x.shape[dim] ?? 1;
  const step = x.strides[dim] ?? 0;
  if (size === 0) throw new Error(`${op}(): expected a non-empty dimension ${dim} to reduce`);
  const out = typedArrayFor('int64', numel(keptShape));
  const src = x.buffer as TypedArray;
  const outer = planRows(keptShape, [keptStrides]);
  const it = new RowIter(outer, [x.offset]);
  const ks = outer.inner[0]!;
  const isMax = op === 'argmax';
  let o = 0;
  for (let r = 0; r < outer.rows; r++) {
    for (let j = 0, base = it.off[0]!; j < outer.n; j++, base += ks) {
      let best = src[base]!;
      let bestIndex = 0;
      for (let t = 1, i = base + step; t < size && best === best; t++, i += step) {
        const v = src[i]!;
        if (v !== v || (isMax ? v > best : v < best)) {
          best = v;
          bestIndex = t;
        }
      }
      out[o++] = bestIndex;
    }
    it.next();
  }
  return out;
}

export function cumulative(op: CumulativeOp, x: View, dim: number, outDtype: DType): TypedArray {
  const out = typedArrayFor(outDtype, numel(x.shape));
  if (x.shape.length === 0) {
    out[0] = (x.buffer as TypedArray)[x.offset]!;
    return out;
  }
  const { keptShape, keptStrides } = split(x, [dim]);
  const size = x.shape[dim]!;
  const step = x.strides[dim]!;
  const outStep = numel(x.shape.slice(dim + 1));
  const src = x.buffer as TypedArray;
  const outer = planRows(keptShape, [keptStrides]);
  const it = new RowIter(outer, [x.offset]);
  const ks = outer.inner[0]!;
  let line = 0;
  for (let r = 0; r < outer.rows; r++) {
    for (let j = 0, base = it.off[0]!; j < outer.n; j++, base += ks, line++) {
      // Output line start: lines are numbered in kept-dims order; split it around `dim`.
      const after = outStep;
      const o0 = Math.floor(line / after) * after * size + (line % after);
      let acc = op === 'cumsum' ? 0 : 1;
      for (let t = 0, i = base, oi = o0; t < size; t++, i += step, oi += after) {
        acc = op === 'cumsum' ? acc + src[i]! : acc * src[i]!;
        out[oi] = acc;
      }
    }
    it.next();
  }
  return out;
}
