// Shape arithmetic shared by the front end and the backends: broadcasting, strides, dims.

export type Shape = readonly number[];

export function numel(shape: Shape): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

export function contiguousStrides(shape: Shape): number[] {
  const strides = new Array<number>(shape.length);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = s;
    s *= shape[i]!;
  }
  return strides;
}

/**
 * How a strided view walks its memory: 'flat' when densely in row-major order (no gaps),
 * 'scalar' when every element is the same one (all strides 0: a broadcast number), else
 * 'strided'. Dims of size 1 never matter; a view with no dim above 1 counts as 'flat'.
 */
export type Layout = 'flat' | 'scalar' | 'strided';

export function layoutOf(shape: Shape, strides: readonly number[]): Layout {
  let zero = true;
  let any = false;
  let expected = 1;
  for (let d = shape.length - 1; d >= 0; d--) {
    const size = shape[d]!;
    if (size === 1) continue;
    any = true;
    const stride = strides[d]!;
    if (stride !== 0) zero = false;
    if (stride !== expected) expected = NaN;
    expected *= size;
  }
  return !any ? 'flat' : zero ? 'scalar' : Number.isNaN(expected) ? 'strided' : 'flat';
}

/** True when the view is dense and row-major (the 'flat' layout). */
export const isDense = (shape: Shape, strides: readonly number[]): boolean =>
  layoutOf(shape, strides) === 'flat';

export function shapesEqual(a: Shape, b: Shape): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export const formatShape = (shape: Shape): string => `[${shape.join(', ')}]`;

/** NumPy broadcasting: align trailing dims; each pair must match or one must be 1. */
export function broadcastShapes(op: string, ...shapes: Shape[]): number[] {
  const ndim = Math.max(0, ...shapes.map((s) => s.length));
  const out = new Array<number>(ndim).fill(1);
  for (const shape of shapes) {
    const lead = ndim - shape.length;
    for (let i = 0; i < shape.length; i++) {
      const d = shape[i]!;
      const o = out[lead + i]!;
      if (d === o || d === 1) continue;
      if (o === 1) out[lead + i] = d;
      else
        throw new Error(
          `${op}: shapes ${shapes.map(formatShape).join(' and ')} cannot be broadcast together ` +
            `(dim ${lead + i - ndim}: ${o} vs ${d})`,
        );
    }
  }
  return out;
}

/** Strides that read `shape` as if broadcast to `target` (stride 0 on broadcast dims). */
export function broadcastStrides(shape: Shape, strides: readonly number[], target: Shape): number[] {
  const lead = target.length - shape.length;
  const out = new Array<number>(target.length).fill(0);
  for (let i = 0; i < shape.length; i++) out[lead + i] = shape[i] === 1 ? 0 : strides[i]!;
  return out;
}

/** Wraps a possibly negative dim into [0, ndim); names the op when it is out of range. */
export function normalizeDim(op: string, dim: number, ndim: number): number {
  const n = Math.max(ndim, 1);
  if (!Number.isInteger(dim) || dim < -n || dim >= n)
    throw new Error(
      `${op}: dimension out of range (expected to be in range of [${-n}, ${n - 1}], but got ${dim})`,
    );
  return dim < 0 ? dim + n : dim;
}

export function normalizeDims(op: string, dims: readonly number[], ndim: number): number[] {
  const out = dims.map((d) => normalizeDim(op, d, ndim));
  const seen = new Set<number>();
  for (const d of out) {
    if (seen.has(d)) throw new Error(`${op}: dim ${d} appears multiple times in the list of dims`);
    seen.add(d);
  }
  return ndim === 0 ? [] : out;
}

export function checkShape(op: string, shape: Shape): number[] {
  for (const d of shape)
    if (!Number.isInteger(d) || d < 0)
      throw new Error(`${op}: invalid shape ${formatShape(shape)}: sizes must be non-negative integers`);
  return [...shape];
}
