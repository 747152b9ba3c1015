// GPU memory: buffers are recycled through a pool keyed by size class, so a training step that
// frees its intermediates (see scope.ts) allocates nothing new from the second step on.

/** The backend's buffer handle: one GPUBuffer holding `length` 4-byte elements. */
export class GpuBuffer {
  released = false;
  constructor(
    readonly gpu: GPUBuffer,
    readonly length: number,
    readonly bytes: number,
  ) {}
}

const USAGE_STORAGE = 0x80 | 0x04 | 0x08; // STORAGE | COPY_SRC | COPY_DST

/** Rounds a request up to its size class: 256-byte steps while small, then eighths of a power of two. */
export function sizeClass(bytes: number): number {
  const b = Math.max(16, bytes);
  if (b <= 4096) return Math.ceil(b / 256) * 256;
  const step = 2 ** (Math.floor(Math.log2(b)) - 3);
  return Math.ceil(b / step) * step;
}

export class BufferPool {
  private readonly free = new Map<number, GPUBuffer[]>();
  /** Bytes of every GPUBuffer this pool has created and not destroyed (in use + pooled). */
  allocatedBytes = 0;
  /** Handles handed out and not yet released. */
  liveBuffers = 0;
  liveBytes = 0;

  constructor(private readonly device: GPUDevice) {}

  /** A buffer for `length` elements; `reused` says whether it may hold old values. */
  acquire(length: number): { buffer: GpuBuffer; reused: boolean } {
    const bytes = sizeClass(length * 4);
    const list = this.free.get(bytes);
    const pooled = list?.pop();
    const gpu = pooled ?? this.device.createBuffer({ size: bytes, usage: USAGE_STORAGE });
    if (!pooled) this.allocatedBytes += bytes;
    this.liveBuffers++;
    this.liveBytes += bytes;
    return { buffer: new GpuBuffer(gpu, length, bytes), reused: pooled !== undefined };
  }

  /** Returns a buffer to the pool; using its handle afterwards is an error the runner reports. */
  release(buffer: GpuBuffer): void {
    if (buffer.released) return;
    buffer.released = true;
    this.liveBuffers--;
    this.liveBytes -= buffer.bytes;
    let list = this.free.get(buffer.bytes);
    if (!list) this.free.set(buffer.bytes, (list = []));
    list.push(buffer.gpu);
  }

  /** Destroys every pooled (unused) buffer. */
  trim(): void {
    for (const list of this.free.values())
      for (const gpu of list) {
        this.allocatedBytes -= gpu.size;
        gpu.destroy();
      }
    this.free.clear();
  }
}
