// gather and scatter along one dim, walking the index tensor with an N-d counter whose
// offsets into every operand are updated incrementally. Indices are bounds-checked and the
// error names the offending index, as PyTorch's does.
import { typedArrayFor, type TypedArray } from '../../dtype.ts';
import { contiguousStrides, numel } from '../../shape.ts';
import type { ScatterMode, View } from '../types.ts';

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
  const odo = new Odometer(
    index.shape,
    [index.strides, withoutDim(x.strides, dim)],
    [index.offset, x.offset],
  );
  for (let e = 0; e < total; e++, odo.next()) {
    const i = checkedIndex('gather', I[odo.off[0]!]!, size, dim);
    out[e] = X[odo.off[1]! + i * step]!;
  }
  return out;
}

export function scatter(base: View, dim: number, index: View, src: View, mode: ScatterMode): TypedArray {
  const out = typedArrayFor(base.dtype, numel(base.shape));
  const outStrides = contiguousStrides(base.shape);
  const B = base.buffer as TypedArray;
  const copier = new Odometer(base.shape, [base.strides], [base.offset]);
  for (let e = 0; e < out.length; e++, copier.next()) out[e] = B[copier.off[0]!]!;

  const total = numel(index.shape);
  const I = index.buffer as TypedArray;
  const S = src.buffer as TypedArray;
  const size = base.shape[dim] ?? 1;
  const step = outStrides[dim] ?? 0;
  const isBool = base.dtype === 'bool';
  const op = mode === 'add' ? 'scatterAdd' : 'scatter';
  const odo = new Odometer(
    index.shape,
    [index.strides, src.strides, withoutDim(outStrides, dim)],
    [index.offset, src.offset, 0],
  );
  for (let e = 0; e < total; e++, odo.next()) {
    const target = odo.off[2]! + checkedIndex(op, I[odo.off[0]!]!, size, dim) * step;
    const value = S[odo.off[1]!]!;
    if (mode === 'set') out[target] = value;
    else out[target] = isBool ? (out[target]! || value ? 1 : 0) : out[target]! + value;
  }
  return out;
}
