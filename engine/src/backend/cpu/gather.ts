// gather and scatter along one dim, walking the index tensor with an N-d counter whose
// offsets into every operand are updated incrementally. Indices are bounds-checked and the
// error names the offending index, as PyTorch's does.
import { typedArrayFor, type TypedArray } from '../../dtype.ts';
import { contiguousStrides, isDense, numel } from '../../shape.ts';
import type { ScatterMode, View } from '../types.ts';
import { planRows, RowIter } from './strided.ts';

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

function checkedIndex(op: string, value: number, size: number, dim: number): number {
  const i = value < 0 ? value + size : value;
  if (i < 0 || i >= size)
    throw new Error(`${op}: index ${value} is out of bounds for dimension ${dim} with size ${size}`);
  return i;
}

/** Strides with the gathered/scattered dim zeroed: the index value supplies that coordinate. */
function withoutDim(strides: readonly number[], dim: number): number[] {
  return strides.map((s, d) => (d === dim ? 0 : s));
}

export function gather(x: View, dim: number, index: View): TypedArray {
  const total = numel(index.shape);
  const out = typedArrayFor(x.dtype, total);
  const X = x.buffer as TypedArray;
  const I = index.buffer as TypedArray;
  const size = x.shape[dim] ?? 1;
  const step = x.strides[dim] ?? 0;
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

export function scatter(base: View, dim: number, index: View, src: View, mode: ScatterMode): TypedArray {
  const out = typedArrayFor(base.dtype, numel(base.shape));
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
