// Joining, tiling and turning, composed of cat, repeat, flip and views (their gradients come from
// those): atleast1d/2d/3d, hstack, vstack, dstack, columnStack, tile, rot90, fliplr, flipud.
import { formatShape, normalizeDim } from '../shape.ts';
import type { Tensor } from '../tensor.ts';
import { cat, flip, repeat, reshape, transpose } from './shape.ts';

/** x with at least `n` dims: a scalar becomes [1]…, a vector [1, n], a matrix [r, c, 1] (as PyTorch). */
function atLeast(x: Tensor, n: 1 | 2 | 3): Tensor {
  if (x.ndim >= n) return x;
  if (x.ndim === 0) return reshape(x, new Array<number>(n).fill(1));
  if (x.ndim === 1) return reshape(x, n === 2 ? [1, x.shape[0]!] : [1, x.shape[0]!, 1]);
  return reshape(x, [...x.shape, 1]);
}

export const atleast1d = (x: Tensor): Tensor => atLeast(x, 1);
export const atleast2d = (x: Tensor): Tensor => atLeast(x, 2);
export const atleast3d = (x: Tensor): Tensor => atLeast(x, 3);

function joined(name: string, tensors: readonly Tensor[]): readonly Tensor[] {
  if (tensors.length === 0) throw new Error(`${name}: expected a non-empty list of tensors`);
  return tensors;
}

/** Joined column-wise: along dim 0 for vectors, dim 1 otherwise. */
export function hstack(tensors: readonly Tensor[]): Tensor {
  const xs = joined('hstack', tensors).map(atleast1d);
  return cat(xs, xs[0]!.ndim === 1 ? 0 : 1);
}

/** Joined row-wise (vectors become rows). */
export const vstack = (tensors: readonly Tensor[]): Tensor =>
  cat(joined('vstack', tensors).map(atleast2d), 0);

/** Joined depth-wise, along dim 2. */
export const dstack = (tensors: readonly Tensor[]): Tensor =>
  cat(joined('dstack', tensors).map(atleast3d), 2);

/** Vectors as columns (and matrices as they are), joined along dim 1. */
export function columnStack(tensors: readonly Tensor[]): Tensor {
  const xs = joined('columnStack', tensors).map((x) => (x.ndim <= 1 ? reshape(x, [x.numel(), 1]) : x));
  return cat(xs, 1);
}

/** x repeated `dims[i]` times along each dim; fewer dims than x's count from the last. */
export function tile(x: Tensor, dims: readonly number[]): Tensor {
  dims.forEach((d) => {
    if (!Number.isInteger(d) || d < 0)
      throw new Error(`tile: repeats must be integers ≥ 0, got [${dims.join(', ')}]`);
  });
  const full = [...new Array<number>(Math.max(0, x.ndim - dims.length)).fill(1), ...dims];
  return repeat(x, full);
}

/** Turned by 90° k times in the plane of `dims`, from the first dim towards the second (torch.rot90). */
export function rot90(x: Tensor, k = 1, dims: readonly [number, number] = [0, 1]): Tensor {
  if (dims.length !== 2) throw new Error(`rot90: expected two dims, got [${dims.join(', ')}]`);
  if (x.ndim < 2) throw new Error(`rot90: expected at least 2 dims, got ${formatShape(x.shape)}`);
  const [d0, d1] = [normalizeDim('rot90', dims[0], x.ndim), normalizeDim('rot90', dims[1], x.ndim)];
  if (d0 === d1) throw new Error(`rot90: the two dims must differ, got [${dims.join(', ')}]`);
  if (!Number.isInteger(k)) throw new Error(`rot90: k must be an integer, got ${k}`);
  switch (((k % 4) + 4) % 4) {
    case 1:
      return transpose(flip(x, d1), d0, d1);
    case 2:
      return flip(x, [d0, d1]);
    case 3:
      return transpose(flip(x, d0), d0, d1);
    default:
      return x.clone();
  }
}

/** Columns in reverse order (dim 1). */
export function fliplr(x: Tensor): Tensor {
  if (x.ndim < 2) throw new Error(`fliplr: expected at least 2 dims, got ${formatShape(x.shape)}`);
  return flip(x, 1);
}

/** Rows in reverse order (dim 0). */
export function flipud(x: Tensor): Tensor {
  if (x.ndim < 1) throw new Error('flipud: expected at least 1 dim, got a scalar');
  return flip(x, 0);
}
