// Instantiates an embedded WebAssembly module (base64) once; null where WebAssembly or its SIMD
// is unavailable, so callers fall back to their TypeScript kernels.

/** The part of the WebAssembly API used here (the engine compiles without DOM or Node types). */
export interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object) => { exports: unknown };
}

export function instantiate<T extends { memory: WasmMemory }>(base64: string): T | null {
  const wasm = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
  if (!wasm) return null;
  try {
    const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
    return new wasm.Instance(new wasm.Module(bytes)).exports as T;
  } catch {
    return null;
  }
}

/** Grows a module's memory to hold at least `bytes`. */
export function reserve(memory: WasmMemory, bytes: number): void {
  const missing = bytes - memory.buffer.byteLength;
  if (missing > 0) memory.grow(Math.ceil(missing / 65536));
}
