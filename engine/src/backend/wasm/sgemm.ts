// The float32 matmul on WebAssembly SIMD128: packs each operand (any strides, as autograd's
// transposed views come) into the kernel's layout in WASM memory, runs sgemm.wat, and copies C
// out. Falls back (returns null) where WebAssembly SIMD is unavailable.
import type { TypedArray } from '../../dtype.ts';
import type { View } from '../types.ts';
import { BYTES_BASE64 } from './sgemm.wasm.ts';

/** The part of the WebAssembly API used here (the engine compiles without DOM or Node types). */
interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object) => { exports: unknown };
}

interface Kernel {
  memory: WasmMemory;
  sgemm(a: number, b: number, c: number, m: number, n: number, k: number): void;
}

let kernel: Kernel | null | undefined;

function load(): Kernel | null {
  if (kernel !== undefined) return kernel;
  const wasm = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
  try {
    if (!wasm) throw new Error('no WebAssembly');
    const bytes = Uint8Array.from(atob(BYTES_BASE64), (c) => c.charCodeAt(0));
    const instance = new wasm.Instance(new wasm.Module(bytes));
    kernel = instance.exports as unknown as Kernel;
  } catch {
    kernel = null; // no WebAssembly, or no SIMD: the TypeScript kernel serves
  }
  return kernel;
}

export const wasmSimdAvailable = (): boolean => load() !== null;

const round = (x: number, to: number) => Math.ceil(x / to) * to;

/** Room for the packed operands, growing WASM memory when a larger product comes. */
function reserve(k: Kernel, bytes: number): void {
  const missing = bytes - k.memory.buffer.byteLength;
  if (missing > 0) k.memory.grow(Math.ceil(missing / 65536));
}

export function sgemmBatched(a: View, b: View): Float32Array | null {
  const k = load();
  if (!k) return null;
  const [batch, m, kk] = a.shape as [number, number, number];
  const n = b.shape[2]!;
  const [mp, np] = [round(m, 4), round(n, 8)];
  const aBytes = mp * kk * 4;
  const bBytes = kk * np * 4;
  const cBytes = mp * np * 4;
  reserve(k, aBytes + bBytes + cBytes);
  const [aPtr, bPtr, cPtr] = [0, aBytes, aBytes + bBytes];
  const heap = new Float32Array(k.memory.buffer);
  const A = a.buffer as TypedArray;
  const B = b.buffer as TypedArray;
  const [abs, ars, acs] = a.strides as [number, number, number];
  const [bbs, brs, bcs] = b.strides as [number, number, number];
  const out = new Float32Array(batch * m * n);
  // Zero padding rows of A and padding columns of B stay zero across batches.
  heap.fill(0, 0, (aBytes + bBytes) / 4);
  for (let p = 0; p < batch; p++) {
    if (p === 0 || abs !== 0)
      for (let r = 0, o = aPtr / 4; r < m; r++)
        for (let c = 0, i = a.offset + p * abs + r * ars; c < kk; c++, i += acs) heap[o++] = A[i]!;
    if (p === 0 || bbs !== 0)
      // Panels of 8 columns: element (r, c) goes to panel c>>3, row r, lane c&7.
      for (let r = 0; r < kk; r++)
        for (let c = 0, i = b.offset + p * bbs + r * brs; c < n; c++, i += bcs)
          heap[bPtr / 4 + (c >> 3) * kk * 8 + r * 8 + (c & 7)] = B[i]!;
    k.sgemm(aPtr, bPtr, cPtr, mp, np, kk);
    for (let r = 0; r < m; r++)
      out.set(heap.subarray(cPtr / 4 + r * np, cPtr / 4 + r * np + n), p * m * n + r * n);
  }
  return out;
}
