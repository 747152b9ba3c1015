// A convolution's three products with their columns laid out where the product reads them: each
// sample's im2col goes straight into WebAssembly memory as the product's operand, and the input
// gradient's columns go through col2im there, so the column tensors ([N, C·K, L], megabytes per
// layer) are neither made nor copied in and out. Each result is bit for bit what im2col, the
// batched matmul and col2im give one after the other (the same kernel sums each entry in the
// same order). With matmul threads started, the samples are shared out between the threads
// (each sample's result is computed by one thread with the same calls, so the values do not
// change). Null where WebAssembly is unavailable or the memory cannot grow: the caller composes
// those ops instead.
import type { View } from '../types.ts';
import { takeCopyF32, takeF32 } from '../cpu/pool.ts';
import { reserve, type WasmMemory } from './instance.ts';
import { wasmElementwiseEnabled, wasmElementwiseStats } from './elementwise.ts';
import { load, loadInArena, place, round, wayOf } from './sgemm.ts';
import { addressOf, arenaMemory, arenaScratch } from './arena.ts';
import { wasmMatmulFor } from '../cpu/matmul.ts';
import { sharedKernel, threadedConv, threadParts, threadPool } from './threads.ts';
import {
  convStep,
  FORWARD,
  INPUT_GRAD,
  P,
  PLAN_SLOTS,
  WEIGHT_GRAD,
  WEIGHT_GRAD_DIRECT,
} from './conv-steps.ts';
import type { ConvKernel } from './sgemm-exports.ts';

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
 * Where a convolution runs: this thread's kernel, the threads' over their shared memory, or this
 * thread's over the arena (arena.ts), where operands from the buffer pool are read where they
 * lie and results written straight into the pool's arrays.
 */
interface Target {
  k: ConvKernel;
  memory: WasmMemory;
  /** 1, or the number of threads the samples are shared out between. */
  parts: number;
  arena: boolean;
}

/**
 * A convolution's samples are shared out between the threads from this many multiply-adds in
 * all, below the matmul's THREAD_MIN_WORK: each thread takes whole samples (no product is split,
 * and each sample's columns are laid out by the thread that runs it), so the hand-off is the
 * only cost. Measured on 2 threads, CNN step (steps/s, 4 interleaved rounds): 68–70 with the
 * matmul's 9M, 75 from 1M — its first layer (1 → 16 channels, 7.2M over 64 samples, 0.8 ms
 * forward and 1.2 ms for the weight's gradient) was left on one thread. 2M, not 1M: that layer
 * is shared out either way, and a sample's hand-off stays small beside its work.
 */
export const CONV_THREAD_MIN_WORK = 2_000_000;

/**
 * Where n samples of products of `work` multiply-adds each run, or null where the composed ops
 * would not run their products on WebAssembly either (a product below the matmul's threshold,
 * or the reference kernel chosen): the results then come from those ops, exactly as before.
 */
function target(n: number, work: number, resident: boolean): Target | null {
  const single = wasmElementwiseEnabled() && wasmMatmulFor(work) ? load() : null;
  if (!single) return null;
  const pool = n > 1 && n * work >= CONV_THREAD_MIN_WORK ? threadPool() : null;
  if (pool) {
    const arena = pool.memory === arenaMemory();
    return { k: sharedKernel() as ConvKernel, memory: pool.memory, parts: threadParts(), arena };
  }
  const inArena = resident ? loadInArena() : null;
  if (inArena) return { k: inArena, memory: inArena.memory, parts: 1, arena: true };
  return { k: single, memory: single.memory, parts: 1, arena: false };
}

/** An operand's address when the target runs over the arena and the operand lives there. */
const residentAt = (t: Target, array: Float32Array, offset: number): number | null =>
  t.arena ? addressOf(array, offset) : null;

/**
 * Byte offsets of the regions a convolution needs: `shared` ones once, then `scratch` ones once
 * per part (part q's `q · part` bytes after part 0's); from byte 0 of the kernel's own memory,
 * or in a block of the arena, given back by `done`. Null where the memory cannot grow. Take
 * the arena arrays a call writes before this: `heap` covers the memory as it is now.
 */
function lay<S extends number[], Q extends number[]>(
  t: Target,
  shared: [...S],
  scratch: [...Q],
): {
  shared: { [I in keyof S]: number };
  scratch: { [I in keyof Q]: number };
  part: number;
  heap: Float32Array;
  done(): void;
} | null {
  const r = regions();
  shared.forEach((floats) => r.take(floats));
  const q = regions();
  scratch.forEach((floats) => q.take(floats));
  const bytes = r.end() + t.parts * q.end();
  let base = 0;
  let done = () => {};
  if (t.arena) {
    const block = arenaScratch(bytes);
    if (!block) return null;
    [base, done] = [block.at, block.done];
  } else
    try {
      reserve(t.memory, bytes);
    } catch {
      return null; // past what WebAssembly memory can hold
    }
  // The same bump order again, from the base.
  const [rs, qs] = [regions(), regions()];
  const sharedAt = shared.map((floats) => base + rs.take(floats)) as { [I in keyof S]: number };
  const scratchAt = scratch.map((floats) => base + r.end() + qs.take(floats)) as { [I in keyof Q]: number };
  wasmElementwiseStats.calls++;
  return {
    shared: sharedAt,
    scratch: scratchAt,
    part: q.end(),
    heap: new Float32Array(t.memory.buffer),
    done,
  };
}

/**
 * A plan (conv-steps.ts): the convolution's sizes (with the plain runs table's count, its K·L
 * and the per-sample strides of x and g), then the named slots given.
 */
function plan(s: ConvSizes, slots: Partial<Record<keyof typeof P, number>>): Int32Array {
  const { n, c, plane, o, K, L, runs } = s;
  const sizes = { N: n, C: c, PLANE: plane, O: o, L, CK: c * K, KL: K * L, NRUNS: runs.length / 3 };
  const strides = { XS: c * plane * 4, GS: o * L * 4 };
  const out = new Int32Array(PLAN_SLOTS);
  for (const [name, value] of Object.entries({ ...sizes, ...strides, ...slots }))
    out[P[name as keyof typeof P]] = value;
  return out;
}

/**
 * Every sample's step: shared out between the threads, or here one after another with `each`
 * run after each sample (reading its result out of a slot the next one reuses).
 */
function runSamples(t: Target, steps: Int32Array, n: number, each?: (p: number) => void): void {
  if (t.parts > 1) {
    threadedConv(steps);
    if (each) for (let p = 0; p < n; p++) each(p);
    return;
  }
  for (let p = 0; p < n; p++) {
    convStep(t.k, steps, p, 0);
    each?.(p);
  }
}

/**
 * The runs table with the columns' rows `pitch` floats apart instead of L (a product's rows
 * padded to a multiple of 8), runs split where they cross a row: col2im then reads the product
 * where it lies, adding the same values in the same order.
 */
function pitched(runs: Int32Array, L: number, pitch: number): Int32Array {
  if (pitch === L) return runs;
  const out: number[] = [];
  for (let i = 0; i < runs.length; i += 3) {
    let [e, s, len] = [runs[i]!, runs[i + 1]!, runs[i + 2]!];
    while (len > 0) {
      const [row, col] = [Math.floor(e / L), e % L];
      const take = Math.min(len, L - col);
      out.push(row * pitch + col, s, take);
      [e, s, len] = [e + take, s + take, len - take];
    }
  }
  return Int32Array.from(out);
}

/**
 * A weight view [rows, cols] packed for the product (sgemmP: four rows a step adjacent; rows up to
 * a multiple of 4 zero) at byte `at`, through `scratch` (rows × cols floats): a dense W copied and
 * packed (packA), a transposed one (Wᵀ, the input gradient's) packed from W as it is (packAT).
 */
function placeWeight(
  k: Target['k'],
  heap: Float32Array,
  w: View,
  rows: number,
  cols: number,
  at: number,
  scratch: number,
) {
  const [rs, cs] = w.strides as [number, number];
  const way = wayOf(w.buffer instanceof Float32Array, rows, cols, rs, cs);
  if (way === 'transposed') {
    heap.set((w.buffer as Float32Array).subarray(w.offset, w.offset + rows * cols), scratch / 4);
    k.packAT(scratch, at, rows, cols, rows);
    return;
  }
  place(way, w.buffer as Float32Array, w.offset, rows, cols, rs, cs, {
    heap,
    at: scratch,
    pitch: cols,
    kernel: k,
  });
  k.packA(scratch, at, rows, cols, cols);
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
  const t = target(n, o * CK * L, addressOf(x, xAt) !== null);
  if (!t) return null;
  const xAt0 = residentAt(t, x, xAt);
  const out = takeF32(n * o * L);
  // The products straight into out when their rows are out's (no padding rows or columns).
  const direct = mp === o && np === L ? residentAt(t, out, 0) : null;
  // Each sample's product in its own slot when the threads share the samples, else one slot.
  const slots = t.parts > 1 ? n : 1;
  const regions = lay(
    t,
    [
      mp * CK,
      xAt0 === null ? n * c * plane : 0,
      runs.length,
      o * CK,
      o,
      direct === null ? slots * mp * np : 0,
    ],
    [CK * L, CK * np],
  );
  if (!regions) return null;
  const [aPtr, xPtr, runsPtr, sPtr, biasPtr, outPtr] = regions.shared;
  const [colsPtr, panelsPtr] = regions.scratch;
  const { heap, part } = regions;
  placeWeight(t.k, heap, w, o, CK, aPtr, sPtr);
  if (xAt0 === null) heap.set(x.subarray(xAt, xAt + n * c * plane), xPtr / 4);
  new Int32Array(t.memory.buffer).set(runs, runsPtr / 4);
  // Entries no run writes (padding) are zero for every sample.
  for (let q = 0; q < t.parts; q++) heap.fill(0, (colsPtr + q * part) / 4, (colsPtr + q * part) / 4 + CK * L);
  if (bias) heap.set(bias, biasPtr / 4);
  const steps = plan(s, {
    KIND: FORWARD,
    W: aPtr,
    X: xAt0 ?? xPtr,
    RUNS: runsPtr,
    S1: colsPtr,
    S2: panelsPtr,
    PART: part,
    MP: mp,
    NP: np,
    BIAS: bias ? biasPtr : -1,
    OUT: direct ?? outPtr,
    OS: direct !== null ? o * L * 4 : slots > 1 ? mp * np * 4 : 0,
  });
  runSamples(
    t,
    steps,
    n,
    direct !== null
      ? undefined
      : (p) => copyRows(heap, outPtr + (slots > 1 ? p * mp * np * 4 : 0), o, L, np, out, p * o * L),
  );
  regions.done();
  return out;
}

/** The input's gradient [n, c·plane] = col2im(Wᵀ · g) per sample, g [n, o, L] dense from gAt. */
export function wasmConvInputGrad(g: Float32Array, gAt: number, w: View, s: ConvSizes): Float32Array | null {
  const { n, c, plane, o, K, L, runs } = s;
  const CK = c * K;
  const [mp, np] = [round(CK, 4), round(L, 8)];
  const t = target(n, o * CK * L, addressOf(g, gAt) !== null);
  if (!t) return null;
  const table = pitched(runs, L, np);
  // g read where it lies (panels read up to 7 floats past its last row: the block's slack), dx
  // added up where it is returned.
  const gAt0 = residentAt(t, g, gAt);
  const dx = t.arena ? takeF32(n * c * plane) : null;
  const dxAt = dx && residentAt(t, dx, 0);
  const regions = lay(
    t,
    [mp * o, gAt0 === null ? n * o * L : 0, table.length, dxAt === null ? n * c * plane : 0, o * CK],
    [o * np, mp * np],
  );
  if (!regions) return null;
  const [aPtr, gPtr, runsPtr, dxPtr, sPtr] = regions.shared;
  const [panelsPtr, cPtr] = regions.scratch;
  const { heap, part } = regions;
  // Wᵀ [c·K, o] from W [o, c·K].
  const [ws0, ws1] = w.strides as [number, number];
  placeWeight(t.k, heap, { ...w, shape: [CK, o], strides: [ws1, ws0] }, CK, o, aPtr, sPtr);
  if (gAt0 === null) heap.set(g.subarray(gAt, gAt + n * o * L), gPtr / 4);
  new Int32Array(t.memory.buffer).set(table, runsPtr / 4);
  if (dxAt === null) heap.fill(0, dxPtr / 4, dxPtr / 4 + n * c * plane);
  else dx!.fill(0);
  const steps = plan(s, {
    KIND: INPUT_GRAD,
    W: aPtr,
    G: gAt0 ?? gPtr,
    RUNS: runsPtr,
    NRUNS: table.length / 3,
    KL: K * np,
    S2: panelsPtr,
    S3: cPtr,
    PART: part,
    MP: mp,
    NP: np,
    OUT: dxAt ?? dxPtr,
    OS: c * plane * 4,
  });
  runSamples(t, steps, n);
  regions.done();
  return dxAt !== null ? dx! : takeCopyF32(heap.subarray(dxPtr / 4, dxPtr / 4 + n * c * plane));
}

/**
 * Each sample's weight gradient [n, o, c·K] = g_p · im2col(x_p)ᵀ, g [n, o, L] dense from gAt,
 * computed as its transpose im2col(x_p) · g_pᵀ: the columns are then the product's A as im2col
 * lays them out, and only g_p ([o, L], several times smaller) is packed (as its transpose). Each
 * entry is the same sum over L in the same order, so the values are bit for bit the same.
 * With `bias`, also the bias's gradient [o]: g summed over samples and positions while g is in
 * WebAssembly memory, each channel in the order (and float64 precision) of the TypeScript sum.
 */
export function wasmConvWeightGrads(
  g: Float32Array,
  gAt: number,
  x: Float32Array,
  xAt: number,
  s: ConvSizes,
  bias = false,
): { weight: Float32Array; bias: Float32Array | null } | null {
  const { n, c, plane, o, K, L, runs } = s;
  const CK = c * K;
  const t = target(n, o * CK * L, addressOf(g, gAt) !== null || addressOf(x, xAt) !== null);
  if (!t) return null;
  // g where it lies when the 8 rows past it that the product may read (into padding entries
  // only) are inside the memory; x where it lies.
  const gEnd = (n * o * L + 8 * L) * 4;
  const gResident = residentAt(t, g, gAt);
  const gAt0 = gResident !== null && gResident + gEnd <= t.memory.buffer.byteLength ? gResident : null;
  const xAt0 = residentAt(t, x, xAt);
  const out = takeF32(n * o * CK);
  const slots = t.parts > 1 ? n : 1;
  // Which product moves less data per sample: the transposed one (g_pᵀ packed, the result
  // transposed back) or g_p · columnsᵀ (the columns' transpose packed: few columns, as a first
  // layer's 1·3·3). The sums are the same either way.
  const direct = L * round(CK, 8) < L * round(o, 8) + round(o, 8) * CK;
  const [mp, np] = direct ? [round(o, 4), round(CK, 8)] : [round(CK, 4), round(o, 8)];
  const slot = direct ? mp * np : np * CK;
  // Each sample's dW transposed back straight into out, when it is exactly o rows ([np, CK]).
  const into = !direct && np === o ? residentAt(t, out, 0) : null;
  // Scratch: the columns (with rows of slack for the product or panelsT to read past), the
  // panels, and the product. g has slack rows for A's padding rows, or for panelsT to read past.
  const regions = lay(
    t,
    [
      gAt0 === null ? n * o * L + 8 * L : 0,
      xAt0 === null ? n * c * plane : 0,
      runs.length,
      into === null ? slots * slot : 0,
      o,
    ],
    [(CK + 8) * L, L * np, direct ? 0 : mp * np, mp * L],
  );
  if (!regions) return null;
  const [gCopy, xCopy, runsPtr, outPtr, biasPtr] = regions.shared;
  const [colsPtr, panelsPtr, cPtr, packedPtr] = regions.scratch;
  const { heap, part } = regions;
  if (gAt0 === null) heap.set(g.subarray(gAt, gAt + n * o * L), gCopy / 4);
  if (xAt0 === null) heap.set(x.subarray(xAt, xAt + n * c * plane), xCopy / 4);
  const [gPtr, xPtr] = [gAt0 ?? gCopy, xAt0 ?? xCopy];
  new Int32Array(t.memory.buffer).set(runs, runsPtr / 4);
  for (let q = 0; q < t.parts; q++)
    heap.fill(0, (colsPtr + q * part) / 4, (colsPtr + q * part) / 4 + (CK + 8) * L);
  const steps = plan(s, {
    KIND: direct ? WEIGHT_GRAD_DIRECT : WEIGHT_GRAD,
    X: xPtr,
    RUNS: runsPtr,
    S1: colsPtr,
    S2: panelsPtr,
    S3: panelsPtr,
    S4: cPtr,
    PA: packedPtr,
    PART: part,
    MP: mp,
    NP: np,
    G: gPtr,
    OUT: into ?? outPtr,
    OS: into !== null ? o * CK * 4 : slots > 1 ? slot * 4 : 0,
  });
  // Direct: the slot holds [mp, np], rows np apart; else dWᵀ transposed back ([np, CK]). Either
  // way its first o rows are the sample's gradient.
  runSamples(
    t,
    steps,
    n,
    into !== null
      ? undefined
      : (p) => {
          const at = outPtr + (slots > 1 ? p * slot * 4 : 0);
          if (direct) copyRows(heap, at, o, CK, np, out, p * o * CK);
          else out.set(heap.subarray(at / 4, at / 4 + o * CK), p * o * CK);
        },
  );
  let biasGrad: Float32Array | null = null;
  if (bias && L > 0) {
    t.k.channelSums(gPtr, n, o, L, biasPtr);
    biasGrad = heap.slice(biasPtr / 4, biasPtr / 4 + o);
  }
  regions.done();
  return { weight: out, bias: biasGrad };
}
