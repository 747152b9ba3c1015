// Strided iteration without per-element work: dims are collapsed where every operand is
// contiguous across them, the last dim becomes an inner "row" loop, and an odometer walks
// the outer dims updating one offset per operand.
import type { Shape } from '../../shape.ts';

export interface RowPlan {
  /** Length of the inner row. */
  readonly n: number;
  /** Inner stride of each operand. */
  readonly inner: Int32Array;
  readonly outerShape: Int32Array;
  /** outerStrides[d * operands + k]: stride of operand k along outer dim d. */
  readonly outerStrides: Int32Array;
  readonly rows: number;
  readonly operands: number;
}

export function planRows(shape: Shape, stridesList: readonly (readonly number[])[]): RowPlan {
  const k = stridesList.length;
  const dims: number[] = [];
  const strides: number[][] = stridesList.map(() => []);
  for (let d = 0; d < shape.length; d++) {
    if (shape[d] === 1) continue;
    const last = dims.length - 1;
    const mergeable = last >= 0 && stridesList.every((s, j) => strides[j]![last] === s[d]! * shape[d]!);
    if (mergeable) {
      dims[last] = dims[last]! * shape[d]!;
      for (let j = 0; j < k; j++) strides[j]![last] = stridesList[j]![d]!;
    } else {
      dims.push(shape[d]!);
      for (let j = 0; j < k; j++) strides[j]!.push(stridesList[j]![d]!);
    }
  }
  const anyEmpty = shape.some((d) => d === 0);
  if (dims.length === 0) {
    dims.push(1);
    for (const s of strides) s.push(0);
  }
  const outerDims = dims.length - 1;
  const inner = new Int32Array(k);
  for (let j = 0; j < k; j++) inner[j] = strides[j]![outerDims]!;
  const outerShape = new Int32Array(outerDims);
  const outerStrides = new Int32Array(outerDims * k);
  let rows = 1;
  for (let d = 0; d < outerDims; d++) {
    outerShape[d] = dims[d]!;
    rows *= dims[d]!;
    for (let j = 0; j < k; j++) outerStrides[d * k + j] = strides[j]![d]!;
  }
  return {
    n: anyEmpty ? 0 : dims[outerDims]!,
    inner,
    outerShape,
    outerStrides,
    rows: anyEmpty ? 0 : rows,
    operands: k,
  };
}

/** Walks the rows of a plan; `off[k]` is operand k's offset at the start of the current row. */
export class RowIter {
  readonly off: Int32Array;
  private readonly counter: Int32Array;
  constructor(
    private readonly plan: RowPlan,
    bases: readonly number[],
  ) {
    this.off = Int32Array.from(bases);
    this.counter = new Int32Array(plan.outerShape.length);
  }

  reset(bases: readonly number[]): void {
    this.off.set(bases);
    this.counter.fill(0);
  }

  next(): void {
    const { outerShape, outerStrides, operands } = this.plan;
    for (let d = outerShape.length - 1; d >= 0; d--) {
      const c = ++this.counter[d]!;
      if (c < outerShape[d]!) {
        for (let j = 0; j < operands; j++) this.off[j]! += outerStrides[d * operands + j]!;
        return;
      }
      this.counter[d] = 0;
      for (let j = 0; j < operands; j++) this.off[j]! -= (c - 1) * outerStrides[d * operands + j]!;
    }
  }
}
