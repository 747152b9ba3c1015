// The float32 matmul on WebAssembly SIMD128: packs each operand (any strides, as autograd's
// transposed views come) into the kernel's layout in WASM memory, runs sgemm.wat, and copies C
// out. Falls back (returns null) where WebAssembly SIMD is unavailable.
import type { TypedArray } from '../../dtype.ts';
import type { View } from '../types.ts';
import { BYTES_BASE64 } from './sgemm.wasm.ts';
import { BYTES_BASE64 as SHARED_BASE64 } from './sgemm-shared.wasm.ts';
import { addressOf, arenaInstance, arenaMemory, arenaScratch } from './arena.ts';
import { instantiate, reserve, type WasmMemory } from './instance.ts';
import { takeF32 } from '../cpu/pool.ts';
import { sharedKernel, threadedSgemm, threadedSgemmBatch, threadPool } from './threads.ts';
import type { ConvKernel, SgemmExports } from './sgemm-exports.ts';

export interface Kernel extends ConvKernel {
  memory: WasmMemory;
}

let kernel: Kernel | null | undefined;
/** The single-thread instance (null without WebAssembly SIMD). */
export const load = (): Kernel | null =>
  kernel === undefined ? (kernel = instantiate<Kernel>(BYTES_BASE64)) : kernel;

export const wasmSimdAvailable = (): boolean => load() !== null;

let inArena: Kernel | null | undefined;
/**
 * The instance over the arena (arena.ts: the pool's arrays), for operands that live there; null
 * where there is no arena or no WebAssembly SIMD.
 */
export const loadInArena = (): Kernel | null =>
  load() && (inArena === undefined ? (inArena = arenaInstance<Kernel>(SHARED_BASE64)) : inArena);

export const round = (x: number, to: number) => Math.ceil(x / to) * to;

/** Rows shorter than this are copied by a loop rather than by set() on a subarray. */
const SHORT_ROW = 256;

/** Copies a strided rows×cols matrix into `dst` row-major with row pitch `pitch`. */
function packRows(
  src: TypedArray,
  offset: number,
  rows: number,
  cols: number,
  rs: number,
  cs: number,
  dst: Float32Array,
  at: number,
  pitch: number,
): void {
  if (cs === 1 && src instanceof Float32Array) {
    if (rs === cols && pitch === cols) dst.set(src.subarray(offset, offset + rows * cols), at);
    else if (cols >= SHORT_ROW)
      for (let r = 0; r < rows; r++)
        dst.set(src.subarray(offset + r * rs, offset + r * rs + cols), at + r * pitch);
    // Short rows (a conv's columns per sample): a loop, not a subarray object per row.
    else
      for (let r = 0, i0 = offset, o0 = at; r < rows; r++, i0 += rs, o0 += pitch)
        for (let c = 0; c < cols; c++) dst[o0 + c] = src[i0 + c]!;
    return;
  }
  if (rs === 1) {
    // A transposed view (autograd's Aᵀ and Bᵀ): walk it in 32×32 tiles so that both the reads
    // and the writes stay within a few cache lines.
    for (let r0 = 0; r0 < rows; r0 += 32)
      for (let c0 = 0; c0 < cols; c0 += 32) {
        const r1 = Math.min(rows, r0 + 32);
        const c1 = Math.min(cols, c0 + 32);
        for (let c = c0; c < c1; c++)
          for (let r = r0, i = offset + c * cs + r0, o = at + r0 * pitch + c; r < r1; r++, i++, o += pitch)
            dst[o] = src[i]!;
      }
    return;
  }
  for (let r = 0; r < rows; r++)
    for (let c = 0, i = offset + r * rs, o = at + r * pitch; c < cols; c++, i += cs) dst[o++] = src[i]!;
}

/**
 * How a rows × cols operand with strides (rs, cs) reaches the kernel's row-major layout: a dense
 * one in one copy, a dense transposed one (autograd's Aᵀ and Bᵀ) in one copy and a transpose in
 * WebAssembly, anything else packed element by element.
 */
export type Way = 'dense' | 'transposed' | 'pack';
export function wayOf(f32: boolean, rows: number, cols: number, rs: number, cs: number): Way {
  if (!f32) return 'pack';
  if (cs === 1 && rs === cols) return 'dense';
  return rs === 1 && cs === rows ? 'transposed' : 'pack';
}

/**
 * Lays an operand out row-major at byte `at` of the heap with rows `pitch` floats apart (a dense
 * one keeps its own row length: pitch = cols), going through `scratch` to be transposed (callers
 * that never pass a transposed operand give none).
 */
export function place(
  way: Way,
  src: TypedArray,
  from: number,
  rows: number,
  cols: number,
  rs: number,
  cs: number,
  to: { heap: Float32Array; at: number; pitch: number; scratch?: number; kernel: SgemmExports },
): void {
  if (way === 'pack') return packRows(src, from, rows, cols, rs, cs, to.heap, to.at / 4, to.pitch);
  const values = (src as Float32Array).subarray(from, from + rows * cols);
  if (way === 'dense') return to.heap.set(values, to.at / 4);
  if (to.scratch === undefined) throw new Error('place: a transposed operand needs scratch to go through');
  to.heap.set(values, to.scratch / 4);
  to.kernel.transpose(to.scratch, to.at, cols, rows, to.pitch);
}

/**
 * Products (or batches of products) of at least this many multiply-adds are split across threads
 * (when started). Below it the split costs more than it saves: with both threads polling through
 * a step (threads.ts) a split costs a few microseconds, but laying the operands out and copying C
 * out stay on one thread. Measured on 2 threads (steps/s; each the last of three timings in a
 * process, 5–6 interleaved processes; a 4.2M product is one of the MLP's 128×256·256×128):
 * MLP 317–347 from 9M, 355–373 from 4M; char-RNN 132–145 and 141–151; CNN 75–83 and 76–84.
 * (Before the arena, operands were copied in and C out for every product, and 9M was best.)
 */
export const THREAD_MIN_WORK = 4_000_000;

/**
 * How a batch of products uses the threads: each product's rows split between them (a large
 * product), whole products shared out (a batch of small ones adding up to a large amount of work:
 * a convolution's per-sample products), or one thread.
 */
type Split = 'rows' | 'batch' | null;
function splitOf(batch: number, work: number): Split {
  if (work * batch < THREAD_MIN_WORK || !threadPool()) return null;
  return work >= THREAD_MIN_WORK ? 'rows' : batch > 1 ? 'batch' : null;
}

/**
 * How many products packed a transposed A straight from its transpose (packAT: autograd's gᵀ),
 * how many read or wrote an operand in the arena where it lies, and how many wrote a C narrower
 * than its panels where it goes (tests check the paths).
 */
export const sgemmStats = { transposedA: 0, inPlace: 0, narrowC: 0 };

/**
 * C = A·B for each of a batch of products (A [batch, m, k], B [batch, k, n], any strides), plus
 * `bias` [n] (dense float32 from `at`) added to every row of C before it leaves WebAssembly
 * memory (a Linear layer: one float32 addition per value, as the add op's); null without
 * WebAssembly SIMD.
 */
export function sgemmBatched(
  a: View,
  b: View,
  bias: { data: Float32Array; at: number } | null = null,
  ownMemory = false,
): Float32Array | null {
  const single = load();
  if (!single) return null;
  const [batch, m, kk] = a.shape as [number, number, number];
  const n = b.shape[2]!;
  const split = ownMemory ? null : splitOf(batch, m * kk * n);
  // The instance the product runs on: the threads' (over the arena where there is one), this
  // thread's over the arena, or this thread's own (always, with `ownMemory`).
  const own = split ? null : ownMemory ? single : (loadInArena() ?? single);
  const here: SgemmExports = own ?? sharedKernel();
  const memory = own ? own.memory : threadPool()!.memory;
  const [mp, np] = [round(m, 4), round(n, 8)];
  const A = a.buffer as TypedArray;
  const B = b.buffer as TypedArray;
  const [abs, ars, acs] = a.strides as [number, number, number];
  const [bbs, brs, bcs] = b.strides as [number, number, number];
  const f32 = A instanceof Float32Array && B instanceof Float32Array;
  const aWay = wayOf(f32, m, kk, ars, acs);
  const bWay = wayOf(f32, kk, n, brs, bcs);
  const out = takeF32(batch * m * n);
  // Over the arena, operands that live there are read where they lie (A as the source of its
  // packing, B of its panels) and C is written straight into out when it has no padding rows:
  // their addresses, else null.
  const arena = memory === arenaMemory();
  const resident = (array: TypedArray, at: number) =>
    arena && f32 ? addressOf(array as Float32Array, at) : null;
  // A is always packed (packA, packAT: four rows a step, adjacent; the kernel runs ~5% faster on
  // it than on a row-major A, and the packing costs ~1% of the product): from where it lies when
  // its rows (packA) or its columns (packAT: autograd's gᵀ, a transposed view) are contiguous,
  // else from a row-major or transposed copy in scratch.
  const aRows = acs === 1 || kk === 1;
  const aColumns = !aRows && (ars === 1 || m === 1);
  const aSrc = aRows || aColumns ? resident(A, a.offset) : null;
  const aByColumns = aSrc !== null ? aColumns : aWay === 'transposed';
  // A transposed B's panels read up to 7 rows past it (into padding columns only): in the memory.
  const bSrc = bWay === 'pack' ? null : resident(B, b.offset);
  const bIn =
    bSrc !== null &&
    (bWay === 'dense' || bSrc + ((batch - 1) * bbs + np * kk) * 4 <= memory.buffer.byteLength)
      ? bSrc
      : null;
  // On one thread (sgemmP's nc), a C narrower than its panels goes straight into out too, rows n
  // apart: the kernel leaves the padding columns unstored (the char-RNN's 65-wide head: the
  // close-up and copy out cost a fifth of its product).
  const narrowC = np !== n && split === null;
  const cIn = arena && mp === m && (np === n || narrowC) ? addressOf(out) : null;
  const ldc = cIn !== null ? n : np;
  const ldb = bWay === 'dense' ? n : np;
  // Split by batch, every product's operands and result are laid out before the threads start:
  // one slot each per product (one for an operand broadcast over the batch).
  const slots = (stride: number) => (split === 'batch' && stride !== 0 ? batch : 1);
  const aBytes = mp * kk * 4;
  const bBytes = (kk * ldb + 8) * 4;
  const pBytes = kk * np * 4;
  const cBytes = mp * np * 4;
  // Scratch for A's copy (row-major or as Aᵀ), and for a transposed B's (its panels read up to 7
  // rows past it).
  const aScratch = aSrc === null ? round(m * kk, 4) * 4 : 0;
  const bScratch = bWay === 'transposed' && bIn === null ? (kk * n + 8 * kk) * 4 : 0;
  const bTotal = bIn === null ? bBytes : 0;
  const cTotal = cIn === null ? cBytes * (split === 'batch' ? batch : 1) : 0;
  const region = workspace(
    memory,
    aBytes * slots(abs) + bTotal + pBytes * slots(bbs) + cTotal + aScratch + bScratch + (bias ? n * 4 : 0),
  );
  // The arena is full (its 2 GiB taken by tensors): this thread's own memory, copying.
  if (!region) return sgemmBatched(a, b, bias, true);
  const aPtr = region.at;
  const bPtr = aPtr + aBytes * slots(abs);
  const pPtr = bPtr + bTotal;
  const cPtr = pPtr + pBytes * slots(bbs);
  const aScr = cPtr + cTotal;
  const bScr = aScr + aScratch;
  const biasPtr = bScr + bScratch;
  // After every block is taken (taking one may grow the memory, which this view would not see).
  const heap = new Float32Array(memory.buffer);
  if (bias) heap.set(bias.data.subarray(bias.at, bias.at + n), biasPtr / 4);
  // Only the padding needs zeros (columns n..np of a packed B; packA zeroes A's rows m..mp); it
  // stays zero across batches.
  if (np !== n && ldb === np)
    for (let r = 0; r < kk; r++) heap.fill(0, bPtr / 4 + r * np + n, bPtr / 4 + (r + 1) * np);
  const aAt = (p: number) => aPtr + (slots(abs) > 1 ? p : 0) * aBytes;
  const pAt = (p: number) => pPtr + (slots(bbs) > 1 ? p : 0) * pBytes;
  const cAt = (p: number) =>
    cIn !== null ? cIn + p * m * n * 4 : cPtr + (split === 'batch' ? p : 0) * cBytes;
  if (aSrc !== null || bIn !== null || cIn !== null) sgemmStats.inPlace++;
  if (cIn !== null && narrowC) sgemmStats.narrowC++;
  const lay = (p: number) => {
    if (p === 0 || abs !== 0) {
      if (aByColumns) sgemmStats.transposedA++;
      if (aSrc !== null) {
        const from = aSrc + p * abs * 4;
        if (aColumns) here.packAT(from, aAt(p), m, kk, acs);
        else here.packA(from, aAt(p), m, kk, ars);
      } else {
        const at = a.offset + p * abs;
        if (aWay === 'transposed') {
          heap.set((A as Float32Array).subarray(at, at + m * kk), aScr / 4);
          here.packAT(aScr, aAt(p), m, kk, m);
        } else {
          place(aWay, A, at, m, kk, ars, acs, { heap, at: aScr, pitch: kk, kernel: here });
          here.packA(aScr, aAt(p), m, kk, kk);
        }
      }
    }
    if (p === 0 || bbs !== 0) {
      const at = b.offset + p * bbs;
      if (bWay === 'transposed') {
        // Bᵀ is a dense [n, kk] (a weight used as x·Wᵀ): its panels straight from it (or a copy).
        if (bIn === null) heap.set((B as Float32Array).subarray(at, at + kk * n), bScr / 4);
        here.panelsT(bIn !== null ? bIn + p * bbs * 4 : bScr, pAt(p), kk, np, kk);
      } else if (bIn !== null) here.panels(bIn + p * bbs * 4, pAt(p), kk, np, n);
      else {
        place(bWay, B, at, kk, n, brs, bcs, { heap, at: bPtr, pitch: ldb, kernel: here });
        here.panels(bPtr, pAt(p), kk, np, ldb);
      }
    }
  };
  // Padded rows are first closed up in place (a native move per row), then C comes out in one copy.
  const copyOut = (p: number) => {
    if (bias) here.addColumns(cAt(p), biasPtr, m, n, ldc);
    if (cIn !== null) return;
    const c0 = cAt(p) / 4;
    if (np !== n) for (let r = 1; r < m; r++) heap.copyWithin(c0 + r * n, c0 + r * np, c0 + r * np + n);
    out.set(heap.subarray(c0, c0 + m * n), p * m * n);
  };
  if (split === 'batch') {
    for (let p = 0; p < batch; p++) lay(p);
    const strides = [aAt(1) - aAt(0), slots(bbs) > 1 ? pBytes : 0, cAt(1) - cAt(0)] as const;
    threadedSgemmBatch(aAt(0), pPtr, cAt(0), strides, batch, mp, np, kk);
    for (let p = 0; p < batch; p++) copyOut(p);
    region.done();
    return out;
  }
  for (let p = 0; p < batch; p++) {
    lay(p);
    if (split === 'rows') threadedSgemm(aAt(p), pAt(p), cAt(p), mp, np, kk);
    else here.sgemmP(aAt(p), pAt(p), cAt(p), mp, np, kk, ldc, n);
    copyOut(p);
  }
  region.done();
  return out;
}

/**
 * `bytes` of a memory for one product's layout: from byte 0 of a kernel's own memory (grown to
 * hold them), or a block of the arena, given back by `done`; null where the arena is full.
 */
function workspace(memory: WasmMemory, bytes: number): { at: number; done(): void } | null {
  if (memory === arenaMemory()) return arenaScratch(bytes);
  reserve(memory, bytes);
  return { at: 0, done: () => {} };
}
