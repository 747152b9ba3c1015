// Softmax and log-softmax over the rows of a dense float32 matrix on WebAssembly (softmax.wat):
// one pass for the max and the shift, one for exp (SIMD, equal to Math.exp rounded to float32),
// one for the sums, one to normalise, so results are bit-identical to the composed tensor ops.
// Also exp alone, for the exp op and log-softmax's backward.
import { BYTES_BASE64 } from './softmax.wasm.ts';
import { takeCopyF32 } from '../cpu/pool.ts';
import { instantiate, reserve, type WasmMemory } from './instance.ts';
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
  // x, o (one float of room past it for the pairwise exp), the sums, log(sum)s, every e.
  const [oAt, sumsAt] = [total, 2 * total + 2];
  const lAt = sumsAt + rows;
  const scratchAt = lAt + rows;
  reserve(k.memory, (scratchAt + total + 2) * 4);
  const heap = new Float32Array(k.memory.buffer);
  heap.set(x.subarray(offset, offset + total), 0);
  k.rows(0, oAt * 4, sumsAt * 4, rows, n, log ? 1 : 0, scratchAt * 4);
  if (log) {
    // WebAssembly has no log: each row's log(sum) is taken here, rounded as the log op rounds it.
    for (let r = 0; r < rows; r++) heap[lAt + r] = Math.log(heap[sumsAt + r]!);
    k.shift(oAt * 4, lAt * 4, rows, n);
  }
  wasmElementwiseStats.calls++;
  return takeCopyF32(heap.subarray(oAt, oAt + total));
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
