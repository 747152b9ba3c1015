// Products that PyTorch users reach for, composed of the engine's ops (so their gradients, and
// gradients of gradients, come from those): addmm and baddbmm (β·input + α·product), addcmul and
// addcdiv, trace, cross, tensordot and cdist.
import { pyArgs, is, type PyRest } from '../args.ts';
import { formatShape, normalizeDim } from '../shape.ts';
import type { Tensor } from '../tensor.ts';
import { add, mul, sub } from '../ops/binary.ts';
import { div } from '../ops/modulo.ts';
import { eq } from '../ops/compare.ts';
import { where } from '../ops/where.ts';
import { amax, sumRaw } from '../ops/reduce.ts';
import { abs, sqrt } from '../ops/unary.ts';
import { pow } from '../ops/pow.ts';
import { bmm, matmul, mm } from './linalg.ts';
import { diagonal } from './rearrange.ts';
import { onesLike } from '../ops/fill.ts';
import { broadcastTensors, expand, permute, reshape, roll, unsqueeze } from './shape.ts';

interface ScaleOptions {
  beta?: number;
  alpha?: number;
}

const SCALE_CHECKS = { beta: is.number, alpha: is.number };

/** β·input + α·product, PyTorch's way: with β = 0 the input is not read (its NaNs do not spread). */
function scaled(name: string, input: Tensor, product: Tensor, rest: readonly unknown[]): Tensor {
  const { beta = 1, alpha = 1 } = pyArgs<ScaleOptions & Record<string, unknown>>(
    name,
    ['beta', 'alpha'],
    rest,
    SCALE_CHECKS,
    0,
  );
  // The input broadcasts to the product's shape, never beyond it (expand refuses otherwise).
  input = expand(input, product.shape);
  const term = alpha === 1 ? product : mul(product, alpha);
  // β = 0: the input contributes zeros and a zero gradient, never its NaNs (a where, not 0·input).
  if (beta === 0) return add(term, where(onesLike(input, 'bool'), 0, input));
  return add(beta === 1 ? input : mul(input, beta), term);
}

/** β·input + α·(mat1 @ mat2) (mat1 [n, m], mat2 [m, p]; input broadcasts to [n, p]). */
export function addmm(input: Tensor, mat1: Tensor, mat2: Tensor, options?: ScaleOptions): Tensor;
export function addmm(input: Tensor, mat1: Tensor, mat2: Tensor, ...rest: unknown[]): Tensor {
  return scaled('addmm', input, mm(mat1, mat2), rest);
}

/** β·input + α·(batch1 @ batch2) (batches [b, n, m] and [b, m, p]). */
export function baddbmm(input: Tensor, batch1: Tensor, batch2: Tensor, options?: ScaleOptions): Tensor;
export function baddbmm(input: Tensor, batch1: Tensor, batch2: Tensor, ...rest: unknown[]): Tensor {
  return scaled('baddbmm', input, bmm(batch1, batch2), rest);
}

/** input + value·t1·t2, elementwise with broadcasting. */
export function addcmul(input: Tensor, t1: Tensor, t2: Tensor, options?: { value?: number }): Tensor {
  const { value = 1 } = pyArgs<{ value: number }>('addcmul', ['value'], [options], { value: is.number }, 0);
  // PyTorch's kernel order: (value·t1)·t2.
  return add(input, mul(value === 1 ? t1 : mul(t1, value), t2));
}

/** input + value·t1/t2, elementwise with broadcasting. */
export function addcdiv(input: Tensor, t1: Tensor, t2: Tensor, options?: { value?: number }): Tensor {
  const { value = 1 } = pyArgs<{ value: number }>('addcdiv', ['value'], [options], { value: is.number }, 0);
  // PyTorch's kernel order: (value·t1)/t2.
  return add(input, div(value === 1 ? t1 : mul(t1, value), t2));
}

/** The sum of a matrix's main diagonal. */
export function trace(x: Tensor): Tensor {
  if (x.ndim !== 2) throw new Error(`trace: expected a matrix, got ${formatShape(x.shape)}`);
  return sumRaw(diagonal(x));
}

/**
 * The cross product of 3-vectors along `dim` (a and b broadcast first). Without dim, as
 * torch.cross: the first dim of size 3.
 */
export function cross(a: Tensor, b: Tensor, dim?: number): Tensor {
  const [x, y] = broadcastTensors(a, b) as [Tensor, Tensor];
  const d = dim === undefined ? x.shape.findIndex((s) => s === 3) : normalizeDim('cross', dim, x.ndim);
  if (d < 0 || x.shape[d] !== 3)
    throw new Error(
      `cross: ${dim === undefined ? 'no dimension of size 3 in' : `dimension ${dim} does not have size 3 in`} ${formatShape(x.shape)}`,
    );
  // c_i = a_{i+1}·b_{i+2} − a_{i+2}·b_{i+1} (indices mod 3).
  return sub(mul(roll(x, -1, d), roll(y, -2, d)), mul(roll(x, -2, d), roll(y, -1, d)));
}

/**
 * Sums products over dims of a and b: `dims` a count (a's last `dims` against b's first) or two
 * lists of paired dims, as torch.tensordot.
 */
export function tensordot(
  a: Tensor,
  b: Tensor,
  dims: number | readonly [readonly number[], readonly number[]] = 2,
): Tensor {
  const [da, db] =
    typeof dims === 'number'
      ? [Array.from({ length: dims }, (_, i) => a.ndim - dims + i), Array.from({ length: dims }, (_, i) => i)]
      : [
          dims[0].map((d) => normalizeDim('tensordot', d, a.ndim)),
          dims[1].map((d) => normalizeDim('tensordot', d, b.ndim)),
        ];
  if (typeof dims === 'number' && (!Number.isInteger(dims) || dims < 0 || dims > Math.min(a.ndim, b.ndim)))
    throw new Error(`tensordot: dims must be an integer from 0 to ${Math.min(a.ndim, b.ndim)}, got ${dims}`);
  if (da.length !== db.length)
    throw new Error(
      `tensordot: both lists of dims must have the same length, got ${da.length} and ${db.length}`,
    );
  da.forEach((d, i) => {
    if (a.shape[d] !== b.shape[db[i]!])
      throw new Error(
        `tensordot: contracted dimensions need to match, but first has size ${a.shape[d]} in dim ${d} and second has size ${b.shape[db[i]!]} in dim ${db[i]}`,
      );
  });
  const freeA = a.shape.map((_, i) => i).filter((i) => !da.includes(i));
  const freeB = b.shape.map((_, i) => i).filter((i) => !db.includes(i));
  const size = (t: Tensor, ds: number[]) => ds.reduce((p, d) => p * t.shape[d]!, 1);
  const left = reshape(permute(a, [...freeA, ...da]), [size(a, freeA), size(a, da)]);
  const right = reshape(permute(b, [...db, ...freeB]), [size(b, db), size(b, freeB)]);
  return reshape(matmul(left, right), [...freeA.map((d) => a.shape[d]!), ...freeB.map((d) => b.shape[d]!)]);
}

/**
 * The p-norm distance between each row of x1 ([…, P, M]) and each row of x2 ([…, R, M]):
 * […, P, R]. A zero distance has a zero gradient, as in PyTorch (not 0·∞).
 */
export function cdist(x1: Tensor, x2: Tensor, ...rest: PyRest<[p: number], { p?: number }>): Tensor {
  const { p = 2 } = pyArgs<{ p: number }>('cdist', ['p'], rest, { p: is.nonNegative });
  if (x1.ndim < 2 || x2.ndim < 2 || x1.shape[x1.ndim - 1] !== x2.shape[x2.ndim - 1])
    throw new Error(
      `cdist: expected x1 […, P, M] and x2 […, R, M] with the same M, got ${formatShape(x1.shape)} and ${formatShape(x2.shape)}`,
    );
  const diff = sub(unsqueeze(x1, -2), unsqueeze(x2, -3));
  if (p === Infinity) return amax(abs(diff), -1);
  if (p === 0) return sumRaw(diff.ne(0).to(x1.dtype), -1);
  if (p === 1) return sumRaw(abs(diff), -1);
  const total = p === 2 ? sumRaw(mul(diff, diff), -1) : sumRaw(pow(abs(diff), p), -1);
  // The root's gradient at 0 is infinite: take it of 1 there instead, and give back 0.
  const zero = eq(total, 0);
  const safe = where(zero, 1, total);
  return where(zero, 0, p === 2 ? sqrt(safe) : pow(safe, 1 / p));
}
