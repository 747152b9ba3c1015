// Instantiates an embedded WebAssembly module (base64) once; null where WebAssembly or its SIMD
// is unavailable, so callers fall back to their TypeScript kernels.

/** The part of the WebAssembly API used here (the engine compiles without DOM or Node types). */
export interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: unknown };
  Memory: new (descriptor: { initial: number }) => WasmMemory;
}

// A Set: modules that import another's memory export that same memory.
const memories = new Set<WasmMemory>();

/**
 * `imports`: what the module imports, by module and name (Math.tanh for activations.wat, a
 * memory). `tracked`: its memory counts in wasmMemoryBytes and is held for good (the kernels'
 * own); an optimizer's per-parameter memories are not, so they go with the optimizer.
 */
export function instantiate<T extends { memory: WasmMemory }>(
  base64: string,
  imports: object = {},
  { tracked = true } = {},
): T | null {
  const wasm = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
  if (!wasm) return null;
  try {
    const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
    const exports = new wasm.Instance(new wasm.Module(bytes), imports).exports as T;
    if (tracked) memories.add(exports.memory);
    return exports;
  } catch {
    return null;
  }
}

/** Counts a memory the kernels hold for good in wasmMemoryBytes (the arena's). */
export function trackMemory(memory: WasmMemory): void {
  memories.add(memory);
}

/** Bytes of memory held by the kernels' own instances (a long run must not keep growing it). */
export const wasmMemoryBytes = (): number => [...memories].reduce((sum, m) => sum + m.buffer.byteLength, 0);

/** Grows a module's memory to hold at least `bytes`. */
export function reserve(memory: WasmMemory, bytes: number): void {
  const missing = bytes - memory.buffer.byteLength;
  if (missing > 0) memory.grow(Math.ceil(missing / 65536));
}

/** A fresh memory of at least `bytes` (zeros) for a module that imports its memory; null without WebAssembly. */
export function newMemory(bytes = 0): WasmMemory | null {
  const wasm = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
  try {
    return wasm ? new wasm.Memory({ initial: Math.max(1, Math.ceil(bytes / 65536)) }) : null;
  } catch {
    return null;
  }
}
