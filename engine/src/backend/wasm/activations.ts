// float32 tanh and sigmoid on WebAssembly SIMD128 (activations.wat): equal bit for bit to the
// TypeScript kernels (Math.fround(Math.tanh(x)), Math.fround(1 / (1 + Math.exp(−x)))), computed
// in float64 without the library call except near a float32 rounding boundary. A tanh RNN's
// forward was mostly Math.tanh (17 ns a value); an LSTM's or GRU's gates are sigmoids.
import { BYTES_BASE64 } from './activations.wasm.ts';
import { instantiate, newMemory, type WasmMemory } from './instance.ts';
import { inPlace, WASM_ELEMENTWISE_MIN, wasmElementwiseEnabled } from './elementwise.ts';

export interface ActivationKernel {
  memory: WasmMemory;
  /** o[i] = tanh(x[i]) for i < n (n even; byte addresses). */
  tanh(x: number, o: number, n: number): void;
  /** o[i] = sigmoid(x[i]) for i < n (n even; byte addresses). */
  sigmoid(x: number, o: number, n: number): void;
}

/** The TypeScript kernels' exact values, for the few the kernels cannot decide. */
const exact = { tanh: Math.tanh, sigmoid: (x: number) => 1 / (1 + Math.exp(-x)) };
/** The kernels working in `memory` (another module's, whose data they then read in place). */
export function activationKernel(memory: WasmMemory | null): ActivationKernel | null {
  return memory && instantiate<ActivationKernel>(BYTES_BASE64, { env: { memory }, m: exact });
}

let kernel: ActivationKernel | null | undefined;
const load = (): ActivationKernel | null => {
  if (!wasmElementwiseEnabled()) return null;
  if (kernel === undefined) kernel = activationKernel(newMemory());
  return kernel;
};

/**
 * tanh or sigmoid of n dense values of `x` from `at`, as a new array; null when this path does
 * not apply (few values, or no WebAssembly SIMD).
 */
export function wasmActivation(
  op: 'tanh' | 'sigmoid',
  x: Float32Array,
  at: number,
  n: number,
): Float32Array | null {
  if (n < WASM_ELEMENTWISE_MIN) return null;
  const k = load();
  return k && inPlace(k.memory, x, at, n, (padded) => k[op](0, 0, padded));
}
