// Whole float32 rows moved by index on WebAssembly (rows.wat), over the arena (arena.ts):
// index_select's gather and index_add's scatter-add when each index moves a block of values (an
// embedding's lookup and its gradient). Operands that live in the arena are read and written
// where they lie; the others (an embedding's small table) and the indices are copied into
// scratch there. Values are the TypeScript loops' bit for bit. Null (false) where there is no
// arena, so the TypeScript loops run.
import { BYTES_BASE64 as SHARED_BASE64 } from './rows-shared.wasm.ts';
import type { WasmMemory } from './instance.ts';
import { arenaInstance } from './arena.ts';
import { withAddresses, type Operand } from './arena-call.ts';
import { wasmElementwiseEnabled } from './elementwise.ts';

interface Kernel {
  memory: WasmMemory;
  gather(src: number, dst: number, idx: number, count: number, bytes: number): void;
  scatterAdd(dst: number, src: number, idx: number, count: number, bytes: number): void;
}

let inArena: Kernel | null | undefined;
const load = (): Kernel | null => {
  if (!wasmElementwiseEnabled()) return null;
  return inArena === undefined ? (inArena = arenaInstance<Kernel>(SHARED_BASE64)) : inArena;
};

/** Below this many values moved the TypeScript loop costs no more than the call. */
export const WASM_ROWS_MIN = 1024;

/** How many moves took this path (tests check that it is taken). */
export const wasmRowsStats = { calls: 0 };

/**
 * Runs `call` with the byte addresses of `parts` and of `rows` in the arena (arena-call.ts); false
 * where there is no arena or no room in it.
 */
function withRows(
  parts: readonly Operand[],
  rows: Int32Array,
  call: (k: Kernel, at: number[], idx: number) => void,
): boolean {
  const k = load();
  if (!k) return false;
  const ran = withAddresses(k.memory, parts, rows.length * 4, (at, idx) => {
    new Int32Array(k.memory.buffer, idx, rows.length).set(rows);
    call(k, at, idx);
  });
  if (ran) wasmRowsStats.calls++;
  return ran;
}

/**
 * out[i·inner + j] = x[from + rows[i]·inner + j] for every i < rows.length, j < inner (x holds
 * `size` rows from `from`); false where this path does not run.
 */
export function wasmGatherRows(
  x: Float32Array,
  from: number,
  size: number,
  rows: Int32Array,
  inner: number,
  out: Float32Array,
): boolean {
  const n = rows.length * inner;
  if (n < WASM_ROWS_MIN) return false;
  const parts = [
    { data: x, at: from, n: size * inner, read: true, written: false },
    { data: out, at: 0, n, read: false, written: true },
  ];
  return withRows(parts, rows, (k, [src, dst], idx) => k.gather(src!, dst!, idx, rows.length, inner * 4));
}

/**
 * out[rows[i]·inner + j] += src[from + i·inner + j] for i in order (out holds `size` rows); false
 * where this path does not run.
 */
export function wasmScatterAddRows(
  out: Float32Array,
  size: number,
  rows: Int32Array,
  inner: number,
  src: Float32Array,
  from: number,
): boolean {
  const n = rows.length * inner;
  if (n < WASM_ROWS_MIN) return false;
  const parts = [
    { data: out, at: 0, n: size * inner, read: true, written: true },
    { data: src, at: from, n, read: true, written: false },
  ];
  return withRows(parts, rows, (k, [dst, s], idx) => k.scatterAdd(dst!, s!, idx, rows.length, inner * 4));
}
