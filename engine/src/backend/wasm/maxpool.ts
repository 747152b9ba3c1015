// Max pooling on WebAssembly (maxpool.wat) for windows of one shape inside the input: the
// TypeScript kernel's comparisons made with selects instead of branches, and 2×2 windows with
// stride 2 four at a time with SIMD. Values and positions are identical to the TypeScript kernel's.
import { BYTES_BASE64 } from './maxpool.wasm.ts';
import { BYTES_BASE64 as SHARED_BASE64 } from './maxpool-shared.wasm.ts';
import { takeCopyF32, takeF32, takeI32 } from '../cpu/pool.ts';
import { instantiate, reserve, type WasmMemory } from './instance.ts';
import { addressOf, arenaInstance, arenaScratch } from './arena.ts';
import { wasmElementwiseEnabled, wasmElementwiseStats } from './elementwise.ts';
import { arenaCall } from './split.ts';

interface Kernel {
  memory: WasmMemory;
  pool(
    x: number,
    start: number,
    offset: number,
    L: number,
    K: number,
    planes: number,
    plane: number,
    values: number,
    at: number,
  ): void;
  pool2x2(x: number, planes: number, h: number, w: number, values: number, at: number): void;
  unpool(g: number, at: number, planes: number, L: number, plane: number, out: number): void;
}

let kernel: Kernel | null | undefined;
const load = (): Kernel | null => {
  if (!wasmElementwiseEnabled()) return null;
  return kernel === undefined ? (kernel = instantiate<Kernel>(BYTES_BASE64)) : kernel;
};

let inArena: Kernel | null | undefined;
/** The kernels over the arena (arena.ts), for operands that live there; null where there is none. */
const loadInArena = (): Kernel | null => {
  if (!wasmElementwiseEnabled()) return null;
  return inArena === undefined ? (inArena = arenaInstance<Kernel>(SHARED_BASE64)) : inArena;
};

/** Windows of one shape: window l reads start[l] + offset[k] within its plane. */
export interface PoolGrid {
  start: Int32Array;
  offset: Int32Array;
  /** [h, w] when the windows are 2×2 with stride 2 over planes of h × w. */
  pair: readonly [number, number] | null;
}

/**
 * The maxima and their positions (within each plane) over `planes` planes of `plane` floats of X
 * from `first`; null without WebAssembly.
 */
export function wasmMaxPool(
  X: Float32Array,
  first: number,
  planes: number,
  plane: number,
  { start, offset, pair }: PoolGrid,
): { values: Float32Array; at: Int32Array } | null {
  const L = start.length;
  const total = planes * L;
  const fast = inPlace(X, first, planes, plane, total, { start, offset, pair });
  if (fast) return fast;
  const k = load();
  if (!k) return null;
  // Floats: the input, both tables, then values and positions (4 floats of slack for SIMD stores).
  const startAt = planes * plane;
  const offsetAt = startAt + L;
  const valuesAt = offsetAt + offset.length;
  const atAt = valuesAt + total + 4;
  reserve(k.memory, (atAt + total + 4) * 4);
  const heap = new Float32Array(k.memory.buffer);
  heap.set(X.subarray(first, first + planes * plane), 0);
  if (pair) k.pool2x2(0, planes, pair[0], pair[1], valuesAt * 4, atAt * 4);
  else {
    const ints = new Int32Array(k.memory.buffer);
    ints.set(start, startAt);
    ints.set(offset, offsetAt);
    k.pool(0, startAt * 4, offsetAt * 4, L, offset.length, planes, plane, valuesAt * 4, atAt * 4);
  }
  wasmElementwiseStats.calls++;
  const at = takeI32(total);
  at.set(new Int32Array(k.memory.buffer, atAt * 4, total));
  return { values: takeCopyF32(heap.subarray(valuesAt, valuesAt + total)), at };
}

/**
 * wasmMaxPool over the arena: X read where it lies, the maxima and positions written into arrays
 * from the pool; null unless all three (and scratch for the general windows' tables) are there.
 */
function inPlace(
  X: Float32Array,
  first: number,
  planes: number,
  plane: number,
  total: number,
  { start, offset, pair }: PoolGrid,
): { values: Float32Array; at: Int32Array } | null {
  const x = addressOf(X, first);
  const k = x === null ? null : loadInArena();
  if (!k || x === null) return null;
  const values = takeF32(total);
  const at = takeI32(total);
  const [valuesAt, atAt] = [addressOf(values), addressOf(at)];
  if (valuesAt === null || atAt === null) return null;
  // 2×2 windows, rows of four or more: no store past a plane (maxpool.wat), so the planes can be
  // shared out between the threads.
  if (pair && pair[1] >= 8) {
    const [h, w, L] = [pair[0], pair[1], start.length];
    arenaCall(
      planes,
      1,
      (p, count) => ['pool2x2', [x + p * plane * 4, count, h, w, valuesAt + p * L * 4, atAt + p * L * 4]],
      plane,
    );
  } else if (pair) k.pool2x2(x, planes, pair[0], pair[1], valuesAt, atAt);
  else {
    const tables = arenaScratch((start.length + offset.length) * 4);
    if (!tables) return null;
    const ints = new Int32Array(k.memory.buffer);
    ints.set(start, tables.at / 4);
    ints.set(offset, tables.at / 4 + start.length);
    const offsetAt = tables.at + start.length * 4;
    k.pool(x, tables.at, offsetAt, start.length, offset.length, planes, plane, valuesAt, atAt);
    tables.done();
  }
  wasmElementwiseStats.calls++;
  return { values, at };
}

/**
 * Max pooling's backward: `planes` planes of `plane` floats, zeros but for each of the plane's L
 * gradients (G from `first`) added at its position (A from `atFirst`); null without WebAssembly.
 */
export function wasmUnpool(
  G: Float32Array,
  first: number,
  A: Int32Array,
  atFirst: number,
  planes: number,
  L: number,
  plane: number,
): Float32Array | null {
  const total = planes * L;
  const [g, a] = [addressOf(G, first), addressOf(A, atFirst)];
  if (g !== null && a !== null && loadInArena()) {
    const out = takeF32(planes * plane);
    const outAt = addressOf(out);
    if (outAt !== null) {
      // Plane by plane, shared out between the threads for many values.
      arenaCall(
        planes,
        1,
        (p, count) => ['unpool', [g + p * L * 4, a + p * L * 4, count, L, plane, outAt + p * plane * 4]],
        plane,
      );
      wasmElementwiseStats.calls++;
      return out;
    }
  }
  const k = load();
  if (!k) return null;
  const atAt = total;
  const outAt = atAt + total;
  reserve(k.memory, (outAt + planes * plane) * 4);
  new Float32Array(k.memory.buffer).set(G.subarray(first, first + total), 0);
  new Int32Array(k.memory.buffer).set(A.subarray(atFirst, atFirst + total), atAt);
  k.unpool(0, atAt * 4, planes, L, plane, outAt * 4);
  wasmElementwiseStats.calls++;
  return takeCopyF32(new Float32Array(k.memory.buffer, outAt * 4, planes * plane));
}
