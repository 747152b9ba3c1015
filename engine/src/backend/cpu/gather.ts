// gather and scatter along one dim, walking the index tensor with an N-d counter whose
// offsets into every operand are updated incrementally. Indices are bounds-checked and the
// error names the offending index, as PyTorch's does.
import { typedArrayFor, type TypedArray } from '../../dtype.ts';
import { contiguousStrides, isDense, numel } from '../../shape.ts';
import type { ScatterMode, View } from '../types.ts';
import { planRows, RowIter } from './strided.ts';
import { takeF32 } from './pool.ts';
import { wasmGatherRows, wasmScatterAddRows } from '../wasm/rows.ts';

/** Offsets of several strided operands over one shape, advanced one element at a time. */
class Odometer {
  readonly off: Int32Array;
  private readonly counter: Int32Array;
  constructor(
    private readonly shape: readonly number[],
    private readonly strides: readonly (readonly number[])[],
    bases: readonly number[],
  ) {
    this.off = Int32Array.from(bases);
    this.counter = new Int32Array(shape.length);
  }

  next(): void {
    const k = this.strides.length;
    for (let d = this.shape.length - 1; d >= 0; d--) {
      const c = ++this.counter[d]!;
      if (c < this.shape[d]!) {
        for (let j = 0; j < k; j++) this.off[j]! += this.strides[j]![d]!;
        return;
      }
      this.counter[d] = 0;
      for (let j = 0; j < k; j++) this.off[j]! -= (c - 1) * this.strides[j]![d]!;
    }
  }
}

/**
 * An index value as a position along `dim`: in [0, size), as PyTorch's gather, scatter,
 * index_select and index_add require (they raise for −1; only advanced indexing and take() wrap
 * negative indices, and they do it before calling this kernel).
 */
function checkedIndex(op: string, value: number, size: number, dim: number): number {
  if (value < 0 || value >= size)
    throw new Error(`${op}: index ${value} is out of bounds for dimension ${dim} with size ${size}`);
  return value;
}

/** Strides with the gathered/scattered dim zeroed: the index value supplies that coordinate. */
function withoutDim(strides: readonly number[], dim: number): number[] {
  return strides.map((s, d) => (d === dim ? 0 : s));
}

/**
 * index_select's shape of index (index_add's, and an embedding's rows): one index per position
 * along `dim`, broadcast (stride 0) along every other dim, which match `full`'s. Then each index
 * moves a whole block of inner values: [outer, count, inner] sizes, or null.
 */
function alongDim(index: View, dim: number, full: readonly number[]): [number, number, number] | null {
  let [outer, inner] = [1, 1];
  for (let d = 0; d < index.shape.length; d++) {
    if (d === dim) continue;
    if (index.shape[d] !== full[d] || (index.strides[d] !== 0 && index.shape[d] !== 1)) return null;
    if (d < dim) outer *= index.shape[d]!;
    else inner *= index.shape[d]!;
  }
  return [outer, index.shape[dim] ?? 1, inner];
}

/** The index values along `dim` (count of them), bounds-checked in order. */
function blockIndices(op: string, index: View, dim: number, count: number, size: number): Int32Array {
  const I = index.buffer as TypedArray;
  const step = index.strides[dim] ?? 0;
  const rows = new Int32Array(count);
  for (let i = 0; i < count; i++) rows[i] = checkedIndex(op, I[index.offset + i * step]!, size, dim);
  return rows;
}

/** Rows shorter than this are moved by a loop (set() has a fixed cost). */
const SET_ROW = 64;

export function gather(x: View, dim: number, index: View): TypedArray {
  const total = numel(index.shape);
  const out = x.dtype === 'float32' ? takeF32(total) : typedArrayFor(x.dtype, total);
  const X = x.buffer as TypedArray;
  const I = index.buffer as TypedArray;
  const size = x.shape[dim] ?? 1;
  const step = x.strides[dim] ?? 0;
  // index_select of a dense x (an embedding's lookup): a block of values per index.
  const blocks = isDense(x.shape, x.strides) ? alongDim(index, dim, x.shape) : null;
  if (blocks) {
    const [outer, count, inner] = blocks;
    const rows = blockIndices('gather', index, dim, count, size);
    if (outer === 1 && X instanceof Float32Array && out instanceof Float32Array)
      if (wasmGatherRows(X, x.offset, size, rows, inner, out)) return out;
    for (let o = 0, at = 0; o < outer; o++)
      for (let i = 0; i < count; i++, at += inner) {
        const from = x.offset + (o * size + rows[i]!) * inner;
        if (inner >= SET_ROW) out.set(X.subarray(from, from + inner), at);
        else for (let j = 0; j < inner; j++) out[at + j] = X[from + j]!;
      }
    return out;
  }
  // Rows of the index (in its row-major order) with an inner loop: no per-element odometer.
  const plan = planRows(index.shape, [
    contiguousStrides(index.shape),
    index.strides,
    withoutDim(x.strides, dim),
  ]);
  const it = new RowIter(plan, [0, index.offset, x.offset]);
  const [so, si, sx] = plan.inner as unknown as [number, number, number];
  for (let r = 0; r < plan.rows; r++, it.next())
    for (
      let j = 0, o = it.off[0]!, ii = it.off[1]!, xo = it.off[2]!;
      j < plan.n;
      j++, o += so, ii += si, xo += sx
    )
      out[o] = X[xo + checkedIndex('gather', I[ii]!, size, dim) * step]!;
  return out;
}

const sameShape = (a: readonly number[], b: readonly number[]) =>
  a.length === b.length && a.every((d, i) => d === b[i]);

export function scatter(base: View, dim: number, index: View, src: View, mode: ScatterMode): TypedArray {
  const n = numel(base.shape);
  const out = base.dtype === 'float32' ? takeF32(n) : typedArrayFor(base.dtype, n);
  const outStrides = contiguousStrides(base.shape);
  const B = base.buffer as TypedArray;
  // The base's values: one copy when dense, one fill when every element is the same one (an
  // expanded zero, as gradients start), else element by element.
  if (isDense(base.shape, base.strides) && B.constructor === out.constructor)
    out.set(B.subarray(base.offset, base.offset + out.length));
  else if (base.strides.every((s) => s === 0)) out.fill(B[base.offset]!);
  else {
    const copier = new Odometer(base.shape, [base.strides], [base.offset]);
    for (let e = 0; e < out.length; e++, copier.next()) out[e] = B[copier.off[0]!]!;
  }

  const I = index.buffer as TypedArray;
  const S = src.buffer as TypedArray;
  const size = base.shape[dim] ?? 1;
  const step = outStrides[dim] ?? 0;
  const isBool = base.dtype === 'bool';
  const op = mode === 'add' ? 'scatterAdd' : 'scatter';
  // index_add / index_copy of a dense src (an embedding's gradient): a block of values per
  // index, in the same order as below (so sums round alike).
  const blocks =
    !isBool && isDense(src.shape, src.strides) && sameShape(src.shape, index.shape)
      ? alongDim(index, dim, base.shape)
      : null;
  if (blocks) {
    const [outer, count, inner] = blocks;
    const rows = blockIndices(op, index, dim, count, size);
    if (mode === 'add' && outer === 1 && S instanceof Float32Array && out instanceof Float32Array)
      if (wasmScatterAddRows(out, size, rows, inner, S, src.offset)) return out;
    for (let o = 0, at = src.offset; o < outer; o++)
      for (let i = 0; i < count; i++, at += inner) {
        const to = (o * size + rows[i]!) * inner;
        if (mode === 'set') for (let j = 0; j < inner; j++) out[to + j] = S[at + j]!;
        else for (let j = 0; j < inner; j++) out[to + j] = out[to + j]! + S[at + j]!;
      }
    return out;
  }
  // In the index's row-major order, as before: scatter-add sums in the same order.
  const plan = planRows(index.shape, [index.strides, src.strides, withoutDim(outStrides, dim)]);
  const it = new RowIter(plan, [index.offset, src.offset, 0]);
  const [si, ss, so] = plan.inner as unknown as [number, number, number];
  for (let r = 0; r < plan.rows; r++, it.next())
    for (
      let j = 0, ii = it.off[0]!, sv = it.off[1]!, oo = it.off[2]!;
      j < plan.n;
      j++, ii += si, sv += ss, oo += so
    ) {
      const target = oo + checkedIndex(op, I[ii]!, size, dim) * step;
      const value = S[sv]!;
      if (mode === 'set') out[target] = value;
      else out[target] = isBool ? (out[target]! || value ? 1 : 0) : out[target]! + value;
    }
  return out;
}
