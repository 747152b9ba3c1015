// Adam's update on WebAssembly SIMD128 (adam.wat). Where there is an arena (arena.ts), a
// parameter's two moment buffers live there (residentMoments), as do the parameter (layers fill
// theirs from zeros, which live there) and its gradient (from the buffer pool): then the update
// runs where all four lie, with no copies. Else the moments can live in a WebAssembly memory of
// their own for good (the optimizer's state tensors are views of it, and it never grows, so the
// views stay valid): then a step copies only the parameter and its gradient in and the parameter
// out. Otherwise all four are copied into a shared memory and the three that changed copied back.
import { BYTES_BASE64 } from './adam.wasm.ts';
import { BYTES_BASE64 as SHARED_BASE64 } from './adam-shared.wasm.ts';
import { instantiate, newMemory, reserve, type WasmMemory } from './instance.ts';
import { addressOf, arenaArray, arenaInstance } from './arena.ts';
import { arenaCall } from './split.ts';

interface Kernel {
  memory: WasmMemory;
  adam(p: number, g: number, m: number, v: number, n: number, flags: number, ...scalars: number[]): void;
}

const onMemory = (memory: WasmMemory | null, tracked = true): Kernel | null =>
  memory && instantiate<Kernel>(BYTES_BASE64, { env: { memory } }, { tracked });

let kernel: Kernel | null | undefined;
const load = (): Kernel | null => (kernel === undefined ? (kernel = onMemory(newMemory())) : kernel);

let inArena: Kernel | null | undefined;
const loadInArena = (): Kernel | null =>
  load() && (inArena === undefined ? (inArena = arenaInstance<Kernel>(SHARED_BASE64)) : inArena);

/** A parameter's own memory: [m | v | p | g], each n floats padded to a multiple of 4. */
interface Resident {
  kernel: Kernel;
  n: number;
  padded: number;
}
/** By the memory's buffer, which the moment arrays view. */
const residents = new WeakMap<ArrayBufferLike, Resident>();

/**
 * Zeroed moment buffers m and v of n floats in a memory of their own, or null without
 * WebAssembly SIMD.
 */
export function residentMoments(n: number): { m: Float32Array; v: Float32Array } | null {
  if (loadInArena()) {
    const [m, v] = [arenaArray(Float32Array, n), arenaArray(Float32Array, n)];
    if (m && v) return { m: m.fill(0), v: v.fill(0) };
  }
  const padded = Math.ceil(n / 4) * 4;
  const k = load() && onMemory(newMemory(4 * padded * 4), false);
  if (!k) return null;
  residents.set(k.memory.buffer, { kernel: k, n, padded });
  return {
    m: new Float32Array(k.memory.buffer, 0, n),
    v: new Float32Array(k.memory.buffer, padded * 4, n),
  };
}

export interface AdamScalars {
  maximize: boolean;
  decoupled: boolean;
  coupledDecay: boolean;
  /** beta1, 1−beta1, beta2, 1−beta2, √(bias correction 2), eps, −lr/bias correction 1, decay, wd (float32). */
  values: [number, number, number, number, number, number, number, number, number];
}

/**
 * Runs one Adam step in place on the four arrays; returns how many values (from the first) it
 * updated: all of them, the whole vectors' worth, or 0 where WebAssembly SIMD is unavailable.
 */
export function wasmAdam(
  P: Float32Array,
  G: Float32Array,
  M: Float32Array,
  V: Float32Array,
  o: AdamScalars,
): number {
  const flags = (o.maximize ? 1 : 0) | (o.decoupled ? 2 : 0) | (o.coupledDecay ? 4 : 0);
  const n = P.length;
  const at = [P, G, M, V].map((array) => addressOf(array));
  const arena = at.every((address) => address !== null) ? loadInArena() : null;
  if (arena) {
    // All four where they lie. Whole vectors only: the parameter may be a view with other values
    // right after it; the caller updates the last n mod 4.
    // A large parameter's values are shared out between the threads (when started), a range of
    // whole vectors each: every value's update is the same code wherever it runs.
    const [p, g, m, v] = at as [number, number, number, number];
    const whole = n - (n % 4);
    if (whole > 0)
      arenaCall(whole, 4, (start, count) => {
        const [ps, gs, ms, vs] = [p, g, m, v].map((address) => address + start * 4);
        return ['adam', [ps!, gs!, ms!, vs!, count, flags, ...o.values]];
      });
    return whole;
  }
  const own = residents.get(M.buffer);
  if (own && own.n === n && M.byteOffset === 0 && V.buffer === M.buffer && V.byteOffset === own.padded * 4) {
    // The moments are where the kernel reads them: only the parameter and its gradient move.
    const heap = new Float32Array(own.kernel.memory.buffer);
    const [m, v, p, g] = [0, own.padded, 2 * own.padded, 3 * own.padded];
    heap.set(P, p);
    heap.set(G, g);
    own.kernel.adam(p * 4, g * 4, m * 4, v * 4, own.padded, flags, ...o.values);
    P.set(heap.subarray(p, p + n));
    return n;
  }
  const k = load();
  if (!k) return 0;
  const padded = Math.ceil(n / 4) * 4;
  reserve(k.memory, 4 * padded * 4);
  const heap = new Float32Array(k.memory.buffer);
  const [p, g, m, v] = [0, padded, 2 * padded, 3 * padded];
  heap.set(P, p);
  heap.set(G, g);
  heap.set(M, m);
  heap.set(V, v);
  k.adam(p * 4, g * 4, m * 4, v * 4, padded, flags, ...o.values);
  P.set(heap.subarray(p, p + n));
  M.set(heap.subarray(m, m + n));
  V.set(heap.subarray(v, v + n));
  return n;
}
