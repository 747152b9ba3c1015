// A convolution's three products with their columns laid out where the product reads them: each
// sample's im2col goes straight into WebAssembly memory as the product's operand, and the input
// gradient's columns go through col2im there, so the column tensors ([N, C·K, L], megabytes per
// layer) are neither made nor copied in and out. Each result is bit for bit what im2col, the
// batched matmul and col2im give one after the other (the same kernel sums each entry in the
// same order). Null where WebAssembly is unavailable or the memory cannot grow: the caller
// composes those ops instead.
import type { View } from '../types.ts';
import { takeCopyF32, takeF32 } from '../cpu/pool.ts';
import { reserve } from './instance.ts';
import { wasmElementwiseEnabled, wasmElementwiseStats } from './elementwise.ts';
import { load, place, round, wayOf, type Kernel } from './sgemm.ts';
import { wasmMatmulFor } from '../cpu/matmul.ts';

/** One convolution's sizes: n samples of c planes, each plane → K·L column entries via `runs`. */
export interface ConvSizes {
  n: number;
  c: number;
  plane: number;
  /** Output channels. */
  o: number;
  K: number;
  L: number;
  /** The runs table ([e, s, len] triples, ops/im2col.ts). */
  runs: Int32Array;
}

/** Bump allocation of byte offsets in the kernel's memory; every region ends with slack. */
function regions(): { take(floats: number): number; end(): number } {
  let at = 0;
  return {
    take(floats: number) {
      const start = at;
      at += Math.ceil((floats + 8) / 4) * 16;
      return start;
    },
    end: () => at,
  };
}

/**
 * The kernel with `bytes` of memory, or null where the composed ops would not run their products
 * on it either (a product of `work` multiply-adds below the matmul's threshold, or the reference
 * kernel chosen): the results then come from those ops, exactly as before.
 */
function kernel(bytes: number, work: number): Kernel | null {
  const k = wasmElementwiseEnabled() && wasmMatmulFor(work) ? load() : null;
  if (!k) return null;
  try {
    reserve(k.memory, bytes);
  } catch {
    return null; // past what WebAssembly memory can hold
  }
  wasmElementwiseStats.calls++;
  return k;
}

/** A weight view [rows, cols] laid out row-major at byte `at`, zero rows after it up to a multiple of 4. */
function placeWeight(
  k: Kernel,
  heap: Float32Array,
  w: View,
  rows: number,
  cols: number,
  at: number,
  scratch: number,
) {
  const [rs, cs] = w.strides as [number, number];
  const way = wayOf(w.buffer instanceof Float32Array, rows, cols, rs, cs);
  place(way, w.buffer as Float32Array, w.offset, rows, cols, rs, cs, {
    heap,
    at,
    pitch: cols,
    scratch,
    kernel: k,
  });
  heap.fill(0, at / 4 + rows * cols, at / 4 + round(rows, 4) * cols);
}

/** C [rows, np] at `from` → rows of n floats at `to` of out (padding columns dropped). */
function copyRows(
  heap: Float32Array,
  from: number,
  rows: number,
  n: number,
  np: number,
  out: Float32Array,
  to: number,
) {
  const c0 = from / 4;
  if (np !== n) for (let r = 1; r < rows; r++) heap.copyWithin(c0 + r * n, c0 + r * np, c0 + r * np + n);
  out.set(heap.subarray(c0, c0 + rows * n), to);
}

/** out [n, o, L] = W [o, c·K] · im2col(x) per sample (+ bias[o], added to each product as it is made). */
export function wasmConvForward(
  x: Float32Array,
  xAt: number,
  w: View,
  bias: Float32Array | null,
  s: ConvSizes,
): Float32Array | null {
  const { n, c, plane, o, K, L, runs } = s;
  const CK = c * K;
  const [mp, np] = [round(o, 4), round(L, 8)];
  const r = regions();
  const [aPtr, xPtr, runsPtr, bPtr, pPtr, cPtr, sPtr, biasPtr] = [
    r.take(mp * CK),
    r.take(n * c * plane),
    r.take(runs.length),
    r.take(CK * L),
    r.take(CK * np),
    r.take(mp * np),
    r.take(o * CK),
    r.take(o),
  ];
  const k = kernel(r.end(), o * CK * L);
  if (!k) return null;
  const heap = new Float32Array(k.memory.buffer);
  placeWeight(k, heap, w, o, CK, aPtr, sPtr);
  heap.set(x.subarray(xAt, xAt + n * c * plane), xPtr / 4);
  new Int32Array(k.memory.buffer).set(runs, runsPtr / 4);
  // Entries no run writes (padding) are zero for every sample.
  heap.fill(0, bPtr / 4, bPtr / 4 + CK * L);
  if (bias) heap.set(bias, biasPtr / 4);
  const out = takeF32(n * o * L);
  for (let p = 0; p < n; p++) {
    k.im2col(xPtr + p * c * plane * 4, runsPtr, runs.length / 3, c, plane, K * L, bPtr);
    k.panels(bPtr, pPtr, CK, np, L);
    k.sgemm(aPtr, pPtr, cPtr, mp, np, CK);
    if (bias) k.addRows(cPtr, biasPtr, o, np);
    copyRows(heap, cPtr, o, L, np, out, p * o * L);
  }
  return out;
}

/** The input's gradient [n, c·plane] = col2im(Wᵀ · g) per sample, g [n, o, L] dense from gAt. */
export function wasmConvInputGrad(g: Float32Array, gAt: number, w: View, s: ConvSizes): Float32Array | null {
  const { n, c, plane, o, K, L, runs } = s;
  const CK = c * K;
  const [mp, np] = [round(CK, 4), round(L, 8)];
  const r = regions();
  const [aPtr, gPtr, runsPtr, pPtr, cPtr, dxPtr, sPtr] = [
    r.take(mp * o),
    r.take(n * o * L),
    r.take(runs.length),
    r.take(o * np),
    r.take(mp * np),
    r.take(n * c * plane),
    r.take(o * CK),
  ];
  const k = kernel(r.end(), o * CK * L);
  if (!k) return null;
  const heap = new Float32Array(k.memory.buffer);
  // Wᵀ [c·K, o] from W [o, c·K].
  const [ws0, ws1] = w.strides as [number, number];
  placeWeight(k, heap, { ...w, shape: [CK, o], strides: [ws1, ws0] }, CK, o, aPtr, sPtr);
  heap.set(g.subarray(gAt, gAt + n * o * L), gPtr / 4);
  new Int32Array(k.memory.buffer).set(runs, runsPtr / 4);
  heap.fill(0, dxPtr / 4, dxPtr / 4 + n * c * plane);
  for (let p = 0; p < n; p++) {
    k.panels(gPtr + p * o * L * 4, pPtr, o, np, L);
    k.sgemm(aPtr, pPtr, cPtr, mp, np, o);
    // The columns' gradient, rows closed up to L, then added back onto the sample's input.
    const c0 = cPtr / 4;
    if (np !== L)
      for (let row = 1; row < CK; row++) heap.copyWithin(c0 + row * L, c0 + row * np, c0 + row * np + L);
    k.col2im(cPtr, runsPtr, runs.length / 3, c, plane, K * L, dxPtr + p * c * plane * 4);
  }
  return takeCopyF32(heap.subarray(dxPtr / 4, dxPtr / 4 + n * c * plane));
}

/**
 * Each sample's weight gradient [n, o, c·K] = g_p · im2col(x_p)ᵀ, g [n, o, L] dense from gAt,
 * computed as its transpose im2col(x_p) · g_pᵀ: the columns are then the product's A as im2col
 * lays them out, and only g_p ([o, L], several times smaller) is transposed and packed. Each
 * entry is the same sum over L in the same order, so the values are bit for bit the same.
 */
export function wasmConvWeightGrads(
  g: Float32Array,
  gAt: number,
  x: Float32Array,
  xAt: number,
  s: ConvSizes,
): Float32Array | null {
  const { n, c, plane, o, K, L, runs } = s;
  const CK = c * K;
  const [mp, np] = [round(CK, 4), round(o, 8)];
  const r = regions();
  const [gPtr, xPtr, runsPtr, aPtr, bPtr, pPtr, cPtr, tPtr] = [
    r.take(n * o * L),
    r.take(n * c * plane),
    r.take(runs.length),
    // The columns, with rows up to mp (what fills the extra rows only reaches dropped entries).
    r.take(mp * L),
    r.take(L * o),
    r.take(L * np),
    r.take(mp * np),
    r.take(np * CK),
  ];
  const k = kernel(r.end(), o * CK * L);
  if (!k) return null;
  const heap = new Float32Array(k.memory.buffer);
  heap.set(g.subarray(gAt, gAt + n * o * L), gPtr / 4);
  heap.set(x.subarray(xAt, xAt + n * c * plane), xPtr / 4);
  new Int32Array(k.memory.buffer).set(runs, runsPtr / 4);
  heap.fill(0, aPtr / 4, aPtr / 4 + mp * L);
  const out = takeF32(n * o * CK);
  for (let p = 0; p < n; p++) {
    k.im2col(xPtr + p * c * plane * 4, runsPtr, runs.length / 3, c, plane, K * L, aPtr);
    // g_pᵀ [L, o], packed as the product's B.
    k.transpose(gPtr + p * o * L * 4, bPtr, o, L, o);
    k.panels(bPtr, pPtr, L, np, o);
    k.sgemm(aPtr, pPtr, cPtr, mp, np, L);
    // C = dWᵀ [mp, np] → [np, CK]; its first o rows are the sample's gradient.
    k.transpose(cPtr, tPtr, CK, np, CK);
    out.set(heap.subarray(tPtr / 4, tPtr / 4 + o * CK), p * o * CK);
  }
  return out;
}
