// Reuse of large float32 buffers on the CPU. A fresh multi-megabyte typed array costs more than
// the arithmetic that fills it (zeroing, first-touch page faults, and the garbage collections
// that V8 starts for external memory: a ReLU backward over 3 MB takes 1.8 ms into a fresh array,
// 0.8 ms into a used one). The hot kernels take their outputs here; a buffer comes back when
// its tensor's memory scope ends (tidy(), or the training loop's step scope) or it is disposed,
// and a tensor used after that throws (tensor.ts's view_()). Only arrays this pool made ever
// come back: a user's own array that a tensor wraps is never reused.

/** Arrays shorter than this (floats) are cheap to make and are neither pooled nor tracked. */
export const POOL_MIN = 1 << 14;
/** At most this many bytes wait in the pool; past it, returned arrays are left to the GC. */
const POOL_MAX_BYTES = 256 * 2 ** 20;

const waiting = new Map<number, Float32Array[]>();
const ours = new WeakSet<Float32Array>();

/** Counts for tests and the curious: arrays made, arrays reused, bytes waiting in the pool. */
export const poolStats = { made: 0, reused: 0, heldBytes: 0 };

/** A waiting array of n floats, or null. */
function reuse(n: number): Float32Array | null {
  const array = n >= POOL_MIN ? waiting.get(n)?.pop() : undefined;
  if (!array) return null;
  poolStats.heldBytes -= array.byteLength;
  poolStats.reused++;
  return array;
}

/** A new array of n floats (zeros), pooled when large enough. */
function make(n: number): Float32Array {
  const array = new Float32Array(n);
  if (n >= POOL_MIN) {
    ours.add(array);
    poolStats.made++;
  }
  return array;
}

/**
 * A float32 array of n values whose contents are unspecified (a reused one holds old values):
 * for kernels that write every entry.
 */
export const takeF32 = (n: number): Float32Array => reuse(n) ?? make(n);

/** takeF32 holding a copy of `values` (a kernel's result read out of WebAssembly memory). */
export function takeCopyF32(values: Float32Array): Float32Array {
  const array = takeF32(values.length);
  array.set(values);
  return array;
}

/** takeF32 filled with zeros (kernels that add into their output, or skip entries). */
export function takeZeroedF32(n: number): Float32Array {
  const array = reuse(n);
  return array ? array.fill(0) : make(n);
}

/** Whether an array came from this pool (only those are tracked by scopes and returned). */
export const pooled = (buffer: unknown): boolean => buffer instanceof Float32Array && ours.has(buffer);

/** Returns an array this pool made; its tensor is gone (its scope ended or it was disposed). */
export function giveBack(buffer: unknown): void {
  if (!pooled(buffer)) return;
  const array = buffer as Float32Array;
  if (poolStats.heldBytes + array.byteLength > POOL_MAX_BYTES) return;
  let stack = waiting.get(array.length);
  if (!stack) waiting.set(array.length, (stack = []));
  stack.push(array);
  poolStats.heldBytes += array.byteLength;
}

/** Empties the pool: its arrays are left to the garbage collector (the studio does it when training pauses or stops). */
export function drainPool(): void {
  waiting.clear();
  poolStats.heldBytes = 0;
}
