// The WebGPU backend: buffers are pooled GPUBuffers of 4-byte elements (f32, i32, bool as u32),
// every kernel is a WGSL program, and values come back only asynchronously. It registers
// itself for device 'webgpu' once initWebGPU() has found an adapter.
import { typedArrayFor, type DType, type TypedArray } from '../../dtype.ts';
import { layoutOf, numel } from '../../shape.ts';
import { registerBackend, unregisterBackend } from '../registry.ts';
import type { Backend, BackendBuffer, KernelTable, View } from '../types.ts';
import { binary, copy, copyInto, unary, where } from './elementwise.ts';
import { gather, scatter } from './gather.ts';
import { requestGpuDevice, type GpuInfo } from './gpu.ts';
import { matmul } from './matmul.ts';
import { optimizerStep } from './optim.ts';
import { GpuBuffer } from './memory.ts';
import { storageType } from './program.ts';
import { argReduce } from './arg-reduce.ts';
import { cumulative } from './cumulative.ts';
import { reduce } from './reduce.ts';
import { GpuRunner } from './runner.ts';

export { WebGPUUnavailableError, type GpuInfo } from './gpu.ts';

/** Wrapped-number constants (the 2 in x.mul(2)) are uploaded once and kept. */
const CONSTANTS_MAX = 4096;

export class WebGPUBackend implements Backend {
  readonly device = 'webgpu' as const;
  readonly kernels: KernelTable;
  private readonly constants = new Map<string, GpuBuffer>();
  private readonly constantBuffers = new Set<GpuBuffer>();

  constructor(readonly runner: GpuRunner) {
    const r = runner;
    this.kernels = {
      unary: (op, x, dtype) => unary(r, op, x, dtype),
      binary: (op, a, b, dtype) => binary(r, op, a, b, dtype),
      where: (c, a, b, dtype) => where(r, c, a, b, dtype),
      reduce: (op, x, dims, dtype) => reduce(r, op, x, dims, dtype),
      argReduce: (op, x, dim) => argReduce(r, op, x, dim),
      cumulative: (op, x, dim, dtype) => cumulative(r, op, x, dim, dtype),
      matmul: (a, b, dtype) => matmul(r, a, b, dtype),
      copy: (x, dtype) => copy(r, x, dtype),
      copyInto: (dst, src) => copyInto(r, dst, src),
      gather: (x, dim, index) => gather(r, x, dim, index),
      scatter: (base, dim, index, src, mode) => scatter(r, base, dim, index, src, mode),
    } satisfies KernelTable;
  }

  get info(): GpuInfo {
    return this.runner.info;
  }

  alloc(dtype: DType, size: number): BackendBuffer {
    storageType(dtype);
    return this.runner.alloc(size, true);
  }

  fromTypedArray(data: TypedArray, dtype: DType): BackendBuffer {
    const type = storageType(dtype);
    // bools are Uint8Array on the CPU and u32 here; int64 is a Float64Array there and i32 here.
    const words =
      type === 'u32'
        ? Uint32Array.from(data)
        : type === 'i32' && !(data instanceof Int32Array)
          ? toInt32(data)
          : data;
    return this.runner.upload(words, data.length);
  }

  constant(value: number, dtype: DType): BackendBuffer {
    const key = `${dtype}:${Object.is(value, -0) ? '-0' : value}`;
    let buffer = this.constants.get(key);
    if (!buffer) {
      const data = typedArrayFor(dtype, 1);
      data[0] = value;
      buffer = this.fromTypedArray(data, dtype) as GpuBuffer;
      if (this.constants.size < CONSTANTS_MAX) {
        this.constants.set(key, buffer);
        this.constantBuffers.add(buffer);
      }
    }
    return buffer;
  }

  optimizerStep(
    kind: 'adam' | 'sgd',
    views: readonly [View, View, View | null, View | null],
    flags: number,
    hyper: readonly number[],
  ): void {
    optimizerStep(this.runner, kind, views, flags, hyper);
  }

  readSync(): TypedArray {
    throw new Error(
      "this tensor is on 'webgpu', whose memory can only be read asynchronously: use `await t.data()` or `await t.tolistAsync()` (or `await t.toAsync('cpu')` for a CPU copy)",
    );
  }

  async read(view: View): Promise<TypedArray> {
    const n = numel(view.shape);
    const dense = layoutOf(view.shape, view.strides) === 'flat' && view.offset === 0;
    const source = dense ? (view.buffer as GpuBuffer) : copy(this.runner, view, view.dtype);
    const bytes = await this.runner.read(source, n);
    if (!dense) this.runner.pool.release(source);
    switch (view.dtype) {
      case 'float32':
        return new Float32Array(bytes);
      case 'int32':
        return new Int32Array(bytes);
      case 'int64':
        return Float64Array.from(new Int32Array(bytes));
      case 'bool':
        return Uint8Array.from(new Uint32Array(bytes));
      default:
        storageType(view.dtype);
        throw new Error('unreachable');
    }
  }

  release(buffer: BackendBuffer): void {
    const b = buffer as GpuBuffer;
    if (!this.constantBuffers.has(b)) this.runner.pool.release(b);
  }

  liveBuffers(): number {
    return this.runner.pool.liveBuffers;
  }

  /** What GPU memory holds: buffers in use, and everything allocated (in use + pooled). */
  memory(): { liveBuffers: number; liveBytes: number; allocatedBytes: number } {
    const p = this.runner.pool;
    return { liveBuffers: p.liveBuffers, liveBytes: p.liveBytes, allocatedBytes: p.allocatedBytes };
  }

  /** Waits until the GPU has finished everything submitted so far. */
  async sync(): Promise<void> {
    this.runner.flush();
    await this.runner.device.queue.onSubmittedWorkDone();
  }
}

let current: WebGPUBackend | null = null;
let pending: Promise<WebGPUBackend> | null = null;

/**
 * Finds a WebGPU adapter and registers the 'webgpu' device. Resolves to the backend (the same
 * one on later calls); rejects with WebGPUUnavailableError, saying why, when there is none.
 */
export function initWebGPU(): Promise<WebGPUBackend> {
  if (current && current.runner.lost === null) return Promise.resolve(current);
  pending ??= requestGpuDevice()
    .then(({ device, info, gpu }) => {
      const backend = new WebGPUBackend(new GpuRunner(device, info, gpu));
      backend.runner.onLost(() => {
        if (current === backend) {
          current = null;
          unregisterBackend('webgpu');
        }
      });
      current = backend;
      registerBackend(backend);
      return backend;
    })
    .finally(() => {
      pending = null;
    });
  return pending;
}

/** The initialised WebGPU backend, or null. */
export function webgpuBackend(): WebGPUBackend | null {
  return current;
}

/** int64 values (a Float64Array) as the GPU's i32 words; a value beyond int32 is refused by name. */
function toInt32(data: TypedArray): Int32Array {
  const out = new Int32Array(data.length);
  for (let i = 0; i < data.length; i++) {
    const v = data[i]!;
    if (v > 2147483647 || v < -2147483648)
      throw new Error(
        `webgpu: int64 value ${v} does not fit the GPU's 32-bit integers (|x| < 2^31); keep this tensor on 'cpu'`,
      );
    out[i] = v;
  }
  return out;
}
