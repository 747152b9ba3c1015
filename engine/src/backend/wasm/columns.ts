// im2col and col2im on WebAssembly (in sgemm.wat, beside the product that convolutions feed)
// over the same table of runs as the TypeScript kernels in ops/im2col.ts, with the same results
// bit for bit; null where WebAssembly is not available (or turned off for tests), and the
// TypeScript kernels run instead.
import { takeCopyF32 } from '../cpu/pool.ts';
import { reserve } from './instance.ts';
import { wasmElementwiseEnabled, wasmElementwiseStats } from './elementwise.ts';
import { load as loadSgemm, type Kernel } from './sgemm.ts';

const load = (): Kernel | null => (wasmElementwiseEnabled() ? loadSgemm() : null);

/**
 * Runs one direction over `planes` planes: `values` (planes × `inner` floats from `first`) in,
 * planes × `outer` floats out, zero where no run writes. Layout in floats: input, runs, output.
 */
function columns(
  which: 'im2col' | 'col2im',
  values: Float32Array,
  first: number,
  runs: Int32Array,
  planes: number,
  inner: number,
  outer: number,
  plane: number,
  KL: number,
): Float32Array | null {
  const k = load();
  if (!k) return null;
  const runsAt = planes * inner;
  const outAt = runsAt + runs.length;
  try {
    reserve(k.memory, (outAt + planes * outer) * 4);
  } catch {
    return null; // past what WebAssembly memory can hold: the TypeScript kernel runs
  }
  const heap = new Float32Array(k.memory.buffer);
  heap.set(values.subarray(first, first + planes * inner), 0);
  new Int32Array(k.memory.buffer).set(runs, runsAt);
  heap.fill(0, outAt, outAt + planes * outer);
  k[which](0, runsAt * 4, runs.length / 3, planes, plane, KL, outAt * 4);
  wasmElementwiseStats.calls++;
  return takeCopyF32(heap.subarray(outAt, outAt + planes * outer));
}

/** [planes, plane] → [planes, K·L] columns. */
export const wasmIm2col = (
  x: Float32Array,
  first: number,
  runs: Int32Array,
  planes: number,
  plane: number,
  KL: number,
) => columns('im2col', x, first, runs, planes, plane, KL, plane, KL);

/** [planes, K·L] columns → [planes, plane], each entry added onto its input position. */
export const wasmCol2im = (
  cols: Float32Array,
  first: number,
  runs: Int32Array,
  planes: number,
  plane: number,
  KL: number,
) => columns('col2im', cols, first, runs, planes, KL, plane, plane, KL);
