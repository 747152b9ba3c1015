// float32 tanh on WebAssembly SIMD128 (tanh.wat): equal bit for bit to the TypeScript kernel's
// Math.fround(Math.tanh(x)), computed in float64 without Math.tanh except near a float32
// rounding boundary. A tanh RNN's forward is mostly this (17 ns a value with Math.tanh).
import { BYTES_BASE64 } from './tanh.wasm.ts';
import { instantiate, newMemory, reserve, type WasmMemory } from './instance.ts';
import { takeCopyF32 } from '../cpu/pool.ts';
import { WASM_ELEMENTWISE_MIN, wasmElementwiseEnabled, wasmElementwiseStats } from './elementwise.ts';

export interface TanhKernel {
  memory: WasmMemory;
  /** o[i] = tanh(x[i]) for i < n (n even; byte addresses). */
  tanh(x: number, o: number, n: number): void;
}

/** The kernel working in `memory` (another module's, whose data it then reads in place). */
export function tanhKernel(memory: WasmMemory | null): TanhKernel | null {
  return memory && instantiate<TanhKernel>(BYTES_BASE64, { env: { memory }, m: { tanh: Math.tanh } });
}

let kernel: TanhKernel | null | undefined;
const load = (): TanhKernel | null => {
  if (!wasmElementwiseEnabled()) return null;
  if (kernel === undefined) kernel = tanhKernel(newMemory());
  return kernel;
};

/**
 * tanh of n dense values of `x` from `at`, written to `out` from `outAt` (`out` may be `x`, the
 * same region or another); a new array when `out` is not given. Null when this path does not
 * apply (few values, or no WebAssembly SIMD).
 */
export function wasmTanh(
  x: Float32Array,
  at: number,
  n: number,
  out?: Float32Array,
  outAt = 0,
): Float32Array | null {
  if (n < WASM_ELEMENTWISE_MIN) return null;
  const k = load();
  if (!k) return null;
  const padded = Math.ceil(n / 4) * 4;
  reserve(k.memory, padded * 4);
  const heap = new Float32Array(k.memory.buffer);
  heap.set(x.subarray(at, at + n));
  k.tanh(0, 0, padded);
  wasmElementwiseStats.calls++;
  if (!out) return takeCopyF32(heap.subarray(0, n));
  out.set(heap.subarray(0, n), outAt);
  return out;
}
