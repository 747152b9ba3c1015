// float32 tanh and sigmoid on WebAssembly SIMD128 (activations.wat): equal bit for bit to the
// TypeScript kernels (Math.fround(Math.tanh(x)), Math.fround(1 / (1 + Math.exp(−x)))), computed
// in float64 without the library call except near a float32 rounding boundary. A tanh RNN's
// forward was mostly Math.tanh (17 ns a value); an LSTM's or GRU's gates are sigmoids.
import { BYTES_BASE64 } from './activations.wasm.ts';
import { instantiate, newMemory, reserve, type WasmMemory } from './instance.ts';
import { inArena, inPlace, WASM_ELEMENTWISE_MIN, wasmElementwiseEnabled } from './elementwise.ts';
import { exactActivations } from './activations-exact.ts';
import { takeCopyF32 } from '../cpu/pool.ts';

export interface ActivationKernel {
  memory: WasmMemory;
  /** o[i] = tanh(x[i]) for i < n (n even; byte addresses). */
  tanh(x: number, o: number, n: number): void;
  /** o[i] = sigmoid(x[i]) for i < n (n even; byte addresses). */
  sigmoid(x: number, o: number, n: number): void;
  /** A GRU cell's gates and next state (see activations.wat; byte addresses). */
  gruForward(
    x: number,
    g: number,
    h: number,
    rows: number,
    hidden: number,
    p: number,
    rz: number,
    a: number,
    n: number,
    hn: number,
    out: number,
  ): void;
  /** An LSTM cell's gates and next state and cell (see activations.wat; byte addresses). */
  lstmForward(
    x: number,
    g: number,
    c: number,
    rows: number,
    hidden: number,
    p: number,
    act: number,
    tc: number,
    out: number,
  ): void;
  /** Its backward (see activations.wat; byte addresses). */
  lstmBackward(
    gg: number,
    c: number,
    act: number,
    tc: number,
    rows: number,
    hidden: number,
    dg: number,
    dc: number,
  ): void;
  /** The GRU cell's backward (see activations.wat; byte addresses). */
  gruBackward(
    gg: number,
    h: number,
    r: number,
    z: number,
    n: number,
    hn: number,
    rows: number,
    hidden: number,
    dxi: number,
    dgh: number,
    dh: number,
  ): void;
}

/** The kernels working in `memory` (another module's, whose data they then read in place). */
export function activationKernel(memory: WasmMemory | null): ActivationKernel | null {
  return memory && instantiate<ActivationKernel>(BYTES_BASE64, { env: { memory }, m: exactActivations });
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
  if (!k) return null;
  const fast = inArena([[x, at]], n, ([from], to, count) => [op, [from!, to, count]]);
  return fast ?? inPlace(k.memory, x, at, n, (padded) => k[op](0, 0, padded));
}

/** Whether the kernels run here (WebAssembly SIMD, and the elementwise path switched on). */
export const activationsAvailable = (): boolean => load() !== null;

/** Rows of a float32 matrix: row b's `width` values from at + b·pitch. */
export interface MatrixRows {
  data: Float32Array;
  at: number;
  pitch: number;
}

/** What a GRU cell's forward keeps for its backward, each [rows, hidden] dense. */
export interface GruSaved {
  r: Float32Array;
  z: Float32Array;
  n: Float32Array;
  hn: Float32Array;
}

/** Lays `rows` rows of `width` floats out densely at float `to` of the heap. */
function placeRows(heap: Float32Array, m: MatrixRows, rows: number, width: number, to: number): void {
  if (m.pitch === width) return heap.set(m.data.subarray(m.at, m.at + rows * width), to);
  for (let b = 0; b < rows; b++)
    heap.set(m.data.subarray(m.at + b * m.pitch, m.at + b * m.pitch + width), to + b * width);
}

/**
 * A GRU cell's next state from xi and gh ([rows, 3·hidden]) and h ([rows, hidden]), with what its
 * backward needs; null without WebAssembly (the composed cell then runs).
 */
export function wasmGruForward(
  xi: MatrixRows,
  gh: MatrixRows,
  h: MatrixRows,
  rows: number,
  hidden: number,
): { h: Float32Array; saved: GruSaved } | null {
  const k = load();
  if (!k) return null;
  const S = rows * hidden;
  // Floats: x, g, h, then p (2S + 2), rz (2S + 2), a (S + 2), n (S + 2), hn, out.
  const [x, g, hh] = [0, 3 * S, 6 * S];
  const p = 7 * S;
  const rz = p + 2 * S + 2;
  const a = rz + 2 * S + 2;
  const n = a + S + 2;
  const hn = n + S + 2;
  const out = hn + S;
  reserve(k.memory, (out + S) * 4);
  const heap = new Float32Array(k.memory.buffer);
  placeRows(heap, xi, rows, 3 * hidden, x);
  placeRows(heap, gh, rows, 3 * hidden, g);
  placeRows(heap, h, rows, hidden, hh);
  k.gruForward(x * 4, g * 4, hh * 4, rows, hidden, p * 4, rz * 4, a * 4, n * 4, hn * 4, out * 4);
  const copy = (at: number) => takeCopyF32(heap.subarray(at, at + S));
  return { h: copy(out), saved: { r: copy(rz), z: copy(rz + S), n: copy(n), hn: copy(hn) } };
}

/** Its backward: the gradients for xi, gh (both [rows, 3·hidden]) and h; null without WebAssembly. */
export function wasmGruBackward(
  gg: MatrixRows,
  h: MatrixRows,
  saved: GruSaved,
  rows: number,
  hidden: number,
): { xi: Float32Array; gh: Float32Array; h: Float32Array } | null {
  const k = load();
  if (!k) return null;
  const S = rows * hidden;
  // Floats: gg, h, r, z, n, hn (S each), then dxi and dgh (3S each), dh.
  const [g, hh, r, z, n, hn] = [0, S, 2 * S, 3 * S, 4 * S, 5 * S];
  const [dxi, dgh, dh] = [6 * S, 9 * S, 12 * S];
  reserve(k.memory, (dh + S) * 4);
  const heap = new Float32Array(k.memory.buffer);
  placeRows(heap, gg, rows, hidden, g);
  placeRows(heap, h, rows, hidden, hh);
  heap.set(saved.r, r);
  heap.set(saved.z, z);
  heap.set(saved.n, n);
  heap.set(saved.hn, hn);
  k.gruBackward(g * 4, hh * 4, r * 4, z * 4, n * 4, hn * 4, rows, hidden, dxi * 4, dgh * 4, dh * 4);
  return {
    xi: takeCopyF32(heap.subarray(dxi, dxi + 3 * S)),
    gh: takeCopyF32(heap.subarray(dgh, dgh + 3 * S)),
    h: takeCopyF32(heap.subarray(dh, dh + S)),
  };
}

/** What an LSTM cell's forward keeps for its backward: [σi | σf | tanh g | σo] and tanh(c'). */
export interface LstmSaved {
  act: Float32Array;
  tc: Float32Array;
}

/**
 * An LSTM cell's [h' | c'] ([rows, 2·hidden]) from xi and gh ([rows, 4·hidden]) and c ([rows,
 * hidden]), with what its backward needs; null without WebAssembly.
 */
export function wasmLstmForward(
  xi: MatrixRows,
  gh: MatrixRows,
  c: MatrixRows,
  rows: number,
  hidden: number,
): { out: Float32Array; saved: LstmSaved } | null {
  const k = load();
  if (!k) return null;
  const S = rows * hidden;
  // Floats: x, g (4S each), c, then p (4S + 2), act (4S + 2), tc (S + 2), out (2S).
  const [x, g, cc, p] = [0, 4 * S, 8 * S, 9 * S];
  const act = p + 4 * S + 2;
  const tc = act + 4 * S + 2;
  const out = tc + S + 2;
  reserve(k.memory, (out + 2 * S) * 4);
  const heap = new Float32Array(k.memory.buffer);
  placeRows(heap, xi, rows, 4 * hidden, x);
  placeRows(heap, gh, rows, 4 * hidden, g);
  placeRows(heap, c, rows, hidden, cc);
  k.lstmForward(x * 4, g * 4, cc * 4, rows, hidden, p * 4, act * 4, tc * 4, out * 4);
  return {
    out: takeCopyF32(heap.subarray(out, out + 2 * S)),
    saved: { act: takeCopyF32(heap.subarray(act, act + 4 * S)), tc: takeCopyF32(heap.subarray(tc, tc + S)) },
  };
}

/** Its backward from [dh | dc]: the gates' gradient [rows, 4·hidden] and c's; null without WebAssembly. */
export function wasmLstmBackward(
  gg: MatrixRows,
  c: MatrixRows,
  saved: LstmSaved,
  rows: number,
  hidden: number,
): { gates: Float32Array; c: Float32Array } | null {
  const k = load();
  if (!k) return null;
  const S = rows * hidden;
  const [g, cc, act, tc, dg, dc] = [0, 2 * S, 3 * S, 7 * S, 8 * S, 12 * S];
  reserve(k.memory, (dc + S) * 4);
  const heap = new Float32Array(k.memory.buffer);
  placeRows(heap, gg, rows, 2 * hidden, g);
  placeRows(heap, c, rows, hidden, cc);
  heap.set(saved.act, act);
  heap.set(saved.tc, tc);
  k.lstmBackward(g * 4, cc * 4, act * 4, tc * 4, rows, hidden, dg * 4, dc * 4);
  return {
    gates: takeCopyF32(heap.subarray(dg, dg + 4 * S)),
    c: takeCopyF32(heap.subarray(dc, dc + S)),
  };
}
