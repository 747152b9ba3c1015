// Adam's update on WebAssembly SIMD128 (adam.wat). A parameter's two moment buffers can live in
// a WebAssembly memory of their own for good (residentMoments: the optimizer's state tensors are
// views of it, and it never grows, so the views stay valid): then a step copies only the
// parameter and its gradient in and the parameter out. Otherwise all four are copied into a
// shared memory and the three that changed copied back.
import { BYTES_BASE64 } from './adam.wasm.ts';
import { instantiate, newMemory, reserve, type WasmMemory } from './instance.ts';

interface Kernel {
  memory: WasmMemory;
  adam(p: number, g: number, m: number, v: number, n: number, flags: number, ...scalars: number[]): void;
}

const onMemory = (memory: WasmMemory | null, tracked = true): Kernel | null =>
  memory && instantiate<Kernel>(BYTES_BASE64, { env: { memory } }, { tracked });

let kernel: Kernel | null | undefined;
const load = (): Kernel | null => (kernel === undefined ? (kernel = onMemory(newMemory())) : kernel);

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

/** Runs one Adam step in place on the four arrays; false where WebAssembly SIMD is unavailable. */
export function wasmAdam(
  P: Float32Array,
  G: Float32Array,
  M: Float32Array,
  V: Float32Array,
  o: AdamScalars,
): boolean {
  const flags = (o.maximize ? 1 : 0) | (o.decoupled ? 2 : 0) | (o.coupledDecay ? 4 : 0);
  const n = P.length;
  const own = residents.get(M.buffer);
  if (own && own.n === n && M.byteOffset === 0 && V.buffer === M.buffer && V.byteOffset === own.padded * 4) {
    // The moments are where the kernel reads them: only the parameter and its gradient move.
    const heap = new Float32Array(own.kernel.memory.buffer);
    const [m, v, p, g] = [0, own.padded, 2 * own.padded, 3 * own.padded];
    heap.set(P, p);
    heap.set(G, g);
    own.kernel.adam(p * 4, g * 4, m * 4, v * 4, own.padded, flags, ...o.values);
    P.set(heap.subarray(p, p + n));
    return true;
  }
  const k = load();
  if (!k) return false;
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
  return true;
}
