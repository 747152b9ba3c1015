// im2col and col2im on the CPU, as direct loops over a window table (no index tensors, no padded
// copy): convolution's columns [N, C, *input] → [N, C·K, L] and their adjoint, which adds each
// column value back onto the input element it came from. Padding positions read 0 and receive
// nothing. The adjoint adds in the same order as scatter-add over the padded input did (column
// by column, row-major), so gradients are bit-identical to the gather/scatter path these replace
// on the CPU; other backends keep that path (windows.ts's unfoldColumns).
import { apply, defineOp, type OpDef } from '../autograd/function.ts';
import type { Tensor } from '../tensor.ts';
import { fromBuffer } from './make.ts';
import { gatherRaw } from './gather.ts';
import { takeF32, takeZeroedF32 } from '../backend/cpu/pool.ts';
import { wasmMaxPool, wasmUnpool, type PoolGrid } from '../backend/wasm/maxpool.ts';
import { wasmCol2im, wasmIm2col } from '../backend/wasm/columns.ts';

/**
 * A float32 CPU tensor's values in row-major order: its own buffer when it is dense (no copy of
 * megabytes of activations or gradients per call), else a contiguous copy; `at` is where its
 * first value sits.
 */
export function values(t: Tensor): { data: Float32Array; at: number } {
  if (t.isContiguous()) {
    const v = t.view_();
    return { data: v.buffer as Float32Array, at: v.offset };
  }
  return { data: t.dataSync() as Float32Array, at: 0 };
}

export interface ColumnAttrs {
  /** For each column entry e = k·L + l: the flat input position it reads, or −1 for padding. */
  source: Int32Array;
  /** Kernel positions K and output positions L. */
  K: number;
  L: number;
  /** The input's shape [N, C, *spatial]. */
  inputShape: readonly number[];
}

/**
 * The window table as runs of consecutive entries that read consecutive input elements (a
 * stride-1 row of a kernel offset is one run): [e, s, length] triples, in the table's order.
 * Copying runs instead of looking each entry up makes im2col and col2im plain sequential loops.
 */
const runsOf = new WeakMap<Int32Array, Int32Array>();
export function runs(source: Int32Array): Int32Array {
  let table = runsOf.get(source);
  if (table) return table;
  const out: number[] = [];
  for (let e = 0; e < source.length;) {
    if (source[e]! < 0) {
      e++;
      continue;
    }
    let len = 1;
    while (e + len < source.length && source[e + len] === source[e]! + len) len++;
    out.push(e, source[e]!, len);
    e += len;
  }
  table = Int32Array.from(out);
  runsOf.set(source, table);
  return table;
}

/** [N, C, *spatial] → [N, C·K, L]. */
function im2colKernel(x: Tensor, { source, K, L, inputShape }: ColumnAttrs): Tensor {
  const [n, c] = inputShape as [number, number];
  const plane = inputShape.slice(2).reduce((a, b) => a * b, 1);
  const { data: X, at } = values(x);
  const KL = K * L;
  const table = runs(source);
  const fast = wasmIm2col(X, at, table, n * c, plane, KL);
  const out = fast ?? takeZeroedF32(n * c * KL);
  if (!fast)
    for (let nc = 0; nc < n * c; nc++) {
      const from = at + nc * plane;
      const to = nc * KL;
      for (let r = 0; r < table.length; r += 3) {
        const d = to + table[r]!;
        const s = from + table[r + 1]!;
        const len = table[r + 2]!;
        for (let i = 0; i < len; i++) out[d + i] = X[s + i]!;
      }
    }
  return fromBuffer(
    x.storage.backend,
    x.storage.backend.fromTypedArray(out, 'float32'),
    [n, c * K, L],
    'float32',
  );
}

/**
 * [N, C·K, L] → [N, C, *spatial]: each column value added onto its input element, in the
 * table's order (runs are in that order), so the sums round as scatter-add's did.
 */
function col2imKernel(cols: Tensor, { source, K, L, inputShape }: ColumnAttrs): Tensor {
  const [n, c] = inputShape as [number, number];
  const plane = inputShape.slice(2).reduce((a, b) => a * b, 1);
  const { data: G, at } = values(cols);
  const KL = K * L;
  const table = runs(source);
  const fast = wasmCol2im(G, at, table, n * c, plane, KL);
  const out = fast ?? takeZeroedF32(n * c * plane);
  if (!fast)
    for (let nc = 0; nc < n * c; nc++) {
      const to = nc * plane;
      const from = at + nc * KL;
      for (let r = 0; r < table.length; r += 3) {
        const d = to + table[r + 1]!;
        const s = from + table[r]!;
        const len = table[r + 2]!;
        for (let i = 0; i < len; i++) out[d + i] = out[d + i]! + G[s + i]!;
      }
    }
  return fromBuffer(
    cols.storage.backend,
    cols.storage.backend.fromTypedArray(out, 'float32'),
    inputShape,
    'float32',
  );
}

// Each the other's adjoint (so gradients of gradients work).
const Im2col: OpDef<ColumnAttrs> = defineOp<ColumnAttrs>({
  name: 'Im2Col',
  forward: ([x], attrs) => im2colKernel(x!, attrs),
  backward: (g, { attrs }): Tensor[] => [apply(Col2im, [g], attrs)],
});

const Col2im: OpDef<ColumnAttrs> = defineOp<ColumnAttrs>({
  name: 'Col2Im',
  forward: ([cols], attrs) => col2imKernel(cols!, attrs),
  backward: (g, { attrs }): Tensor[] => [apply(Im2col, [g], attrs)],
});

/** Whether the direct CPU kernels apply (float32 on the CPU); else use the gather path. */
export const im2colApplies = (x: Tensor): boolean => x.device === 'cpu' && x.dtype === 'float32';

/** The input-shaped sum of columns [N, C·K, L] (im2col's adjoint) for a window table. */
export function col2imRaw(cols: Tensor, attrs: ColumnAttrs): Tensor {
  return apply(Col2im, [cols], attrs);
}

/** Convolution's columns of x [N, C, *spatial] for a window table: [N, C·K, L]. */
export function im2colRaw(x: Tensor, source: Int32Array, K: number, L: number): Tensor {
  return apply(Im2col, [x], { source, K, L, inputShape: x.shape });
}

/**
 * Max pooling over a window table on the CPU: each output is the first maximum of its window
 * (a NaN wins, as in PyTorch), and its flat input position is kept; backward adds each output's
 * gradient at that position (PyTorch's max_pool backward: ties send it to the first maximum).
 */
function maxPoolKernel(
  x: Tensor,
  { source, K, L, inputShape }: ColumnAttrs,
): { values: Float32Array; at: Int32Array } {
  const [n, c] = inputShape as [number, number];
  const plane = inputShape.slice(2).reduce((a, b) => a * b, 1);
  const { data: X, at: first } = values(x);
  // Windows of one shape inside the input run on WebAssembly; this loop is the reference, and
  // serves every table (padding, and where WebAssembly is unavailable).
  const grid = regular(source, K, L, inputShape.slice(2));
  const fast = grid && wasmMaxPool(X, first, n * c, plane, grid);
  if (fast) return fast;
  const maxima = takeF32(n * c * L);
  const at = new Int32Array(n * c * L);
  const windows = byOutput(source, K, L);
  for (let nc = 0; nc < n * c; nc++) {
    const from = first + nc * plane;
    for (let l = 0, w = 0; l < L; l++, w += K) {
      // The window's first entry inside the input (padding entries are −1) starts it; a later
      // one takes over when larger, and a NaN takes over and ends the window.
      let k = 0;
      while (k < K && windows[w + k]! < 0) k++;
      let where = k < K ? windows[w + k]! : -1;
      let best = where >= 0 ? X[from + where]! : -Infinity;
      if (best === best)
        for (k++; k < K; k++) {
          const s = windows[w + k]!;
          if (s < 0) continue;
          const v = X[from + s]!;
          if (v > best) {
            best = v;
            where = s;
          } else if (v !== v) {
            best = v;
            where = s;
            break;
          }
        }
      maxima[nc * L + l] = best;
      at[nc * L + l] = where;
    }
  }
  return { values: maxima, at };
}

/**
 * A window table whose windows all lie inside the input and share one shape: window l reads
 * start[l] + offset[k] (pooling without padding, the usual case). Null for any other table.
 */
const gridOf = new WeakMap<Int32Array, PoolGrid | null>();
function regular(source: Int32Array, K: number, L: number, spatial: readonly number[]): PoolGrid | null {
  const known = gridOf.get(source);
  if (known !== undefined) return known;
  const start = source.slice(0, L);
  const offset = new Int32Array(K);
  for (let k = 0; k < K; k++) offset[k] = source[k * L]! - start[0]!;
  let grid: PoolGrid | null = { start, offset, pair: pairOf(start, offset, spatial) };
  check: for (let k = 0; k < K; k++)
    for (let l = 0; l < L; l++) {
      const s = source[k * L + l]!;
      if (s < 0 || s !== start[l]! + offset[k]!) {
        grid = null;
        break check;
      }
    }
  gridOf.set(source, grid);
  return grid;
}

/** [h, w] when the windows are exactly 2×2 with stride 2 over an h × w plane (the usual pooling). */
function pairOf(start: Int32Array, offset: Int32Array, spatial: readonly number[]): [number, number] | null {
  if (spatial.length !== 2 || offset.length !== 4) return null;
  const [h, w] = spatial as [number, number];
  const ow = Math.floor(w / 2);
  if (start.length !== Math.floor(h / 2) * ow || offset.join() !== [0, 1, w, w + 1].join()) return null;
  for (let l = 0; l < start.length; l++)
    if (start[l] !== 2 * Math.floor(l / ow) * w + 2 * (l % ow)) return null;
  return [h, w];
}

/** The window table by output position ([L, K]: each window's entries together), cached. */
const byOutputOf = new WeakMap<Int32Array, Int32Array>();
function byOutput(source: Int32Array, K: number, L: number): Int32Array {
  let table = byOutputOf.get(source);
  if (table) return table;
  table = new Int32Array(K * L);
  for (let k = 0; k < K; k++) for (let l = 0; l < L; l++) table[l * K + k] = source[k * L + l]!;
  byOutputOf.set(source, table);
  return table;
}

const MaxPool = defineOp<ColumnAttrs>({
  name: 'MaxPoolWithIndices',
  forward([x], attrs, ctx) {
    const { values, at } = maxPoolKernel(x!, attrs);
    const [n, c] = attrs.inputShape as [number, number];
    const backend = x!.storage.backend;
    ctx.save(fromBuffer(backend, backend.fromTypedArray(at, 'int32'), [n, c, attrs.L], 'int32'));
    return fromBuffer(backend, backend.fromTypedArray(values, 'float32'), [n, c, attrs.L], 'float32');
  },
  backward: (g, { attrs: { inputShape }, saved: [at] }) => [apply(Unpool, [g], { at: at!, inputShape })],
});

/** Max pooling's backward: each output gradient added at its window's maximum ([N, C, L] → input shape). */
const Unpool: OpDef<{ at: Tensor; inputShape: readonly number[] }> = defineOp({
  name: 'MaxPoolBackward',
  forward([g], { at, inputShape }) {
    const [n, c] = inputShape as [number, number];
    const plane = inputShape.slice(2).reduce((a, b) => a * b, 1);
    const { data: G, at: first } = values(g!);
    // The positions were made here, dense, by the forward.
    const atView = at.view_();
    const A = atView.buffer as Int32Array;
    const L = at.numel() / (n * c);
    const fast = wasmUnpool(G, first, A, atView.offset, n * c, L, plane);
    const out = fast ?? takeZeroedF32(n * c * plane);
    // The reference loop (and the path without WebAssembly); a window of padding only (−1) has
    // nowhere to send its gradient.
    if (!fast)
      for (let nc = 0; nc < n * c; nc++)
        for (let l = 0; l < L; l++) {
          const where = A[atView.offset + nc * L + l]!;
          if (where < 0) continue;
          const t = nc * plane + where;
          out[t] = out[t]! + G[first + nc * L + l]!;
        }
    const backend = g!.storage.backend;
    return fromBuffer(backend, backend.fromTypedArray(out, 'float32'), inputShape, 'float32');
  },
  // Its adjoint reads each window's maximum position back.
  backward: (gg, { attrs: { at, inputShape } }) => {
    const [n, c] = inputShape as [number, number];
    return [gatherRaw(gg.reshape(n, c, -1), 2, at)];
  },
});

/** Max pooling of x [N, C, *spatial] over a window table: [N, C, L] (first maxima). */
export function maxPoolRaw(x: Tensor, source: Int32Array, K: number, L: number): Tensor {
  return apply(MaxPool, [x], { source, K, L, inputShape: x.shape });
}
