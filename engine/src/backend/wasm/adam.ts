// Adam's update on WebAssembly SIMD128 (adam.wat): the four buffers are copied into WASM memory,
// updated four lanes at a time, and the three that changed copied back.
import { BYTES_BASE64 } from './adam.wasm.ts';
import { instantiate, reserve, type WasmMemory } from './instance.ts';

interface Kernel {
  memory: WasmMemory;
  adam(p: number, g: number, m: number, v: number, n: number, flags: number, ...scalars: number[]): void;
}

let kernel: Kernel | null | undefined;
const load = (): Kernel | null =>
  kernel === undefined ? (kernel = instantiate<Kernel>(BYTES_BASE64)) : kernel;

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
  const k = load();
  if (!k) return false;
  const n = P.length;
  const padded = Math.ceil(n / 4) * 4;
  const bytes = padded * 4;
  reserve(k.memory, 4 * bytes);
  const heap = new Float32Array(k.memory.buffer);
  const [p, g, m, v] = [0, padded, 2 * padded, 3 * padded];
  heap.set(P, p);
  heap.set(G, g);
  heap.set(M, m);
  heap.set(V, v);
  const flags = (o.maximize ? 1 : 0) | (o.decoupled ? 2 : 0) | (o.coupledDecay ? 4 : 0);
  k.adam(p * 4, g * 4, m * 4, v * 4, padded, flags, ...o.values);
  P.set(heap.subarray(p, p + n));
  M.set(heap.subarray(m, m + n));
  V.set(heap.subarray(v, v + n));
  return true;
}
