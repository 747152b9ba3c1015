// Whole float32 rows moved by index on WebAssembly (rows.wat), over the arena (arena.ts):
// index_select's gather and index_add's scatter-add when each index moves a block of values (an
// embedding's lookup and its gradient). Operands that live in the arena are read and written
// where they lie; the others (an embedding's small table) and the indices are copied into
// scratch there. Values are the TypeScript loops' bit for bit. Null (false) where there is no
// arena, so the TypeScript loops run.
import { BYTES_BASE64 as SHARED_BASE64 } from './rows-shared.wasm.ts';
import type { WasmMemory } from './instance.ts';
import { addressOf, arenaInstance, arenaScratch } from './arena.ts';
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

/** n values of an array from element `at`; `read`: the kernel reads them, `written`: it writes them. */
interface Part {
  data: Float32Array;
  at: number;
  n: number;
  read: boolean;
  written: boolean;
}

/**
 * Runs `call` with the byte addresses of `parts` and of `rows` in the arena: a part that lives
 * there where it lies, any other (and the rows) copied into scratch, and copied back out when
 * the kernel writes it. False where there is no arena or no room in it.
 */
function withAddresses(
  parts: readonly Part[],
  rows: Int32Array,
  call: (k: Kernel, at: number[], idx: number) => void,
): boolean {
  const k = load();
  if (!k) return false;
  const resident = parts.map((p) => addressOf(p.data, p.at));
  const bytes = (n: number) => Math.ceil(n / 4) * 16;
  const copied = parts.reduce((sum, p, i) => sum + (resident[i] === null ? bytes(p.n) : 0), 0);
  const scratch = arenaScratch(copied + bytes(rows.length));
  if (!scratch) return false;
  const heap = new Float32Array(k.memory.buffer);
  let next = scratch.at;
  const at = parts.map((p, i) => {
    if (resident[i] !== null) return resident[i]!;
    const place = next;
    next += bytes(p.n);
    if (p.read) heap.set(p.data.subarray(p.at, p.at + p.n), place / 4);
    return place;
  });
  new Int32Array(k.memory.buffer, next, rows.length).set(rows);
  call(k, at, next);
  parts.forEach((p, i) => {
    if (p.written && resident[i] === null) p.data.set(heap.subarray(at[i]! / 4, at[i]! / 4 + p.n), p.at);
  });
  scratch.done();
  wasmRowsStats.calls++;
  return true;
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
  return withAddresses(parts, rows, (k, [src, dst], idx) =>
    k.gather(src!, dst!, idx, rows.length, inner * 4),
  );
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
  return withAddresses(parts, rows, (k, [dst, s], idx) =>
    k.scatterAdd(dst!, s!, idx, rows.length, inner * 4),
  );
}
