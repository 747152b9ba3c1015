// Per-channel sums of a dense float32 block [n, o, L] on WebAssembly (sgemm.wat's channelSums,
// a convolution's bias gradient): each channel one float64 chain in the order the TypeScript
// reduce adds (samples, then positions), rounded once, so a sum over every dim but one (batch
// norm's per-channel statistics and their gradients) equals it bit for bit, eight channels'
// chains overlapping instead of four.
import { reserve } from './instance.ts';
import { arenaMemory } from './arena.ts';
import { withAddresses } from './arena-call.ts';
import { WASM_ELEMENTWISE_MIN, wasmElementwiseEnabled, wasmElementwiseStats } from './elementwise.ts';
import { load, loadInArena } from './sgemm.ts';

/** Sums over dims 0 and 2 of x viewed as [n, o, L] from `offset`: o float32 values, or null. */
export function wasmChannelSums(
  x: Float32Array,
  offset: number,
  n: number,
  o: number,
  L: number,
): Float32Array | null {
  if (!wasmElementwiseEnabled() || n * o * L < WASM_ELEMENTWISE_MIN) return null;
  const out = new Float32Array(o);
  const total = n * o * L;
  // Over the arena the values are read where they lie (only the o sums are copied out).
  const arena = loadInArena();
  if (
    arena &&
    withAddresses(
      arenaMemory()!,
      [
        { data: x, at: offset, n: total, read: true, written: false },
        { data: out, at: 0, n: o, read: false, written: true },
      ],
      0,
      ([xAt, outAt]) => arena.channelSums(xAt!, n, o, L, outAt!),
    )
  ) {
    wasmElementwiseStats.calls++;
    return out;
  }
  const own = load();
  if (!own) return null;
  const outAt = Math.ceil(total / 4) * 4;
  reserve(own.memory, (outAt + o) * 4);
  const heap = new Float32Array(own.memory.buffer);
  heap.set(x.subarray(offset, offset + total));
  own.channelSums(0, n, o, L, outAt * 4);
  wasmElementwiseStats.calls++;
  out.set(heap.subarray(outAt, outAt + o));
  return out;
}
