// Tensors built from others as torch builds them: kron, inner, diag_embed, diagflat, block_diag,
// cartesian_prod, combinations, triu/tril_indices, tensor_split, take_along_dim, argwhere and
// index_fill. All composed of differentiable ops (pads, products, gathers, where), so gradients
// flow as torch's do.
import type { Tensor } from '../tensor.ts';
import { is, pyArgs, type PyRest } from '../args.ts';
import { formatShape, normalizeDim } from '../shape.ts';
import { promoteTypes } from '../dtype.ts';
import { eye, tensor, zeros } from '../creation.ts';
import { broadcastTensors, cat, stack } from './shape.ts';
import { tensordot } from './products.ts';
import { meshgrid } from './rearrange.ts';
import { nonzero } from './indexing.ts';

/** m with zeros added along `dim`: `before` in front, `after` behind (through cat: the gradient is m's part). */
function zeroPad(m: Tensor, dim: number, before: number, after: number): Tensor {
  const part = (n: number) => {
    const shape = [...m.shape];
    shape[dim] = n;
    return zeros(shape, { dtype: m.dtype, device: m.device });
  };
  const parts = [...(before > 0 ? [part(before)] : []), m, ...(after > 0 ? [part(after)] : [])];
  return parts.length === 1 ? m : cat(parts, dim);
}

/** The Kronecker product: block (i, j) is a[i, j]·b, over every dim (the fewer dims padded with leading 1s). */
export function kron(a: Tensor, b: Tensor): Tensor {
  const nd = Math.max(a.ndim, b.ndim);
  const as = [...Array(nd - a.ndim).fill(1), ...a.shape] as number[];
  const bs = [...Array(nd - b.ndim).fill(1), ...b.shape] as number[];
  // a as [a0, 1, a1, 1, …] times b as [1, b0, 1, b1, …]: [a0, b0, a1, b1, …], then merged pairwise.
  const x = a.reshape(as.flatMap((d) => [d, 1]));
  const y = b.reshape(bs.flatMap((d) => [1, d]));
  return x.mul(y).reshape(as.map((d, i) => d * bs[i]!));
}

/** Σ over the last dims of a and b (a 0-d operand: the product), as torch.inner. */
export function inner(a: Tensor, b: Tensor): Tensor {
  if (a.ndim === 0 || b.ndim === 0) return a.mul(b);
  if (a.shape[a.ndim - 1] !== b.shape[b.ndim - 1])
    throw new Error(
      `inner: inner() the last dimension must match on both input tensors but got shapes ${formatShape(a.shape)} and ${formatShape(b.shape)}`,
    );
  return tensordot(a, b, [[a.ndim - 1], [b.ndim - 1]]);
}

type DiagEmbedOptions = { offset?: number; dim1?: number; dim2?: number };

/**
 * Matrices with x's last dim on their diagonal (`offset` above it, or below when negative), put
 * at dims dim1 and dim2 of the result (the last two by default), as torch.diag_embed.
 */
export function diagEmbed(
  x: Tensor,
  ...rest: PyRest<[offset: number, dim1: number, dim2: number], DiagEmbedOptions>
): Tensor {
  const {
    offset = 0,
    dim1 = -2,
    dim2 = -1,
  } = pyArgs<Required<DiagEmbedOptions>>('diag_embed', ['offset', 'dim1', 'dim2'], rest, {
    offset: is.int,
    dim1: is.int,
    dim2: is.int,
  });
  const nd = x.ndim + 1;
  const [d1, d2] = [normalizeDim('diag_embed', dim1, nd), normalizeDim('diag_embed', dim2, nd)];
  if (d1 === d2) throw new Error(`diag_embed: diagonal dimensions cannot be identical ${dim1}, ${dim2}`);
  const n = x.ndim === 0 ? 1 : x.shape[x.ndim - 1]!;
  const k = Math.abs(offset);
  // x[..., i] at (i, i + offset) of an (n + |offset|)-square: the diagonal of x·I, padded.
  let m = x.unsqueeze(-1).mul(eye(n, { dtype: x.dtype, device: x.device }));
  // Above the diagonal: columns shifted right and a row added below; below it, the other way.
  if (k > 0)
    m = zeroPad(
      zeroPad(m, nd - 1, offset > 0 ? k : 0, offset > 0 ? 0 : k),
      nd - 2,
      offset > 0 ? 0 : k,
      offset > 0 ? k : 0,
    );
  return m.movedim([nd - 2, nd - 1], [d1, d2]);
}

/** A 2-D matrix with x flattened on its diagonal (`offset` above it), as torch.diagflat. */
export function diagflat(x: Tensor, offset = 0): Tensor {
  return diagEmbed(x.flatten(), { offset });
}

/** The matrices (0-d and 1-D ones as 1×1 and 1×n) along the diagonal of one, as torch.block_diag. */
export function blockDiag(...tensors: Tensor[]): Tensor {
  if (tensors.length === 0) return zeros([1, 0]);
  const blocks = tensors.map((t, i) => {
    if (t.ndim > 2)
      throw new Error(
        `block_diag: Input tensors must have 2 or fewer dimensions. Input ${i} has ${t.ndim} dimensions`,
      );
    return t.ndim === 0 ? t.reshape([1, 1]) : t.ndim === 1 ? t.unsqueeze(0) : t;
  });
  const dtype = blocks.map((b) => b.dtype).reduce(promoteTypes);
  const width = blocks.reduce((w, b) => w + b.shape[1]!, 0);
  let left = 0;
  const rows = blocks.map((b) => {
    const cols = b.shape[1]!;
    const row = zeroPad(b.to(dtype), 1, left, width - left - cols);
    left += cols;
    return row;
  });
  return cat(rows, 0);
}

/** Every combination of the 1-D tensors' elements, one per row (a single tensor: itself). */
export function cartesianProd(...tensors: Tensor[]): Tensor {
  tensors.forEach((t, i) => {
    if (t.ndim !== 1)
      throw new Error(
        `cartesian_prod: Expect a 1D vector, but got shape ${formatShape(t.shape)} for input ${i}`,
      );
  });
  if (tensors.length === 1) return tensors[0]!;
  const grids = meshgrid(tensors, { indexing: 'ij' });
  return stack(
    grids.map((g) => g.flatten()),
    1,
  );
}

/**
 * The r-length combinations of a 1-D tensor's elements (with repeats when withReplacement), in
 * torch's order, one per row.
 */
export function combinations(
  x: Tensor,
  ...rest: PyRest<[r: number, withReplacement: boolean], { r?: number; withReplacement?: boolean }>
): Tensor {
  const { r = 2, withReplacement = false } = pyArgs<{ r: number; withReplacement: boolean }>(
    'combinations',
    ['r', 'withReplacement'],
    rest,
    { r: is.nonNegativeInt, withReplacement: is.bool },
  );
  if (x.ndim !== 1)
    throw new Error(`combinations: Expect a 1D vector, but got shape ${formatShape(x.shape)}`);
  if (r === 0) return zeros([0], { dtype: x.dtype, device: x.device });
  const n = x.shape[0]!;
  const rows: number[][] = [];
  const pick = (start: number, chosen: number[]) => {
    if (chosen.length === r) return void rows.push(chosen);
    for (let i = start; i < n; i++) pick(withReplacement ? i : i + 1, [...chosen, i]);
  };
  pick(0, []);
  if (rows.length === 0) return zeros([0, r], { dtype: x.dtype, device: x.device });
  const index = tensor(rows.flat(), { dtype: 'int64', device: x.device });
  return x.indexSelect(0, index).reshape([rows.length, r]);
}

function triangleIndices(op: string, row: number, col: number, offset: number, lower: boolean): Tensor {
  for (const [name, v] of [
    ['row', row],
    ['col', col],
  ] as const)
    if (!Number.isInteger(v) || v < 0)
      throw new Error(`${op}: ${name} must be a non-negative integer, got ${v}`);
  if (!Number.isInteger(offset)) throw new Error(`${op}: offset must be an integer, got ${offset}`);
  const rs: number[] = [];
  const cs: number[] = [];
  for (let i = 0; i < row; i++)
    for (let j = 0; j < col; j++)
      if (lower ? j - i <= offset : j - i >= offset) {
        rs.push(i);
        cs.push(j);
      }
  return tensor([rs, cs], { dtype: 'int64' });
}

/** The [2, k] row and column indices of a row × col matrix's lower triangle, row by row (torch.tril_indices). */
export const trilIndices = (row: number, col: number, offset = 0): Tensor =>
  triangleIndices('tril_indices', row, col, offset, true);
/** The upper triangle's, as torch.triu_indices. */
export const triuIndices = (row: number, col: number, offset = 0): Tensor =>
  triangleIndices('triu_indices', row, col, offset, false);

/**
 * Views of x along `dim`: `sections` parts (the first size % sections one longer), or split
 * before each of `indices`, as torch.tensor_split.
 */
export function tensorSplit(x: Tensor, sectionsOrIndices: number | readonly number[], dim = 0): Tensor[] {
  const d = normalizeDim('tensor_split', dim, x.ndim);
  const size = x.shape[d]!;
  let edges: number[];
  if (typeof sectionsOrIndices === 'number') {
    const n = sectionsOrIndices;
    if (!Number.isInteger(n) || n <= 0)
      throw new Error(`tensor_split: number of sections must be larger than 0, got ${n}`);
    const [base, extra] = [Math.floor(size / n), size % n];
    edges = Array.from({ length: n - 1 }, (_, i) => (i + 1) * base + Math.min(i + 1, extra));
  } else edges = [...sectionsOrIndices];
  const clamp = (i: number) => Math.min(size, Math.max(0, i < 0 ? i + size : i));
  const bounds = [0, ...edges.map(clamp), size];
  return bounds.slice(1).map((end, i) => {
    const start = Math.min(bounds[i]!, end);
    return x.narrow(d, start, Math.max(0, end - start));
  });
}

/** Values of x at `indices` along `dim` (x and indices broadcast but along dim; without dim, of x flattened), as torch.take_along_dim. */
export function takeAlongDim(x: Tensor, indices: Tensor, dim?: number | null): Tensor {
  if (dim === undefined || dim === null) return x.flatten().gather(0, indices.flatten());
  const d = normalizeDim('take_along_dim', dim, x.ndim);
  if (indices.ndim !== x.ndim)
    throw new Error(
      `take_along_dim: input and indices should have the same number of dimensions, but got ${x.ndim} dimensions for input, and ${indices.ndim} dimensions for indices`,
    );
  const shapeX = [...x.shape];
  const shapeI = [...indices.shape];
  shapeX[d] = 1;
  shapeI[d] = 1;
  const [bx] = broadcastTensors(zeros(shapeX), zeros(shapeI));
  const xs = [...bx!.shape];
  const is_ = [...bx!.shape];
  xs[d] = x.shape[d]!;
  is_[d] = indices.shape[d]!;
  return x.expand(xs).gather(d, indices.expand(is_));
}

/** The indices of x's non-zero elements, one row each (torch.argwhere). */
export const argwhere = (x: Tensor): Tensor => nonzero(x);

/** x with the entries at `index` along `dim` set to `value` (a number or a 0-d tensor), as torch.index_fill. */
export function indexFill(x: Tensor, dim: number, index: Tensor, value: number | Tensor): Tensor {
  const d = normalizeDim('index_fill', dim, Math.max(1, x.ndim));
  if (typeof value !== 'number' && value.ndim !== 0)
    throw new Error(
      `index_fill: only supports a 0-dimensional value tensor, but got tensor with ${value.ndim} dimension(s).`,
    );
  const size = x.ndim === 0 ? 1 : x.shape[d]!;
  if (index.device !== 'cpu')
    throw new Error(
      `index_fill: the positions of a '${index.device}' index are read on the CPU: use (await index.toAsync('cpu'))`,
    );
  const positions = Array.from(index.contiguous().dataSync() as ArrayLike<number>, Number);
  const mask = new Array<boolean>(size).fill(false);
  for (const p of positions) {
    if (p < -size || p >= size)
      throw new Error(`index_fill: index ${p} is out of bounds for dimension ${d} with size ${size}`);
    mask[p < 0 ? p + size : p] = true;
  }
  const shape = x.shape.map((s, i) => (i === d ? s : 1));
  const where = tensor(mask, { dtype: 'bool', device: x.device }).reshape(x.ndim === 0 ? [] : shape);
  return typeof value === 'number'
    ? x.maskedFill(where, value)
    : x.where(where.logicalNot(), value.to(x.dtype));
}
