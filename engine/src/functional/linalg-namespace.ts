// torch.linalg as `hg.linalg`: the square-matrix ops (linalg-square.ts), norms, and the
// products torch.linalg also names.
import type { Tensor } from '../tensor.ts';
import { is, pyArgs, type PyRest } from '../args.ts';
import { normalizeDims } from '../shape.ts';
import { norm as pNorm } from './norm.ts';
import { cross as crossAlong } from './products.ts';
import { matmul } from './linalg.ts';

export { inv, det, slogdet, solve, cholesky, matrixPower } from './linalg-square.ts';
export { svd, svdvals, eigh, eigvalsh, pinv, matrixRank, cond } from './linalg-spectral.ts';
export { qr } from './linalg-qr.ts';
export { lstsq, matrixExp } from './linalg-more.ts';
import { svdvals } from './linalg-spectral.ts';
export { matmul };

type Ord = number | 'fro' | 'nuc';
const ORD_NUMBER: (v: unknown) => string | null = (v) =>
  typeof v === 'number' && !Number.isNaN(v) ? null : 'must be a number (Infinity and -Infinity included)';
const DIMS = (v: unknown) =>
  v === null || Number.isInteger(v) || (Array.isArray(v) && v.every(Number.isInteger))
    ? null
    : 'must be a dim, a list of dims or null';

/**
 * The vector ord-norm of x over `dim` (all elements when null), as torch.linalg.vector_norm:
 * ord any number, Infinity (max |x|), -Infinity (min |x|) or 0 (the count of non-zeros).
 */
export function vectorNorm(
  x: Tensor,
  ...rest: PyRest<
    [ord: number, dim: number | number[] | null, keepdim: boolean],
    { ord?: number; dim?: number | number[] | null; keepdim?: boolean }
  >
): Tensor {
  const {
    ord = 2,
    dim = null,
    keepdim = false,
  } = pyArgs<{ ord: number; dim: number | number[] | null; keepdim: boolean }>(
    'linalg.vector_norm',
    ['ord', 'dim', 'keepdim'],
    rest,
    { ord: ORD_NUMBER, dim: DIMS, keepdim: is.bool },
  );
  return pNorm(x, ord, dim ?? undefined, keepdim);
}

/**
 * The matrix norm over the two dims `dim` (the last two by default), as torch.linalg.matrix_norm:
 * 'fro', 'nuc' (the sum of the singular values), 2 / -2 (the largest / smallest singular value),
 * 1 / -1 (the largest / smallest column sum of |A|), Infinity / -Infinity (row sums).
 */
export function matrixNorm(
  a: Tensor,
  ...rest: PyRest<
    [ord: Ord, dim: [number, number], keepdim: boolean],
    { ord?: Ord; dim?: [number, number]; keepdim?: boolean }
  >
): Tensor {
  const {
    ord = 'fro',
    dim = [-2, -1],
    keepdim = false,
  } = pyArgs<{ ord: Ord; dim: [number, number]; keepdim: boolean }>(
    'linalg.matrix_norm',
    ['ord', 'dim', 'keepdim'],
    rest,
    {
      ord: is.oneOf('fro', 'nuc', 1, -1, 2, -2, Infinity, -Infinity),
      dim: (v) =>
        Array.isArray(v) && v.length === 2 && v.every(Number.isInteger) ? null : 'must be two dims',
      keepdim: is.bool,
    },
  );
  if (a.ndim < 2) throw new Error(`linalg.matrix_norm: The input tensor A must have at least 2 dimensions.`);
  const [r, c] = normalizeDims('linalg.matrix_norm', dim, a.ndim) as [number, number];
  if (r === c) throw new Error(`linalg.matrix_norm: dims must be different. Got (${dim[0]}, ${dim[1]})`);
  if (ord === 'fro') return pNorm(a, 2, [r, c], keepdim);
  if (ord === 'nuc' || ord === 2 || ord === -2) {
    // From the singular values: their sum, the largest or the smallest.
    const s = svdvals(a.movedim([r, c], [-2, -1]));
    const v = ord === 'nuc' ? s.sum(-1) : ord === 2 ? s.amax(-1) : s.amin(-1);
    return keepdim ? v.unsqueeze(Math.min(r, c)).unsqueeze(Math.max(r, c)) : v;
  }
  // 1 / -1: sums down the columns (over rows r), then the max / min over columns c; ±∞ the other way.
  const [summed, over] = ord === 1 || ord === -1 ? [r, c] : [c, r];
  const sums = a.abs().sum(summed, true);
  const pick = ord > 0 ? sums.amax(over, true) : sums.amin(over, true);
  return keepdim ? pick : pick.squeeze([r, c]);
}

/**
 * torch.linalg.norm: with `ord` and a 2-D input or two dims, the matrix norm; otherwise the vector
 * norm (2 by default) over `dim`, or over all elements when neither is given.
 */
export function norm(
  x: Tensor,
  ...rest: PyRest<
    [ord: Ord | null, dim: number | number[] | null, keepdim: boolean],
    { ord?: Ord | null; dim?: number | number[] | null; keepdim?: boolean }
  >
): Tensor {
  const {
    ord = null,
    dim = null,
    keepdim = false,
  } = pyArgs<{ ord: Ord | null; dim: number | number[] | null; keepdim: boolean }>(
    'linalg.norm',
    ['ord', 'dim', 'keepdim'],
    rest,
    { dim: DIMS, keepdim: is.bool },
  );
  const twoDims = Array.isArray(dim) ? dim.length === 2 : dim === null && x.ndim === 2;
  if (ord !== null && twoDims)
    return matrixNorm(x, { ord, dim: (dim as [number, number] | null) ?? [-2, -1], keepdim });
  if (typeof ord === 'string')
    throw new Error(`linalg.norm: ord='${ord}' is a matrix norm: give a 2-D input or two dims`);
  return vectorNorm(x, { ord: ord ?? 2, dim, keepdim });
}

/** The cross product along `dim` (-1 by default, unlike torch.cross), as torch.linalg.cross. */
export function cross(a: Tensor, b: Tensor, ...rest: PyRest<[], { dim?: number }>): Tensor {
  const { dim = -1 } = pyArgs<{ dim: number }>('linalg.cross', ['dim'], rest, { dim: is.int }, 0);
  return crossAlong(a, b, dim);
}

/** Σ x·y over `dim` (-1 by default), as torch.linalg.vecdot, broadcasting x and y. */
export function vecdot(x: Tensor, y: Tensor, ...rest: PyRest<[], { dim?: number }>): Tensor {
  const { dim = -1 } = pyArgs<{ dim: number }>('linalg.vecdot', ['dim'], rest, { dim: is.int }, 0);
  return x.mul(y).sum(dim);
}

/**
 * The product of a chain of matrices (torch.linalg.multi_dot): the first may be a vector (a row)
 * and the last a vector (a column), as in torch; left to right.
 */
export function multiDot(tensors: readonly Tensor[]): Tensor {
  if (tensors.length < 2)
    throw new Error(`linalg.multi_dot: expected at least 2 tensors but got ${tensors.length}`);
  tensors.forEach((t, i) => {
    const vectorOk = (i === 0 || i === tensors.length - 1) && t.ndim === 1;
    if (t.ndim !== 2 && !vectorOk)
      throw new Error(
        `linalg.multi_dot: tensor ${i} must be 2D${i === 0 || i === tensors.length - 1 ? ' or 1D' : ''} but got ${t.ndim}D`,
      );
  });
  return tensors.slice(1).reduce((p, t) => matmul(p, t), tensors[0]!);
}
