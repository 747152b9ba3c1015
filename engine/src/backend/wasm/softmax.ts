// Softmax and log-softmax over the rows of a dense float32 matrix on WebAssembly (softmax.wat):
// one pass for the max and the shift, one for exp (SIMD, equal to Math.exp rounded to float32),
// one for the sums, one to normalise, so results are bit-identical to the composed tensor ops.
// Also exp alone, for the exp op and log-softmax's backward.
import { BYTES_BASE64 } from './softmax.wasm.ts';
import { BYTES_BASE64 as SHARED_BASE64 } from './softmax-shared.wasm.ts';
import { takeCopyF32, takeF32 } from '../cpu/pool.ts';
import { instantiate, reserve, type WasmMemory } from './instance.ts';
import { arenaInstance } from './arena.ts';
import { withAddresses } from './arena-call.ts';
import {
  inPlace,
  WASM_ELEMENTWISE_MIN,
  wasmElementwiseEnabled,
  wasmElementwiseStats,
} from './elementwise.ts';

interface Kernel {
  memory: WasmMemory;
  rows(x: number, o: number, sums: number, rows: number, n: number, log: number, scratch: number): void;
  expf(x: number, o: number, n: number): void;
  logBackward(g: number, y: number, o: number, rows: number, n: number, scratch: number, sums: number): void;
  shift(o: number, l: number, rows: number, n: number): void;
}

let kernel: Kernel | null | undefined;
const load = (): Kernel | null => {
  if (!wasmElementwiseEnabled()) return null;
  return kernel === undefined ? (kernel = instantiate<Kernel>(BYTES_BASE64)) : kernel;
};

let inArena: Kernel | null | undefined;
/**
 * The kernels over the arena (arena.ts): a matrix that lives there is read, and a result that
 * goes there written, where it lies (the char-RNN's 1024 × 65 logits: its copies in and out were
 * a fifth of log-softmax's forward and backward); null where there is none.
 */
const loadInArena = (): Kernel | null => {
  if (!load()) return null;
  return inArena === undefined ? (inArena = arenaInstance<Kernel>(SHARED_BASE64)) : inArena;
};

/** Runs `rows` on k: o from x, the sums, log(sum)s and every e in scratch from `s` (bytes). */
function softmaxOn(k: Kernel, x: number, o: number, s: number, rows: number, n: number, log: boolean): void {
  const [sumsAt, lAt, eAt] = [s, s + rows * 4, s + rows * 8];
  k.rows(x, o, sumsAt, rows, n, log ? 1 : 0, eAt);
  if (!log) return;
  // WebAssembly has no log: each row's log(sum) is taken here, rounded as the log op rounds it.
  const heap = new Float32Array(k.memory.buffer);
  for (let r = 0; r < rows; r++) heap[lAt / 4 + r] = Math.log(heap[sumsAt / 4 + r]!);
  k.shift(o, lAt, rows, n);
}

/** softmax (or log-softmax) of each of `rows` rows of n values from `offset`; null without WASM. */
export function wasmSoftmaxRows(
  x: Float32Array,
  offset: number,
  rows: number,
  n: number,
  log: boolean,
): Float32Array | null {
  const k = load();
  if (!k) return null;
  const total = rows * n;
  wasmElementwiseStats.calls++;
  // Scratch: the sums, log(sum)s and every e (+ 2 floats for the pairwise exp); o has a float
  // of room past it (an arena block's slack, or the copy's).
  const scratch = (2 * rows + total + 2) * 4;
  const arena = loadInArena();
  if (arena) {
    const out = takeF32(total);
    const operands = [
      { data: x, at: offset, n: total, read: true, written: false },
      { data: out, at: 0, n: total, read: false, written: true },
    ];
    const ran = withAddresses(arena.memory, operands, scratch, ([xAt, oAt], s) =>
      softmaxOn(arena, xAt!, oAt!, s, rows, n, log),
    );
    if (ran) return out;
  }
  // x, o (one float of room past it), then the scratch, in the kernel's own memory.
  const oAt = total;
  const sAt = 2 * total + 4;
  reserve(k.memory, sAt * 4 + scratch);
  new Float32Array(k.memory.buffer).set(x.subarray(offset, offset + total), 0);
  softmaxOn(k, 0, oAt * 4, sAt * 4, rows, n, log);
  return takeCopyF32(new Float32Array(k.memory.buffer, oAt * 4, total));
}

/**
 * exp of n dense values of `x` from `at` (Math.fround(Math.exp(v)) bit for bit) as a new array,
 * or null where this path does not apply.
 */
export function wasmExp(x: Float32Array, at: number, n: number): Float32Array | null {
  if (n < WASM_ELEMENTWISE_MIN) return null;
  const k = load();
  // (expf works in pairs; n is padded to four.)
  return k && inPlace(k.memory, x, at, n, (padded) => k.expf(0, 0, padded));
}

/**
 * log-softmax's backward over `rows` rows of n values: g − exp(y)·Σ_row g, rounded as the
 * one-pass TypeScript kernel (ops/softmax.ts) rounds it; null where this path does not apply.
 */
export function wasmLogSoftmaxBackward(
  g: Float32Array,
  gAt: number,
  y: Float32Array,
  yAt: number,
  rows: number,
  n: number,
): Float32Array | null {
  const total = rows * n;
  if (total < WASM_ELEMENTWISE_MIN) return null;
  const k = load();
  if (!k) return null;
  const arena = loadInArena();
  if (arena) {
    // g and y where they lie (y has a float of room past it: an arena block's slack, or the
    // copy's), the result where it goes; every exp and the sums in scratch.
    const out = takeF32(total);
    const operands = [
      { data: g, at: gAt, n: total, read: true, written: false },
      { data: y, at: yAt, n: total, read: true, written: false },
      { data: out, at: 0, n: total, read: false, written: true },
    ];
    const ran = withAddresses(arena.memory, operands, (total + 2 + rows) * 4, ([gA, yA, oA], s) =>
      arena.logBackward(gA!, yA!, oA!, rows, n, s, s + (total + 2) * 4),
    );
    if (ran) {
      wasmElementwiseStats.calls++;
      return out;
    }
  }
  // g, y (one float of room past it for the pairwise exp), the result, every exp, the sums.
  const [yAt4, oAt] = [total, 2 * total + 2];
  const scratchAt = oAt + total;
  const sumsAt = scratchAt + total + 2;
  reserve(k.memory, (sumsAt + rows) * 4);
  const heap = new Float32Array(k.memory.buffer);
  heap.set(g.subarray(gAt, gAt + total), 0);
  heap.set(y.subarray(yAt, yAt + total), yAt4);
  k.logBackward(0, yAt4 * 4, oAt * 4, rows, n, scratchAt * 4, sumsAt * 4);
  wasmElementwiseStats.calls++;
  return takeCopyF32(heap.subarray(oAt, oAt + total));
}
