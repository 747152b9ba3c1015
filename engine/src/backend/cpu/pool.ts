// Reuse of large float32 (and int32: max pooling's positions) buffers on the CPU. A fresh multi-megabyte typed array costs more than
// the arithmetic that fills it (zeroing, first-touch page faults, and the garbage collections
// that V8 starts for external memory: a ReLU backward over 3 MB takes 1.8 ms into a fresh array,
// 0.8 ms into a used one). The hot kernels take their outputs here; a buffer comes back when
// its tensor's memory scope ends (tidy(), or the training loop's step scope) or it is disposed,
// and a tensor used after that throws (tensor.ts's view_()). Only arrays this pool made ever
// come back: a user's own array that a tensor wraps is never reused. Where there is an arena
// (wasm/arena.ts), the arrays made while a memory scope is open live there, where the
// WebAssembly kernels read them in place: the scope gives them back to the pool when it ends.
// (Outside scopes an array comes back only through the garbage collector, which ordinary
// arrays are better at: they are what the pool makes there.)
import { arenaArray } from '../wasm/arena.ts';

/**
 * Whether a memory scope is open. The scopes live above the backends (storage.ts), which tells
 * the pool how to ask when it loads, so that this module needs nothing from above it.
 */
let scopeOpen = (): boolean => false;
export function askScopesWith(open: () => boolean): void {
  scopeOpen = open;
}

/** Arrays shorter than this (floats) are cheap to make and are neither pooled nor tracked. */
export const POOL_MIN = 1 << 14;
/** At most this many bytes wait in the pool; past it, returned arrays are left to the GC. */
const POOL_MAX_BYTES = 256 * 2 ** 20;

/** The arrays the pool hands out: float32 values, and int32 positions (max pooling's). */
type Pooled = Float32Array | Int32Array;
type ArrayType<T extends Pooled> = {
  new (n: number): T;
  new (buffer: ArrayBufferLike, byteOffset: number, length: number): T;
};
const waiting = { f32: new Map<number, Float32Array[]>(), i32: new Map<number, Int32Array[]>() };
const ours = new WeakSet<Pooled>();
const stacksOf = <T extends Pooled>(array: T): Map<number, T[]> =>
  (array instanceof Float32Array ? waiting.f32 : waiting.i32) as Map<number, T[]>;

/** Counts for tests and the curious: arrays made, arrays reused, bytes waiting in the pool. */
export const poolStats = { made: 0, reused: 0, heldBytes: 0 };

/** A waiting array of n values, or null. */
function reuse<T extends Pooled>(stacks: Map<number, T[]>, n: number): T | null {
  const array = n >= POOL_MIN ? stacks.get(n)?.pop() : undefined;
  if (!array) return null;
  poolStats.heldBytes -= array.byteLength;
  poolStats.reused++;
  return array;
}

/**
 * A new array of n values, pooled when large enough: then, inside a memory scope, in the arena
 * where there is one (so that WebAssembly kernels read and write it where it lies), else an
 * ordinary array. Zeros when
 * `zero` (an arena block may hold old values), else unspecified.
 */
function make<T extends Pooled>(type: ArrayType<T>, n: number, zero: boolean): T {
  if (n < POOL_MIN) return new type(n);
  const fromArena = scopeOpen() ? arenaArray(type, n) : null;
  if (fromArena && zero) fromArena.fill(0);
  const array = fromArena ?? new type(n);
  ours.add(array);
  poolStats.made++;
  return array;
}

/**
 * A float32 array of n values whose contents are unspecified (a reused one holds old values):
 * for kernels that write every entry.
 */
export const takeF32 = (n: number): Float32Array => reuse(waiting.f32, n) ?? make(Float32Array, n, false);

/** takeF32's int32 counterpart (positions that a kernel writes in full). */
export const takeI32 = (n: number): Int32Array => reuse(waiting.i32, n) ?? make(Int32Array, n, false);

/**
 * A zeroed float32 array of n values for a tensor that is not pooled (zeros and ones, which
 * layers fill their parameters from): in the arena where there is one and n is large, so that
 * the kernels (products, the optimizer's update) read it where it lies; it is freed when it is
 * collected, never reused while its tensor lives.
 */
export function lastingF32(n: number): Float32Array {
  const array = n >= POOL_MIN ? arenaArray(Float32Array, n, true) : null;
  return array ? array.fill(0) : new Float32Array(n);
}

/** takeF32 holding a copy of `values` (a kernel's result read out of WebAssembly memory). */
export function takeCopyF32(values: Float32Array): Float32Array {
  const array = takeF32(values.length);
  array.set(values);
  return array;
}

/** takeF32 filled with zeros (kernels that add into their output, or skip entries). */
export function takeZeroedF32(n: number): Float32Array {
  const array = reuse(waiting.f32, n);
  return array ? array.fill(0) : make(Float32Array, n, true);
}

/** Whether an array came from this pool (only those are tracked by scopes and returned). */
export const pooled = (buffer: unknown): boolean =>
  (buffer instanceof Float32Array || buffer instanceof Int32Array) && ours.has(buffer);

/** Returns an array this pool made; its tensor is gone (its scope ended or it was disposed). */
export function giveBack(buffer: unknown): void {
  if (!pooled(buffer)) return;
  const array = buffer as Pooled;
  if (poolStats.heldBytes + array.byteLength > POOL_MAX_BYTES) return;
  const stacks = stacksOf(array);
  let stack = stacks.get(array.length);
  if (!stack) stacks.set(array.length, (stack = []));
  stack.push(array);
  poolStats.heldBytes += array.byteLength;
}

/** Empties the pool: its arrays are left to the garbage collector (the studio does it when training pauses or stops). */
export function drainPool(): void {
  waiting.f32.clear();
  waiting.i32.clear();
  poolStats.heldBytes = 0;
}
