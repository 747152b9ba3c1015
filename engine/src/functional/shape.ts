// Shape and movement functions, PyTorch's names and argument order. Views where PyTorch
// returns views (view, reshape when possible, squeeze, transpose, expand, narrow, split…).
import { broadcastShapes, formatShape, normalizeDim, numel, shapesEqual } from '../shape.ts';
import type { Tensor } from '../tensor.ts';
import { promoteTypes } from '../dtype.ts';
import { cast, contiguous } from '../ops/cast.ts';
import { catRaw } from '../ops/cat.ts';
import { expandRaw, permuteRaw, reshapeRaw, sliceRaw, viewAs } from '../ops/views.ts';
import { where } from '../ops/where.ts';
import { ge, le } from '../ops/compare.ts';
import { sub } from '../ops/binary.ts';
import { arange } from '../creation.ts';

/** Resolves a single -1 in a requested shape. */
export function inferShape(op: string, shape: readonly number[], total: number): number[] {
  const unknown = shape.indexOf(-1);
  if (shape.filter((d) => d === -1).length > 1) throw new Error(`${op}: only one dimension can be inferred`);
  shape.forEach((d) => {
    if (!Number.isInteger(d) || d < -1) throw new Error(`${op}: invalid shape dimension ${d}`);
  });
  const known = shape.reduce((p, d) => (d === -1 ? p : p * d), 1);
  const out = [...shape];
  if (unknown >= 0) {
    if (known === 0 || total % known !== 0)
      throw new Error(`${op}: shape ${formatShape(shape)} is invalid for input of size ${total}`);
    out[unknown] = total / known;
  }
  if (numel(out) !== total)
    throw new Error(`${op}: shape ${formatShape(shape)} is invalid for input of size ${total}`);
  return out;
}

export const view = (x: Tensor, shape: readonly number[]): Tensor =>
  viewAs(x, inferShape('view', shape, x.numel()));
export const reshape = (x: Tensor, shape: readonly number[]): Tensor =>
  reshapeRaw(x, inferShape('reshape', shape, x.numel()));

export function flatten(x: Tensor, startDim = 0, endDim = -1): Tensor {
  if (x.ndim === 0) return reshapeRaw(x, [1]);
  const s = normalizeDim('flatten', startDim, x.ndim);
  const e = normalizeDim('flatten', endDim, x.ndim);
  if (s > e) throw new Error('flatten: start_dim cannot come after end_dim');
  const merged = x.shape.slice(s, e + 1).reduce((a, b) => a * b, 1);
  return reshapeRaw(x, [...x.shape.slice(0, s), merged, ...x.shape.slice(e + 1)]);
}

export function unflatten(x: Tensor, dim: number, sizes: readonly number[]): Tensor {
  const d = normalizeDim('unflatten', dim, x.ndim);
  const inner = inferShape('unflatten', sizes, x.shape[d]!);
  return viewAs(x, [...x.shape.slice(0, d), ...inner, ...x.shape.slice(d + 1)]);
}

export function squeeze(x: Tensor, dim?: number | readonly number[]): Tensor {
  const dims =
    dim === undefined
      ? x.shape.map((_, i) => i)
      : (typeof dim === 'number' ? [dim] : dim).map((d) => normalizeDim('squeeze', d, x.ndim));
  return viewAs(
    x,
    x.shape.filter((s, i) => !(s === 1 && dims.includes(i))),
  );
}

export function unsqueeze(x: Tensor, dim: number): Tensor {
  const d = normalizeDim('unsqueeze', dim, x.ndim + 1);
  const shape = [...x.shape];
  shape.splice(d, 0, 1);
  return viewAs(x, shape);
}

export function permute(x: Tensor, dims: readonly number[]): Tensor {
  if (dims.length !== x.ndim)
    throw new Error(
      `permute: number of dims don't match: the input has ${x.ndim} dims, but ${dims.length} were given`,
    );
  const normalized = dims.map((d) => normalizeDim('permute', d, x.ndim));
  if (new Set(normalized).size !== normalized.length) throw new Error('permute: repeated dim in permutation');
  return normalized.every((d, i) => d === i) ? x : permuteRaw(x, normalized);
}

export function transpose(x: Tensor, dim0: number, dim1: number): Tensor {
  if (x.ndim === 0) return x;
  const a = normalizeDim('transpose', dim0, x.ndim);
  const b = normalizeDim('transpose', dim1, x.ndim);
  const dims = x.shape.map((_, i) => (i === a ? b : i === b ? a : i));
  return permute(x, dims);
}

export function t(x: Tensor): Tensor {
  if (x.ndim > 2) throw new Error(`t: expects a tensor with <= 2 dimensions, but self is ${x.ndim}D`);
  return x.ndim < 2 ? x : transpose(x, 0, 1);
}

export function mT(x: Tensor): Tensor {
  if (x.ndim < 2)
    throw new Error(
      `mT: tensor.mT is only supported on matrices or batches of matrices. Got ${x.ndim}-D tensor.`,
    );
  return transpose(x, -2, -1);
}

export function expand(x: Tensor, shape: readonly number[]): Tensor {
  if (shape.length < x.ndim)
    throw new Error(
      `expand: the number of sizes provided (${shape.length}) must be greater or equal to the number of dimensions in the tensor (${x.ndim})`,
    );
  const lead = shape.length - x.ndim;
  const target = shape.map((d, i) => (d === -1 && i >= lead ? x.shape[i - lead]! : d));
  target.forEach((d, i) => {
    const own = i >= lead ? x.shape[i - lead]! : 1;
    if (d < 0 || (own !== 1 && own !== d))
      throw new Error(
        `expand: the expanded size of the tensor (${d}) must match the existing size (${own}) at non-singleton dimension ${i}. Target sizes: ${formatShape(shape)}. Tensor sizes: ${formatShape(x.shape)}`,
      );
  });
  return expandRaw(x, target);
}

export const expandAs = (x: Tensor, other: Tensor): Tensor => expand(x, other.shape);
export const broadcastTo = (x: Tensor, shape: readonly number[]): Tensor => expand(x, shape);

export function broadcastTensors(...tensors: Tensor[]): Tensor[] {
  const shape = broadcastShapes('broadcastTensors', ...tensors.map((t) => t.shape));
  return tensors.map((t) => expandRaw(t, shape));
}

export function repeat(x: Tensor, repeats: readonly number[]): Tensor {
  if (repeats.length < x.ndim)
    throw new Error(
      'repeat: number of dimensions of repeat dims can not be smaller than number of dimensions of tensor',
    );
  const lead = repeats.length - x.ndim;
  const shape = [...new Array<number>(lead).fill(1), ...x.shape];
  // Interleave a size-1 dim before each dim, expand it to the repeat count, then merge.
  const interleaved = shape.flatMap((d) => [1, d]);
  const expanded = shape.flatMap((d, i) => [repeats[i]!, d]);
  const out = expandRaw(reshapeRaw(x, interleaved), expanded);
  return reshapeRaw(
    out,
    shape.map((d, i) => d * repeats[i]!),
  );
}

export function narrow(x: Tensor, dim: number, start: number, length: number): Tensor {
  const d = normalizeDim('narrow', dim, x.ndim);
  const size = x.shape[d]!;
  const s = start < 0 ? start + size : start;
  if (s < 0 || s > size || length < 0 || s + length > size)
    throw new Error(
      `narrow: start (${start}) + length (${length}) exceeds dimension size (${size}) of dim ${d}`,
    );
  return sliceRaw(x, { dim: d, start: s, length, step: 1 });
}

/** x[..., index, ...] along dim: a view without that dim (torch.select; a negative index counts back). */
export function select(x: Tensor, dim: number, index: number): Tensor {
  const d = normalizeDim('select', dim, x.ndim);
  const size = x.shape[d]!;
  if (!Number.isInteger(index) || index < -size || index >= size)
    throw new Error(
      `select(): index ${index} out of range for tensor of size [${x.shape.join(', ')}] at dimension ${d}`,
    );
  return squeeze(narrow(x, d, index < 0 ? index + size : index, 1), d);
}

/** Every slice along dim, as views (torch.unbind). */
export function unbind(x: Tensor, dim = 0): Tensor[] {
  const d = normalizeDim('unbind', dim, x.ndim);
  return Array.from({ length: x.shape[d]! }, (_, i) => select(x, d, i));
}

export function cat(tensors: readonly Tensor[], dim = 0): Tensor {
  if (tensors.length === 0) throw new Error('cat: expected a non-empty list of tensors');
  // PyTorch skips legacy empty 1-D tensors of shape [0].
  const parts = tensors.filter((t) => !(t.ndim === 1 && t.shape[0] === 0));
  if (parts.length === 0) return tensors[0]!;
  const d = normalizeDim('cat', dim, parts[0]!.ndim);
  const dtype = parts.map((p) => p.dtype).reduce(promoteTypes);
  return catRaw(
    parts.map((p) => cast(p, dtype)),
    d,
  );
}

export function stack(tensors: readonly Tensor[], dim = 0): Tensor {
  if (tensors.length === 0) throw new Error('stack: expected a non-empty list of tensors');
  const first = tensors[0]!;
  for (const t of tensors)
    if (!shapesEqual(t.shape, first.shape))
      throw new Error(
        `stack: expects each tensor to be equal size, but got ${formatShape(first.shape)} and ${formatShape(t.shape)}`,
      );
  const d = normalizeDim('stack', dim, first.ndim + 1);
  return cat(
    tensors.map((t) => unsqueeze(t, d)),
    d,
  );
}

export function split(x: Tensor, splitSize: number | readonly number[], dim = 0): Tensor[] {
  const d = normalizeDim('split', dim, x.ndim);
  const size = x.shape[d]!;
  let sizes: number[];
  if (typeof splitSize === 'number') {
    if (splitSize <= 0 && size > 0) throw new Error(`split: split_size must be positive, got ${splitSize}`);
    sizes = [];
    for (let s = 0; s < size; s += splitSize) sizes.push(Math.min(splitSize, size - s));
    if (sizes.length === 0) sizes.push(0);
  } else {
    sizes = [...splitSize];
    const total = sizes.reduce((a, b) => a + b, 0);
    if (total !== size)
      throw new Error(
        `split: split_with_sizes expects split_sizes to sum exactly to ${size} (input size along dim ${d}), but got ${formatShape(sizes)}`,
      );
  }
  let start = 0;
  return sizes.map((length) => {
    const part = sliceRaw(x, { dim: d, start, length, step: 1 });
    start += length;
    return part;
  });
}

export function chunk(x: Tensor, chunks: number, dim = 0): Tensor[] {
  if (!Number.isInteger(chunks) || chunks <= 0)
    throw new Error(`chunk: number of chunks must be positive, got ${chunks}`);
  const d = normalizeDim('chunk', dim, x.ndim);
  return split(x, Math.max(1, Math.ceil(x.shape[d]! / chunks)), d);
}

export function flip(x: Tensor, dims: number | readonly number[]): Tensor {
  let out = x;
  for (const dim of typeof dims === 'number' ? [dims] : dims) {
    const d = normalizeDim('flip', dim, x.ndim);
    const n = x.shape[d]!;
    out = sliceRaw(out, { dim: d, start: n - 1, length: n, step: -1 });
  }
  // flip returns a copy in PyTorch, not a view.
  return out === x ? contiguous(x) : contiguous(out);
}

export function roll(
  x: Tensor,
  shifts: number | readonly number[],
  dims?: number | readonly number[],
): Tensor {
  if (dims === undefined) return reshape(roll(flatten(x), shifts, 0), x.shape);
  const shiftList = typeof shifts === 'number' ? [shifts] : shifts;
  const dimList = typeof dims === 'number' ? [dims] : dims;
  if (shiftList.length !== dimList.length) throw new Error('roll: shifts and dims must have the same length');
  let out = x;
  dimList.forEach((dim, i) => {
    const d = normalizeDim('roll', dim, x.ndim);
    const n = x.shape[d]!;
    if (n === 0) return;
    const s = ((shiftList[i]! % n) + n) % n;
    if (s === 0) return;
    out = cat([narrow(out, d, n - s, s), narrow(out, d, 0, n - s)], d);
  });
  return out;
}

function triangle(op: 'tril' | 'triu', x: Tensor, diagonal: number): Tensor {
  if (x.ndim < 2) throw new Error(`${op}: input tensor must have at least 2 dimensions`);
  const rows = reshapeRaw(arange(0, x.shape[x.ndim - 2]!, 1, { device: x.device }), [
    x.shape[x.ndim - 2]!,
    1,
  ]);
  const cols = reshapeRaw(arange(0, x.shape[x.ndim - 1]!, 1, { device: x.device }), [
    1,
    x.shape[x.ndim - 1]!,
  ]);
  const offset = sub(cols, rows);
  const keep = op === 'tril' ? le(offset, diagonal) : ge(offset, diagonal);
  // A zero of x's own dtype, so that a bool (or int) tensor keeps its dtype, as in PyTorch.
  return where(keep, x, x.dtype === 'bool' ? false : 0);
}

export const tril = (x: Tensor, diagonal = 0): Tensor => triangle('tril', x, diagonal);
export const triu = (x: Tensor, diagonal = 0): Tensor => triangle('triu', x, diagonal);
