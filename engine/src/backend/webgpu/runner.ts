// Runs programs on one GPUDevice: caches pipelines by program key, records dispatches into one
// command encoder and submits them in batches (on a read, or after enough work), hands out
// pooled buffers, and reads results back asynchronously.
import type { GpuInfo } from './gpu.ts';
import { BufferPool, GpuBuffer } from './memory.ts';
import { PRELUDE, type Program } from './program.ts';

/** Bytes of one dispatch's uniform block: 64 i32 values (also the uniform offset alignment). */
export const META_BYTES = 256;
const META_SLOTS = META_BYTES / 4;
/** Dispatches recorded before a batch is submitted without being asked. */
const BATCH = 128;
const MAX_GROUPS = 65535;
/**
 * Written after the values of every read-back: a lost device completes a mapping with zeros
 * (before its `lost` promise may have settled), so a missing sentinel means the values are not
 * the tensor's.
 */
const SENTINEL = new Uint32Array([0x9e3779b9]);

export class GpuRunner {
  readonly pool: BufferPool;
  private readonly pipelines = new Map<string, GPUComputePipeline>();
  private encoder: GPUCommandEncoder | null = null;
  private pass: GPUComputePassEncoder | null = null;
  private readonly meta: Int32Array;
  private metaBuffer: GPUBuffer;
  private dispatches = 0;
  private flushQueued = false;
  /** Set once the device is lost: every later use reports it. */
  lost: string | null = null;
  private readonly lostListeners: Array<(reason: string) => void> = [];
  /** Validation errors the device reported (the first one is also logged). */
  readonly errors: string[] = [];
  private errorsSeen = 0;

  constructor(
    readonly device: GPUDevice,
    readonly info: GpuInfo,
    /** Held so that the GPU instance lives as long as its device (see gpu.ts). */
    readonly gpu: GPU,
  ) {
    this.pool = new BufferPool(device);
    this.meta = new Int32Array(BATCH * META_SLOTS);
    this.metaBuffer = this.newMetaBuffer();
    void device.lost.then((e) => {
      this.lost = e.message || e.reason || 'the device was lost';
      for (const listener of this.lostListeners) listener(this.lost);
    });
    device.addEventListener('uncapturederror', (event) => {
      const message = (event as GPUUncapturedErrorEvent).error.message;
      if (this.errors.length === 0) console.error(`WebGPU error: ${message}`);
      if (this.errors.length < 20) this.errors.push(message);
    });
  }

  private readonly scratchBuffers: GpuBuffer[] = [];

  /** Small buffers that stand in for absent bindings. */
  scratch(k: number): GpuBuffer {
    while (this.scratchBuffers.length <= k) this.scratchBuffers.push(this.pool.acquire(4).buffer);
    return this.scratchBuffers[k]!;
  }

  onLost(listener: (reason: string) => void): void {
    this.lostListeners.push(listener);
    if (this.lost !== null) listener(this.lost);
  }

  private newMetaBuffer(): GPUBuffer {
    return this.device.createBuffer({ size: BATCH * META_BYTES, usage: 0x40 | 0x08 }); // UNIFORM | COPY_DST
  }

  private check(): void {
    if (this.lost !== null)
      throw new Error(`WebGPU device lost (${this.lost}): move the model to 'cpu' and train there`);
  }

  private pipeline(program: Program): GPUComputePipeline {
    let p = this.pipelines.get(program.key);
    if (!p) {
      const code = PRELUDE + program.wgsl();
      const module = this.device.createShaderModule({ code, label: program.key });
      p = this.device.createComputePipeline({
        layout: 'auto',
        compute: { module, entryPoint: 'main' },
        label: program.key,
      });
      this.pipelines.set(program.key, p);
    }
    return p;
  }

  private computePass(): GPUComputePassEncoder {
    if (!this.encoder) this.encoder = this.device.createCommandEncoder();
    if (!this.pass) this.pass = this.encoder.beginComputePass();
    return this.pass;
  }

  /** The encoder for copies and clears (outside any compute pass). */
  private copyEncoder(): GPUCommandEncoder {
    if (this.pass) {
      this.pass.end();
      this.pass = null;
    }
    if (!this.encoder) this.encoder = this.device.createCommandEncoder();
    return this.encoder;
  }

  /** A new buffer for `length` elements; zero-filled when asked (fresh GPU buffers already are). */
  alloc(length: number, zero: boolean): GpuBuffer {
    this.check();
    const { buffer, reused } = this.pool.acquire(length);
    if (zero && reused) this.copyEncoder().clearBuffer(buffer.gpu);
    return buffer;
  }

  upload(data: ArrayBufferView & { length: number }, length: number): GpuBuffer {
    this.check();
    const { buffer, reused } = this.pool.acquire(length);
    // A recycled buffer may still be read by recorded work: submit that first, since writeBuffer
    // lands before anything submitted after it.
    if (reused && this.encoder) this.flush();
    const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    // writeBuffer wants a multiple of 4 bytes.
    const padded = bytes.byteLength % 4 === 0 ? bytes : copyPadded(bytes);
    this.device.queue.writeBuffer(buffer.gpu, 0, padded);
    return buffer;
  }

  /**
   * Records one dispatch of `program` over `invocations` work items (one per thread, in
   * workgroups of program.workgroupSize), with `meta` as its uniform block.
   */
  run(program: Program, buffers: readonly GpuBuffer[], meta: readonly number[], invocations: number): void {
    this.check();
    if (meta.length > META_SLOTS)
      throw new Error(
        `webgpu: ${program.key}: too many dims for one kernel (${meta.length} > ${META_SLOTS} values)`,
      );
    for (const b of buffers)
      if (b.released)
        throw new Error(
          'webgpu: a tensor whose memory was released was used (it was freed at the end of a tidy() scope or by dispose(); keep() it to use it later)',
        );
    const groups = Math.ceil(invocations / program.workgroupSize);
    if (groups === 0) return;
    if (this.dispatches === BATCH) this.flush();
    const slot = this.dispatches++;
    this.meta.fill(0, slot * META_SLOTS, (slot + 1) * META_SLOTS);
    this.meta.set(meta, slot * META_SLOTS);
    const pipeline = this.pipeline(program);
    const entries: GPUBindGroupEntry[] = [
      { binding: 0, resource: { buffer: this.metaBuffer, offset: slot * META_BYTES, size: META_BYTES } },
    ];
    buffers.forEach((b, i) => entries.push({ binding: i + 1, resource: { buffer: b.gpu, size: b.bytes } }));
    const bindGroup = this.device.createBindGroup({ layout: pipeline.getBindGroupLayout(0), entries });
    const pass = this.computePass();
    pass.setPipeline(pipeline);
    pass.setBindGroup(0, bindGroup);
    const x = Math.min(groups, MAX_GROUPS);
    pass.dispatchWorkgroups(x, Math.ceil(groups / x));
    if (!this.flushQueued) {
      this.flushQueued = true;
      // Work recorded in one synchronous stretch is submitted together.
      queueMicrotask(() => {
        this.flushQueued = false;
        this.flush();
      });
    }
  }

  copyBuffer(src: GpuBuffer, dst: GPUBuffer, bytes: number): void {
    this.copyEncoder().copyBufferToBuffer(src.gpu, 0, dst, 0, bytes);
  }

  /** Submits everything recorded so far. */
  flush(): void {
    if (!this.encoder) return;
    if (this.pass) this.pass.end();
    this.pass = null;
    if (this.dispatches > 0) {
      this.device.queue.writeBuffer(this.metaBuffer, 0, this.meta, 0, this.dispatches * META_SLOTS);
      // The uniform block is rewritten by the next batch; writeBuffer is ordered after this
      // submit on the queue, so the batches do not see each other's values.
    }
    this.device.queue.submit([this.encoder.finish()]);
    this.encoder = null;
    this.dispatches = 0;
  }

  /** The first `length` 4-byte elements of a buffer, once the GPU has written them. */
  async read(buffer: GpuBuffer, length: number): Promise<ArrayBuffer> {
    this.check();
    const staging = this.device.createBuffer({ size: (length + 1) * 4, usage: 0x01 | 0x08 }); // MAP_READ | COPY_DST
    this.device.queue.writeBuffer(staging, length * 4, SENTINEL);
    if (length > 0) this.copyBuffer(buffer, staging, length * 4);
    this.flush();
    try {
      await staging.mapAsync(0x0001); // GPUMapMode.READ
    } catch (e) {
      this.check();
      throw new Error(`webgpu: reading a tensor back failed: ${(e as Error).message}`, { cause: e });
    }
    this.check();
    const mapped = staging.getMappedRange();
    const intact = new Uint32Array(mapped, length * 4, 1)[0] === SENTINEL[0];
    const out = intact ? mapped.slice(0, length * 4) : null;
    staging.unmap();
    staging.destroy();
    if (!out) {
      // Never hand out a dying device's zeros as a tensor's values; say it is lost once it says so.
      await Promise.race([this.device.lost, new Promise((resolve) => setTimeout(resolve, 1000))]);
      throw new Error(
        `WebGPU device lost (${this.lost ?? 'a read-back came back empty'}): move the model to 'cpu' and train there`,
      );
    }
    if (this.errors.length > this.errorsSeen) {
      const first = this.errors[this.errorsSeen]!;
      this.errorsSeen = this.errors.length;
      throw new Error(`webgpu: the GPU rejected work recorded before this read: ${first}`);
    }
    return out;
  }
}

function copyPadded(bytes: Uint8Array): Uint8Array {
  const out = new Uint8Array(Math.ceil(bytes.byteLength / 4) * 4);
  out.set(bytes);
  return out;
}
