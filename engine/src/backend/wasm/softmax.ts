// Softmax and log-softmax over the rows of a dense float32 matrix on WebAssembly (softmax.wat):
// one pass for the max, one for shift, exp and sum, one to normalise, with fdlibm's exp (what
// V8's Math.exp computes), so results are bit-identical to the composed tensor ops.
import { BYTES_BASE64 } from './softmax.wasm.ts';
import { takeCopyF32 } from '../cpu/pool.ts';
import { instantiate, reserve, type WasmMemory } from './instance.ts';
import { wasmElementwiseEnabled, wasmElementwiseStats } from './elementwise.ts';

interface Kernel {
  memory: WasmMemory;
  rows(x: number, o: number, sums: number, rows: number, n: number, log: number): void;
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
  const [oAt, sumsAt] = [total, 2 * total];
  const lAt = sumsAt + rows;
  reserve(k.memory, (lAt + rows) * 4);
  const heap = new Float32Array(k.memory.buffer);
  heap.set(x.subarray(offset, offset + total), 0);
  k.rows(0, oAt * 4, sumsAt * 4, rows, n, log ? 1 : 0);
  if (log) {
    // WebAssembly has no log: each row's log(sum) is taken here, rounded as the log op rounds it.
    for (let r = 0; r < rows; r++) heap[lAt + r] = Math.log(heap[sumsAt + r]!);
    k.shift(oAt * 4, lAt * 4, rows, n);
  }
  wasmElementwiseStats.calls++;
  return takeCopyF32(heap.subarray(oAt, oAt + total));
}
