// The arena: one shared WebAssembly memory that holds the buffer pool's large arrays and large
// CPU zeros/ones (pool.ts: where layers' parameters start), so that a kernel can run over a
// tensor where it lies instead of copying it into its module's memory and its result back out
// (two passes over memory per operand, several megabytes per op in a convolutional network). A
// kernel instance bound to this memory (arenaInstance) takes a tensor's address (addressOf) when
// its array lives here, and copies as before when it does not; the matmul helper threads work
// over this memory too (threads.ts).
//
// Why shared: growing an ordinary WebAssembly memory detaches its ArrayBuffer, and with it every
// array over it; a shared memory's old buffers stay valid when it grows. Where shared memory is
// unavailable (a page that is not cross-origin isolated), there is no arena and the pool makes
// ordinary arrays.
//
// Free blocks are kept in address order, neighbours merged, and a block is taken first-fit (split
// when larger), so that memory freed by one model's sizes serves the next model's (the studio
// runs many in one session; a WebAssembly memory never shrinks). A block comes back when its
// array is garbage collected (a finalizer: the pool itself holds the arrays it keeps for reuse),
// or when a kernel's scratch is done. Every block has 64 bytes of slack after it, so that kernels
// that read or write whole SIMD vectors (up to 3 floats past the end) stay inside it.
import { trackMemory, type WasmMemory } from './instance.ts';

const PAGE = 65536;
/** The most pages the arena's memory declares (2 GiB: what the kernels' shared variants import). */
const MAX_PAGES = 32768;
/**
 * The most bytes the arena grows to. A block whose array is dropped comes back only when its
 * finalizer runs, after the garbage collector has found the array and the running code has
 * yielded: a synchronous loop that drops large tensors outside any memory scope would otherwise
 * fill the arena. Past this the pool makes ordinary arrays (the collector frees those as ever).
 */
const MAX_BYTES = 512 * 2 ** 20;
/**
 * The most bytes of lasting arrays (zeros and ones: parameters) held at once; past it they are
 * ordinary arrays, so that zeros made in a loop cannot take the arena from the pool's arrays.
 */
const MAX_LASTING_BYTES = 128 * 2 ** 20;
/** Block alignment and the slack after each block, in bytes. */
const ALIGN = 64;

interface WasmApi {
  Memory: new (descriptor: { initial: number; maximum: number; shared: boolean }) => WasmMemory;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: unknown };
}

interface State {
  memory: WasmMemory;
  /** The first byte no block has used yet. */
  top: number;
  /** Free blocks in address order, none adjacent to another or to top. */
  free: { at: number; size: number }[];
}

let state: State | null | undefined;
let enabled = true;

/**
 * The arena memory's buffers that arrays here were made over (a shared memory's buffer object is
 * new after each growth; every one starts at the memory's byte 0).
 */
const buffers = new WeakSet<ArrayBufferLike>();

/** Counts for tests and the curious: bytes under blocks handed out, blocks given back. */
export const arenaStats = { liveBytes: 0, lastingBytes: 0, freed: 0 };

const collected =
  typeof FinalizationRegistry === 'function'
    ? new FinalizationRegistry<{ at: number; bytes: number; lasting: boolean }>(({ at, bytes, lasting }) => {
        if (lasting) arenaStats.lastingBytes -= blockBytes(bytes);
        free(at, bytes);
      })
    : null;

function open(): State | null {
  if (state !== undefined) return state;
  const wasm = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
  // Without a finalizer no block could come back: no arena.
  if (!wasm || !collected || typeof SharedArrayBuffer === 'undefined') return (state = null);
  try {
    const memory = new wasm.Memory({ initial: 16, maximum: MAX_PAGES, shared: true });
    trackMemory(memory);
    // Byte 0 is left unused: an address is never 0.
    return (state = { memory, top: ALIGN, free: [] });
  } catch {
    return (state = null);
  }
}

/**
 * Turns new arena arrays off or on (tests compare both paths); arrays already made stay valid,
 * and kernels still take scratch blocks (the threads work in the arena either way).
 */
export function setArena(on: boolean): void {
  enabled = on;
}

/** The arena's memory, or null where there is none. */
export const arenaMemory = (): WasmMemory | null => open()?.memory ?? null;

const blockBytes = (bytes: number): number => Math.ceil(bytes / ALIGN) * ALIGN + ALIGN;

/** A block of at least `bytes` (with slack after it), or null where there is no room. */
function alloc(bytes: number): number | null {
  const s = open();
  if (!s) return null;
  const size = blockBytes(bytes);
  const fit = s.free.findIndex((block) => block.size >= size);
  if (fit >= 0) {
    const block = s.free[fit]!;
    const at = block.at;
    if (block.size === size) s.free.splice(fit, 1);
    else [block.at, block.size] = [at + size, block.size - size];
    arenaStats.liveBytes += size;
    return at;
  }
  const end = s.top + size;
  if (end > MAX_BYTES) return null;
  const missing = end - s.memory.buffer.byteLength;
  if (missing > 0) {
    const pages = Math.ceil(missing / PAGE);
    try {
      s.memory.grow(pages);
    } catch {
      return null;
    }
  }
  const at = s.top;
  s.top = end;
  arenaStats.liveBytes += size;
  return at;
}

/** Gives a block back: merged with free neighbours, or returned to the top. */
function free(at: number, bytes: number): void {
  const s = state;
  if (!s) return;
  const size = blockBytes(bytes);
  arenaStats.liveBytes -= size;
  arenaStats.freed++;
  // The first free block after this one.
  let i = 0;
  for (let lo = 0, hi = s.free.length; lo < hi;) {
    const mid = (lo + hi) >> 1;
    if (s.free[mid]!.at < at) lo = mid + 1;
    else hi = mid;
    i = lo;
  }
  let block = { at, size };
  const before = s.free[i - 1];
  if (before && before.at + before.size === at) {
    before.size += size;
    block = before;
    i--;
  } else s.free.splice(i, 0, block);
  const after = s.free[i + 1];
  if (after && block.at + block.size === after.at) {
    block.size += after.size;
    s.free.splice(i + 1, 1);
  }
  if (block.at + block.size === s.top) {
    s.top = block.at;
    s.free.splice(i, 1);
  }
}

/**
 * A new array of n values in the arena (contents unspecified: a block may be reused), its block
 * returned when the array is collected; null where there is no arena or no room. `lasting`: an
 * array outside the pool (zeros, ones), within MAX_LASTING_BYTES.
 */
export function arenaArray<T extends Float32Array | Int32Array>(
  type: new (buffer: ArrayBufferLike, byteOffset: number, length: number) => T,
  n: number,
  lasting = false,
): T | null {
  if (!enabled || (lasting && arenaStats.lastingBytes + blockBytes(n * 4) > MAX_LASTING_BYTES)) return null;
  const at = alloc(n * 4);
  if (at === null) return null;
  if (lasting) arenaStats.lastingBytes += blockBytes(n * 4);
  const buffer = state!.memory.buffer;
  buffers.add(buffer);
  const array = new type(buffer, at, n);
  collected!.register(array, { at, bytes: n * 4, lasting });
  return array;
}

/**
 * The byte address of `array`'s element `offset` in the arena (an arena array, or a view into
 * one: a subarray), or null when it lives elsewhere.
 */
export function addressOf(array: Float32Array | Int32Array, offset = 0): number | null {
  return buffers.has(array.buffer) ? array.byteOffset + offset * 4 : null;
}

/**
 * Scratch of at least `bytes` for one kernel call (tables, padding), given back by `done`; null
 * where there is no arena or no room.
 */
export function arenaScratch(bytes: number): { at: number; done(): void } | null {
  const at = alloc(bytes);
  return at === null ? null : { at, done: () => free(at, bytes) };
}

/** An instance of a kernel module's shared-memory variant over the arena (its exports and `memory`), or null. */
export function arenaInstance<T>(base64: string, imports: Record<string, object> = {}): T | null {
  const memory = arenaMemory();
  const wasm = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
  if (!memory || !wasm) return null;
  try {
    const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
    const exports = new wasm.Instance(new wasm.Module(bytes), { ...imports, env: { memory } }).exports;
    // A shared variant imports its memory rather than exporting it: callers find it here too.
    return { ...(exports as object), memory } as T;
  } catch {
    return null;
  }
}
