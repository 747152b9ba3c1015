// An RNN layer's time loop on WebAssembly, all of it in the product's memory: the recurrent
// weight laid out in panels once, then per step the product (sgemm.wat), the step's epilogue
// (recurrent.wat: + input projection + biases and ReLU, or the activation's derivative) and tanh
// (activations.wat, instantiated over this memory), each reading the last one's output where it
// lies; the sequence is copied in and the states (or gradients) out once, reordered in place when
// the layer is batch-first, and the backward forms the recurrent weight's and the biases'
// gradients there too. That memory is the arena where there is one (arena.ts): then a sequence
// that lives there is moved in, and a result that goes there written out, within the memory
// (272 → 210 µs of the char-RNN step's moves), else the kernels' own memory, copying. Values are
// the composed ops' bit for bit (the same product kernel, float32 roundings where the ops round,
// tanh equal to Math.tanh rounded, column sums in float64 in row order). Null where the matmul
// would not use WebAssembly for this size, or it is unavailable.
import type { View } from '../types.ts';
import { instantiate, reserve, type WasmMemory } from './instance.ts';
import { load, loadInArena, place, round, wayOf, type Kernel as Sgemm } from './sgemm.ts';
import { wasmMatmulFor } from '../cpu/matmul.ts';
import { BYTES_BASE64 } from './recurrent.wasm.ts';
import { BYTES_BASE64 as SHARED_BASE64 } from './recurrent-shared.wasm.ts';
import { BYTES_BASE64 as ACTIVATIONS_SHARED } from './activations-shared.wasm.ts';
import { activationKernel, type ActivationKernel } from './activations.ts';
import { exactActivations } from './activations-exact.ts';
import { addressOf, arenaInstance, arenaScratch } from './arena.ts';
import { takeF32 } from '../cpu/pool.ts';
import { restHelpers } from './threads.ts';

interface StepKernel {
  memory: WasmMemory;
  forward(
    c: number,
    pitch: number,
    x: number,
    bias: number,
    o: number,
    rows: number,
    n: number,
    flags: number,
  ): void;
  backward(
    c: number,
    pitch: number,
    g: number,
    y: number,
    o: number,
    rows: number,
    n: number,
    flags: number,
  ): void;
  copyRows(
    src: number,
    dst: number,
    a: number,
    b: number,
    n: number,
    sa: number,
    sb: number,
    da: number,
    db: number,
  ): void;
}

/** recurrent.wat's flags. */
const HAS_BIAS = 1;
const HAS_NEXT = 1;
const RELU = 2;

interface Kernels {
  sgemm: Sgemm;
  step: StepKernel;
  tanh: ActivationKernel;
  /** Over the arena (arena.ts): operands that live there are read, and results written, where they lie. */
  arena: boolean;
}
let kernels: Kernels | null | undefined;
function loadAll(): Kernels | null {
  if (kernels !== undefined) return kernels;
  const sgemm = load();
  const step = sgemm && instantiate<StepKernel>(BYTES_BASE64, { env: { memory: sgemm.memory } });
  const tanh = sgemm && activationKernel(sgemm.memory);
  return (kernels = sgemm && step && tanh ? { sgemm, step, tanh, arena: false } : null);
}
let inArena: Kernels | null | undefined;
function loadInArenaAll(): Kernels | null {
  if (inArena !== undefined) return inArena;
  const sgemm = loadInArena();
  const step = sgemm && arenaInstance<StepKernel>(SHARED_BASE64);
  const tanh = sgemm && arenaInstance<ActivationKernel>(ACTIVATIONS_SHARED, { m: exactActivations });
  return (inArena = sgemm && step && tanh ? { sgemm, step, tanh, arena: true } : null);
}

/** A dense float32 operand: its values from `at`. */
export interface Dense {
  data: Float32Array;
  at: number;
}

/**
 * A [steps, batch, hidden] float32 operand whose rows of `hidden` are contiguous, `strides` apart
 * along steps and batch (a batch-first tensor seen through a transpose).
 */
export interface Rows extends Dense {
  strides: readonly [number, number];
}

/** A sequence's shape, and the heap and kernels it is copied through. */
interface Seq {
  k: Kernels;
  heap: Float32Array;
  steps: number;
  batch: number;
  hidden: number;
}

/**
 * Copies a [steps, batch, hidden] operand into the heap densely (time-major) from float `to`. A
 * batch-first one (a transposed [batch, steps, hidden] block) goes in with one copy to `scratch`
 * (a free region of the same size) and copyRows' reordering; anything else row by row.
 */
function placeRows({ k, heap, steps, batch, hidden }: Seq, x: Rows, to: number, scratch: number) {
  const [st, sb] = x.strides;
  const size = batch * hidden;
  // Over the arena, an operand that lives there is moved within the memory (no copy through
  // JavaScript): reordered by copyRows from where it lies, or moved whole.
  const src = k.arena ? addressOf(x.data, x.at) : null;
  if (src !== null && st === size && sb === hidden) {
    recurrentInPlace.reads++;
    heap.copyWithin(to, src / 4, src / 4 + steps * size);
    return;
  }
  if (src !== null && st === hidden && sb === steps * hidden && hidden % 4 === 0) {
    recurrentInPlace.reads++;
    k.step.copyRows(src, to * 4, steps, batch, hidden, st * 4, sb * 4, size * 4, hidden * 4);
    return;
  }
  if (st === size && sb === hidden) {
    heap.set(x.data.subarray(x.at, x.at + steps * size), to);
    return;
  }
  if (st === hidden && sb === steps * hidden && hidden % 4 === 0) {
    heap.set(x.data.subarray(x.at, x.at + steps * size), scratch);
    k.step.copyRows(scratch * 4, to * 4, steps, batch, hidden, st * 4, sb * 4, size * 4, hidden * 4);
    return;
  }
  for (let t = 0; t < steps; t++)
    for (let b = 0, from = x.at + t * st; b < batch; b++, from += sb, to += hidden)
      heap.set(x.data.subarray(from, from + hidden), to);
}

/**
 * Copies `steps` dense [batch, hidden] slots of the heap from float `from` out: slot s is time
 * step s (or steps − 1 − s, `reverse`), stored time-major ([steps, batch, hidden]) or
 * batch-first ([batch, steps, hidden], what a batch-first layer hands on without a copy),
 * reordered in `scratch` (a free region of the same size) when it can be.
 */
function takeRows(
  { k, heap, steps, batch, hidden }: Seq,
  from: number,
  reverse: boolean,
  batchFirst: boolean,
  scratch: number,
): Float32Array {
  const size = batch * hidden;
  const out = takeF32(steps * size);
  // Over the arena, an output that lives there is written straight from the slots (no copy out).
  const dst = k.arena ? addressOf(out) : null;
  if (dst !== null) recurrentInPlace.writes++;
  if (!batchFirst && !reverse) {
    if (dst === null) out.set(heap.subarray(from, from + steps * size));
    // (A view made now: taking out may have grown the memory past what `heap` sees.)
    else new Float32Array(k.sgemm.memory.buffer).copyWithin(dst / 4, from, from + steps * size);
    return out;
  }
  if (hidden % 4 === 0) {
    // Slot s, row b goes to time t(s): at (t·batch + b)·hidden, or (b·steps + t)·hidden.
    const [dt, db] = batchFirst ? [hidden, steps * hidden] : [size, hidden];
    const [first, step] = reverse ? [(steps - 1) * dt, -dt] : [0, dt];
    const to = (dst ?? scratch * 4) + first * 4;
    k.step.copyRows(from * 4, to, steps, batch, hidden, size * 4, hidden * 4, step * 4, db * 4);
    if (dst === null) out.set(heap.subarray(scratch, scratch + steps * size));
    return out;
  }
  for (let s = 0; s < steps; s++, from += size) {
    const t = reverse ? steps - 1 - s : s;
    if (!batchFirst) out.set(heap.subarray(from, from + size), t * size);
    else
      for (let b = 0; b < batch; b++)
        out.set(heap.subarray(from + b * hidden, from + (b + 1) * hidden), (b * steps + t) * hidden);
  }
  return out;
}

/**
 * Consecutive regions of the given float counts from byte `start`, each 16-byte aligned: their
 * byte offsets by name, and where the last ends.
 */
function regions<K extends string>(
  start: number,
  floats: Record<K, number>,
): { at: Record<K, number>; end: number } {
  const at = {} as Record<K, number>;
  let next = start;
  for (const name of Object.keys(floats) as K[]) {
    at[name] = next;
    next += round(floats[name], 4) * 4;
  }
  return { at, end: next };
}

/**
 * The kernels a loop runs on, with W (`w`: [k, n], any strides; the product is A · w) laid out
 * in panels, room for C (m rows), and the `extra` regions after what that needs: over the arena
 * (a block of it, given back by `done`) where there is one with room, else in the kernels' own
 * memory from byte 0 (grown to hold them).
 */
function panelsOf<K extends string>(w: View, m: number, kk: number, n: number, extra: Record<K, number>) {
  const np = round(n, 8);
  const [rs, cs] = w.strides as [number, number];
  const way = wayOf(true, kk, n, rs, cs);
  const ldb = way === 'dense' ? n : np;
  // Panels, C, B's staging (with slack the last panel reads), scratch for a transpose.
  const layout = (start: number) => {
    const own = regions(start, { p: kk * np, c: round(m, 4) * np, b: kk * ldb + 8, s: kk * n });
    return { own, ...regions(own.end, extra) };
  };
  const bytes = layout(0).end;
  const shared = loadInArenaAll();
  const block = shared && arenaScratch(bytes);
  const k = block ? shared! : loadAll()!;
  if (!block) reserve(k.sgemm.memory, bytes);
  const { own, at } = layout(block ? block.at : 0);
  const heap = new Float32Array(k.sgemm.memory.buffer);
  const to = { heap, at: own.at.b, pitch: ldb, scratch: own.at.s, kernel: k.sgemm };
  place(way, w.buffer as Float32Array, w.offset, kk, n, rs, cs, to);
  k.sgemm.panels(own.at.b, own.at.p, kk, np, ldb);
  return { k, heap, pPtr: own.at.p, cPtr: own.at.c, np, at, done: () => block?.done() };
}

/** How many loops took this path (tests check that it is taken). */
export const recurrentStats = { forward: 0, backward: 0 };
/** How many sequences were read from, and written to, the arena where they lie (tests check it). */
export const recurrentInPlace = { reads: 0, writes: 0 };

const usable = (w: View, batch: number, hidden: number) =>
  w.buffer instanceof Float32Array && wasmMatmulFor(batch * hidden * hidden);

/**
 * All states of h_t = act((xi_t + xb) + (h_{t−1} · W_hhᵀ + b)) for xi [steps, batch, hidden]
 * (time order; `reverse` runs from the last step) and its bias xb (b_ih, or none), h0 [batch,
 * hidden], `wT` = W_hhᵀ as a view; stored time-major, or batch-first ([batch, steps, hidden])
 * when asked.
 */
export function rnnForward(
  xi: Rows,
  xBias: Dense | null,
  h0: Dense,
  wT: View,
  bias: Dense | null,
  steps: number,
  batch: number,
  hidden: number,
  relu: boolean,
  reverse: boolean,
  batchFirst: boolean,
): Float32Array | null {
  if (!usable(wT, batch, hidden) || !loadAll()) return null;
  const size = batch * hidden;
  const mp = round(batch, 4);
  // The input projections, the biases (b_hh, b_ih), and the states: h0 then one slot per step,
  // with room for the product to read a last slot's padded rows and tanh one value past it.
  const { k, heap, pPtr, cPtr, np, at, done } = panelsOf(wT, batch, hidden, hidden, {
    x: steps * size,
    b: 2 * hidden,
    h: (steps + 1) * size + mp * hidden + 2,
  });
  const [xPtr, bPtr, hPtr] = [at.x, at.b, at.h];
  const seq: Seq = { k, heap, steps, batch, hidden };
  // (The states' region is free until the loop: the scratch for a batch-first xi.)
  placeRows(seq, xi, xPtr / 4, hPtr / 4);
  if (xBias) {
    // xi's own bias (b_ih), added once as the projection's add would: f32(x·W_ihᵀ + b_ih).
    heap.set(xBias.data.subarray(xBias.at, xBias.at + hidden), bPtr / 4 + hidden);
    k.sgemm.addColumns(xPtr, bPtr + hidden * 4, steps * batch, hidden, hidden);
  }
  heap.set(h0.data.subarray(h0.at, h0.at + size), hPtr / 4);
  if (bias) heap.set(bias.data.subarray(bias.at, bias.at + hidden), bPtr / 4);
  const flags = (bias ? HAS_BIAS : 0) | (relu ? RELU : 0);
  recurrentStats.forward++;
  restHelpers();
  for (let s = 0; s < steps; s++) {
    const t = reverse ? steps - 1 - s : s;
    const [previous, next] = [hPtr + s * size * 4, hPtr + (s + 1) * size * 4];
    k.sgemm.sgemm(previous, pPtr, cPtr, mp, np, hidden);
    k.step.forward(cPtr, np * 4, xPtr + t * size * 4, bPtr, next, batch, hidden, flags);
    if (!relu) k.tanh.tanh(next, next, round(size, 2));
  }
  // (xi's region is free now: the scratch for reordering.)
  const states = takeRows(seq, hPtr / 4 + size, reverse, batchFirst, xPtr / 4);
  done();
  return states;
}

/** What the backward is asked for besides the steps' pre-activation gradients. */
export interface Wanted {
  h0: boolean;
  weight: boolean;
  bias: boolean;
}

export interface BackwardResult {
  /** Each step's gradient before the activation, [steps, batch, hidden] (or batch-first). */
  pre: Float32Array;
  h0: Float32Array | null;
  /** W_hh's gradient Σ_t pre_tᵀ · h_{t−1}, [hidden, hidden]. */
  weight: Float32Array | null;
  /** b_hh's gradient Σ_t Σ_b pre_t, [hidden]. */
  bias: Float32Array | null;
}

/**
 * Backpropagation through time: from the gradients g of all states and the states y (both
 * [steps, batch, hidden], time order), h0 and `w` = W_hh, each step's gradient before the
 * activation (stored as rnnForward stores states), and what `want` asks for. The weight's and bias's gradients are formed where the
 * loop left its results, as the composed ops form them (the same product over all steps, with
 * the same layouts; each bias entry summed in float64 in row order), so with the same bits.
 */
export function rnnBackward(
  g: Rows,
  y: Rows,
  h0: Dense,
  w: View,
  steps: number,
  batch: number,
  hidden: number,
  relu: boolean,
  reverse: boolean,
  want: Wanted,
  batchFirst: boolean,
): BackwardResult | null {
  if (!usable(w, batch, hidden) || !loadAll()) return null;
  const size = batch * hidden;
  const rows = (steps * size) / hidden; // every step's batch rows, for the weight's product
  const [mp, hp, np] = [round(batch, 4), round(hidden, 4), round(hidden, 8)];
  // g; h0, y and h0 again (so each step's previous state, in either direction, is one stretch:
  // [h0, y_0 … y_{T−2}] or [y_1 … y_{T−1}, h0]; the panels read 8 floats past it); the results,
  // with room for the product to read a last step's padded rows; the weight gradient's A (the
  // results transposed), B's panels and C; the bias gradient.
  const { k, heap, pPtr, cPtr, at, done } = panelsOf(w, batch, hidden, hidden, {
    g: steps * size,
    y: steps * size + 2 * size + 8,
    o: steps * size + mp * hidden,
    a: hp * rows,
    p2: rows * np,
    c2: hp * np,
    db: hidden,
  });
  const [gPtr, oPtr, aPtr, p2Ptr, c2Ptr, dbPtr] = [at.g, at.o, at.a, at.p2, at.c2, at.db];
  const yPtr = at.y + size * 4; // h0 goes just before y
  const seq: Seq = { k, heap, steps, batch, hidden };
  // (The results' region is free until the loop: the scratch for batch-first operands.)
  placeRows(seq, g, gPtr / 4, oPtr / 4);
  heap.set(h0.data.subarray(h0.at, h0.at + size), yPtr / 4 - size);
  placeRows(seq, y, yPtr / 4, oPtr / 4);
  heap.set(h0.data.subarray(h0.at, h0.at + size), yPtr / 4 + steps * size);
  recurrentStats.backward++;
  restHelpers();
  for (let s = steps - 1; s >= 0; s--) {
    const t = reverse ? steps - 1 - s : s;
    const flags = (s < steps - 1 ? HAS_NEXT : 0) | (relu ? RELU : 0);
    const at = t * size * 4;
    k.step.backward(cPtr, np * 4, gPtr + at, yPtr + at, oPtr + at, batch, hidden, flags);
    // The first step's product is h0's gradient: only when it is wanted.
    if (s > 0 || want.h0) k.sgemm.sgemm(oPtr + at, pPtr, cPtr, mp, np, hidden);
  }
  // (g's region is free now: the scratch for reordering.)
  const pre = takeRows(seq, oPtr / 4, false, batchFirst, gPtr / 4);
  const rowsOf = (c: number, count: number) => {
    const m = new Float32Array(count * hidden);
    for (let i = 0; i < count; i++) m.set(heap.subarray(c / 4 + i * np, c / 4 + i * np + hidden), i * hidden);
    return m;
  };
  const h0Grad = want.h0 ? rowsOf(cPtr, batch) : null;
  let weight: Float32Array | null = null;
  if (want.weight) {
    // A = preᵀ [hidden, rows], B = the previous states [rows, hidden]. As the matmul does
    // (sgemm.ts): A packed straight from pre, where it lies (packAT; padded rows zero).
    const previous = reverse ? yPtr + size * 4 : yPtr - size * 4;
    k.sgemm.panels(previous, p2Ptr, rows, np, hidden);
    k.sgemm.packAT(oPtr, aPtr, hidden, rows, hidden);
    k.sgemm.sgemmP(aPtr, p2Ptr, c2Ptr, hp, np, rows, np, np);
    weight = rowsOf(c2Ptr, hidden);
  }
  let bias: Float32Array | null = null;
  if (want.bias) {
    k.sgemm.channelSums(oPtr, rows, hidden, 1, dbPtr);
    bias = heap.slice(dbPtr / 4, dbPtr / 4 + hidden);
  }
  done();
  return { pre, h0: h0Grad, weight, bias };
}
