// Max pooling on WebAssembly (maxpool.wat) for windows of one shape inside the input: the
// TypeScript kernel's comparisons made with selects instead of branches, and 2×2 windows with
// stride 2 four at a time with SIMD. Values and positions are identical to the TypeScript kernel's.
import { BYTES_BASE64 } from './maxpool.wasm.ts';
import { takeCopyF32, takeI32 } from '../cpu/pool.ts';
import { instantiate, reserve, type WasmMemory } from './instance.ts';
import { wasmElementwiseEnabled, wasmElementwiseStats } from './elementwise.ts';

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
  const k = load();
  if (!k) return null;
  const L = start.length;
  const total = planes * L;
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
  const k = load();
  if (!k) return null;
  const total = planes * L;
  const atAt = total;
  const outAt = atAt + total;
  reserve(k.memory, (outAt + planes * plane) * 4);
  new Float32Array(k.memory.buffer).set(G.subarray(first, first + total), 0);
  new Int32Array(k.memory.buffer).set(A.subarray(atFirst, atFirst + total), atAt);
  k.unpool(0, atAt * 4, planes, L, plane, outAt * 4);
  wasmElementwiseStats.calls++;
  return takeCopyF32(new Float32Array(k.memory.buffer, outAt * 4, planes * plane));
}
