// Rearrangements built on index_select and views, so their gradients come from those ops:
// repeat_interleave, diagonal, diag, meshgrid, Tensor.unfold (sliding windows), movedim, and the
// pixel (un)shuffle of super-resolution models.
import { pyArgs, is, type PyRest } from '../args.ts';
import { tensor, zeros } from '../creation.ts';
import { normalizeDim, formatShape } from '../shape.ts';
import type { Tensor } from '../tensor.ts';
import { permute, reshape, expand } from './shape.ts';

const ints = (values: number[], device: Tensor['device']) => tensor(values, { dtype: 'int32', device });

/**
 * torch.repeat_interleave: each element repeated `repeats` times (one count, or one per element)
 * along `dim`; without a dim, over the flattened input.
 */
export function repeatInterleave(
  x: Tensor,
  repeats: number | Tensor | readonly number[],
  ...rest: PyRest<[dim: number | null], { dim?: number | null; outputSize?: number }>
): Tensor {
  const o = pyArgs<{ dim: number | null; outputSize: number }>(
    'repeatInterleave',
    ['dim', 'outputSize'],
    rest,
    {
      dim: is.orNull(is.int),
      outputSize: is.nonNegativeInt,
    },
  );
  const input = o.dim === undefined || o.dim === null ? x.reshape(-1) : x;
  const dim = o.dim === undefined || o.dim === null ? 0 : normalizeDim('repeatInterleave', o.dim, x.ndim);
  const n = input.shape[dim]!;
  let counts =
    typeof repeats === 'number'
      ? new Array<number>(n).fill(repeats)
      : Array.isArray(repeats)
        ? [...(repeats as readonly number[])]
        : Array.from((repeats as Tensor).dataSync());
  // One count for every element, as PyTorch broadcasts a one-element repeats.
  if (counts.length === 1 && n !== 1) counts = new Array<number>(n).fill(counts[0]!);
  if (counts.length !== n || counts.some((c) => !Number.isInteger(c) || c < 0))
    throw new Error(
      `repeatInterleave: repeats must be one count or ${n} non-negative integer counts, got ${counts.length}`,
    );
  const index = counts.flatMap((c, i) => new Array<number>(c).fill(i));
  if (o.outputSize !== undefined && o.outputSize !== index.length)
    throw new Error(
      `repeatInterleave: output_size ${o.outputSize} does not match the ${index.length} repeats`,
    );
  return input.indexSelect(dim, ints(index, x.device));
}

/** The diagonal of two dims (offset above (+) or below (−) the main one), as a new last dim. */
export function diagonal(
  x: Tensor,
  ...rest: PyRest<
    [offset: number, dim1: number, dim2: number],
    { offset?: number; dim1?: number; dim2?: number }
  >
): Tensor {
  const o = pyArgs<{ offset: number; dim1: number; dim2: number }>(
    'diagonal',
    ['offset', 'dim1', 'dim2'],
    rest,
    {
      offset: is.int,
      dim1: is.int,
      dim2: is.int,
    },
  );
  const offset = o.offset ?? 0;
  const d1 = normalizeDim('diagonal', o.dim1 ?? 0, x.ndim);
  const d2 = normalizeDim('diagonal', o.dim2 ?? 1, x.ndim);
  if (d1 === d2) throw new Error(`diagonal: dim1 and dim2 cannot be the same dim (${d1})`);
  const others = x.shape.map((_, i) => i).filter((i) => i !== d1 && i !== d2);
  const moved = permute(x, [...others, d1, d2]);
  const [rows, cols] = [x.shape[d1]!, x.shape[d2]!];
  const positions: number[] = [];
  for (let i = Math.max(0, -offset); i < rows && i + offset < cols; i++)
    positions.push(i * cols + i + offset);
  const flat = reshape(moved, [...others.map((i) => x.shape[i]!), rows * cols]);
  return flat.indexSelect(-1, ints(positions, x.device));
}

/** torch.diag: a vector → a square matrix with it on the (offset) diagonal; a matrix → its diagonal. */
export function diag(x: Tensor, diagonalOffset = 0): Tensor {
  if (x.ndim === 2) return diagonal(x, diagonalOffset);
  if (x.ndim !== 1) throw new Error(`diag: expected a 1-D or 2-D tensor, got ${formatShape(x.shape)}`);
  const n = x.shape[0]! + Math.abs(diagonalOffset);
  const positions = x.shape[0]
    ? [...Array(x.shape[0]).keys()].map((i) =>
        diagonalOffset >= 0 ? i * n + i + diagonalOffset : (i - diagonalOffset) * n + i,
      )
    : [];
  const flat = zeros([n * n], { dtype: x.dtype, device: x.device });
  return flat.indexPut([ints(positions, x.device)], x).reshape(n, n);
}

/** torch.meshgrid: coordinate grids, 'ij' (matrix) or 'xy' (Cartesian: the first two swapped). */
export function meshgrid(tensors: readonly Tensor[], options: { indexing?: 'ij' | 'xy' } = {}): Tensor[] {
  const { indexing = 'ij' } = pyArgs<{ indexing: 'ij' | 'xy' }>('meshgrid', ['indexing'], [options], {
    indexing: is.oneOf('ij', 'xy'),
  });
  for (const t of tensors)
    if (t.ndim > 1) throw new Error(`meshgrid: expected 0-D or 1-D tensors, got ${formatShape(t.shape)}`);
  const swap = indexing === 'xy' && tensors.length >= 2;
  const order = swap ? [1, 0, ...tensors.slice(2).map((_, i) => i + 2)] : tensors.map((_, i) => i);
  const sizes = order.map((i) => tensors[i]!.numel());
  return tensors.map((t, i) => {
    const at = order.indexOf(i);
    const shape = sizes.map((s, j) => (j === at ? s : 1));
    return expand(t.reshape(shape), sizes);
  });
}

/** Tensor.unfold(dim, size, step): every window of `size` along `dim`, as a new last dim. */
export function unfoldDim(x: Tensor, dim: number, size: number, step: number): Tensor {
  const d = x.ndim === 0 ? 0 : normalizeDim('unfold', dim, x.ndim);
  const n = x.ndim === 0 ? 1 : x.shape[d]!;
  if (!Number.isInteger(size) || size < 0 || size > n)
    throw new Error(`unfold: maximum size for tensor at dimension ${d} is ${n} but size is ${size}`);
  if (!Number.isInteger(step) || step < 1) throw new Error(`unfold: step is ${step} but must be > 0`);
  const windows = Math.floor((n - size) / step) + 1;
  const index = [];
  for (let w = 0; w < windows; w++) for (let k = 0; k < size; k++) index.push(w * step + k);
  const picked = (x.ndim === 0 ? x.reshape(1) : x).indexSelect(d, ints(index, x.device));
  const shape = x.ndim === 0 ? [] : [...x.shape];
  if (x.ndim > 0) shape.splice(d, 1, windows, size);
  const split = picked.reshape(x.ndim === 0 ? [size] : shape);
  if (x.ndim === 0) return split;
  // The window dim (d + 1) goes last.
  const dims = split.shape.map((_, i) => i).filter((i) => i !== d + 1);
  return permute(split, [...dims, d + 1]);
}

/** torch.movedim: moves dims to new positions, keeping the others in order. */
export function movedim(
  x: Tensor,
  source: number | readonly number[],
  destination: number | readonly number[],
): Tensor {
  const src = (typeof source === 'number' ? [source] : [...source]).map((d) =>
    normalizeDim('movedim', d, x.ndim),
  );
  const dst = (typeof destination === 'number' ? [destination] : [...destination]).map((d) =>
    normalizeDim('movedim', d, x.ndim),
  );
  if (src.length !== dst.length)
    throw new Error(`movedim: source (${src.length} dims) and destination (${dst.length} dims) must match`);
  const order = new Array<number>(x.ndim).fill(-1);
  src.forEach((s, i) => (order[dst[i]!] = s));
  const rest = x.shape.map((_, i) => i).filter((i) => !src.includes(i));
  for (let i = 0, r = 0; i < x.ndim; i++) if (order[i] === -1) order[i] = rest[r++]!;
  return permute(x, order);
}

/** [*, C·r², H, W] → [*, C, H·r, W·r] (torch.nn.functional.pixel_shuffle). */
export function pixelShuffle(x: Tensor, upscaleFactor: number): Tensor {
  const r = upscaleFactor;
  if (x.ndim < 3 || x.shape[x.ndim - 3]! % (r * r) !== 0)
    throw new Error(`pixelShuffle: expected [*, C·${r * r}, H, W], got ${formatShape(x.shape)}`);
  const lead = x.shape.slice(0, -3);
  const [c, h, w] = x.shape.slice(-3) as [number, number, number];
  const k = lead.length;
  const split = x.reshape([...lead, c / (r * r), r, r, h, w]);
  const moved = permute(split, [...lead.map((_, i) => i), k, k + 3, k + 1, k + 4, k + 2]);
  return moved.reshape([...lead, c / (r * r), h * r, w * r]);
}

/** [*, C, H·r, W·r] → [*, C·r², H, W], the inverse of pixelShuffle. */
export function pixelUnshuffle(x: Tensor, downscaleFactor: number): Tensor {
  const r = downscaleFactor;
  if (x.ndim < 3 || x.shape[x.ndim - 2]! % r !== 0 || x.shape[x.ndim - 1]! % r !== 0)
    throw new Error(`pixelUnshuffle: expected [*, C, H·${r}, W·${r}], got ${formatShape(x.shape)}`);
  const lead = x.shape.slice(0, -3);
  const [c, h, w] = x.shape.slice(-3) as [number, number, number];
  const k = lead.length;
  const split = x.reshape([...lead, c, h / r, r, w / r, r]);
  const moved = permute(split, [...lead.map((_, i) => i), k, k + 2, k + 4, k + 1, k + 3]);
  return moved.reshape([...lead, c * r * r, h / r, w / r]);
}
