// torch's other names for functions the engine has (torch.absolute is abs, torch.clip is clamp,
// torch.concat is cat, …) as functions, and a few products and helpers spelled from other ops:
// mv, addmv, addr, addbmm, dist, rsub, ldexp, vander, renorm, chain_matmul.
import type { Tensor } from '../tensor.ts';
import type { TensorLike } from '../ops/make.ts';
import { is, pyArgs } from '../args.ts';
import { formatShape, normalizeDim } from '../shape.ts';
import { tensor } from '../creation.ts';
import { cat } from './shape.ts';
import { multiDot } from './linalg-namespace.ts';

type Scale = { beta?: number; alpha?: number };
const scale = (fn: string, options: Scale) =>
  pyArgs<Required<Scale>>(fn, ['beta', 'alpha'], [options], { beta: is.number, alpha: is.number }, 0);
/** β·input + α·product, with β = 0 ignoring input (NaN included), as torch's addmm family. */
const combine = (input: Tensor, product: Tensor, { beta = 1, alpha = 1 }: Partial<Required<Scale>>) =>
  (beta === 0 ? product.mul(alpha) : input.mul(beta).add(product.mul(alpha)))
    .expand(product.shape)
    .contiguous();

export const absolute = (x: Tensor): Tensor => x.abs();
export const negative = (x: Tensor): Tensor => x.neg();
/** x itself (torch.positive); refused for booleans, as in torch. */
export function positive(x: Tensor): Tensor {
  if (x.dtype === 'bool') throw new TypeError('The `+` operator, on a bool tensor is not supported.');
  return x;
}
export const multiply = (a: Tensor, b: TensorLike): Tensor => a.mul(b);
export const subtract = (a: Tensor, b: TensorLike, options?: { alpha?: number }): Tensor => a.sub(b, options);
export const divide = (
  a: Tensor,
  b: TensorLike,
  options?: { roundingMode?: 'trunc' | 'floor' | null },
): Tensor => a.div(b, options);
export const arccos = (x: Tensor): Tensor => x.acos();
export const arcsin = (x: Tensor): Tensor => x.asin();
export const arctan = (x: Tensor): Tensor => x.atan();
export const arccosh = (x: Tensor): Tensor => x.acosh();
export const arcsinh = (x: Tensor): Tensor => x.asinh();
export const arctanh = (x: Tensor): Tensor => x.atanh();
export const arctan2 = (a: Tensor, b: TensorLike): Tensor => a.atan2(b);
export const clip = (x: Tensor, min?: TensorLike | null, max?: TensorLike | null): Tensor =>
  x.clamp(min, max);
export const clampMin = (x: Tensor, min: TensorLike): Tensor => x.clamp(min, null);
export const clampMax = (x: Tensor, max: TensorLike): Tensor => x.clamp(null, max);
export const fix = (x: Tensor): Tensor => x.trunc();
export const frac = (x: Tensor): Tensor => x.frac();
export const sgn = (x: Tensor): Tensor => x.sign();
export const greater = (a: Tensor, b: TensorLike): Tensor => a.gt(b);
export const greaterEqual = (a: Tensor, b: TensorLike): Tensor => a.ge(b);
export const less = (a: Tensor, b: TensorLike): Tensor => a.lt(b);
export const lessEqual = (a: Tensor, b: TensorLike): Tensor => a.le(b);
export const notEqual = (a: Tensor, b: TensorLike): Tensor => a.ne(b);
export const concat = (tensors: readonly Tensor[], dim = 0): Tensor => cat(tensors, dim);
export const concatenate = concat;
export const swapaxes = (x: Tensor, a: number, b: number): Tensor => x.transpose(a, b);
export const swapdims = swapaxes;
export const moveaxis = (x: Tensor, source: number | number[], destination: number | number[]): Tensor =>
  x.movedim(source, destination);
export const ravel = (x: Tensor): Tensor => x.flatten();
export const msort = (x: Tensor): Tensor => x.msort();
/** a chain of matrix products (torch.chain_matmul, which torch deprecates for linalg.multi_dot). */
export const chainMatmul = (...matrices: Tensor[]): Tensor =>
  matrices.length === 1 ? matrices[0]! : multiDot(matrices);

/** b − α·a (torch.rsub: subtraction with the operands reversed). */
export function rsub(a: Tensor, b: TensorLike, options: { alpha?: number } = {}): Tensor {
  const { alpha = 1 } = pyArgs<{ alpha: number }>('rsub', ['alpha'], [options], { alpha: is.number }, 0);
  const other =
    typeof b === 'number' || typeof b === 'boolean'
      ? tensor(b as number, { dtype: a.dtype, device: a.device })
      : (b as Tensor);
  return other.sub(a, { alpha });
}

/** The matrix-vector product (torch.mv): [n, m] · [m]. */
export function mv(mat: Tensor, vec: Tensor): Tensor {
  if (mat.ndim !== 2 || vec.ndim !== 1 || mat.shape[1] !== vec.shape[0])
    throw new Error(
      `mv: expected a matrix [n, m] and a vector [m], got ${formatShape(mat.shape)} and ${formatShape(vec.shape)}`,
    );
  return mat.matmul(vec);
}

/** β·input + α·(mat·vec) (torch.addmv). */
export function addmv(input: Tensor, mat: Tensor, vec: Tensor, options: Scale = {}): Tensor {
  return combine(input, mv(mat, vec), scale('addmv', options));
}

/** β·input + α·(v1 ⊗ v2) (torch.addr). */
export function addr(input: Tensor, vec1: Tensor, vec2: Tensor, options: Scale = {}): Tensor {
  if (vec1.ndim !== 1 || vec2.ndim !== 1)
    throw new Error(
      `addr: expected 1-D vectors, got ${formatShape(vec1.shape)} and ${formatShape(vec2.shape)}`,
    );
  return combine(input, vec1.unsqueeze(1).mul(vec2.unsqueeze(0)), scale('addr', options));
}

/** β·input + α·Σᵢ batch1ᵢ·batch2ᵢ (torch.addbmm: the batch's products summed). */
export function addbmm(input: Tensor, batch1: Tensor, batch2: Tensor, options: Scale = {}): Tensor {
  if (batch1.ndim !== 3 || batch2.ndim !== 3)
    throw new Error(
      `addbmm: expected 3-D batches, got ${formatShape(batch1.shape)} and ${formatShape(batch2.shape)}`,
    );
  return combine(input, batch1.matmul(batch2).sum(0), scale('addbmm', options));
}

/** The p-norm of a − b (torch.dist). */
export const dist = (a: Tensor, b: Tensor, p = 2): Tensor => a.sub(b).norm(p);

/** x · 2^e (torch.ldexp; a float result). */
export function ldexp(x: Tensor, e: Tensor | number): Tensor {
  const xf = x.dtype === 'float64' || x.dtype === 'float32' ? x : x.to('float32');
  const two = tensor(2, { dtype: xf.dtype, device: xf.device });
  return xf.mul(two.pow(typeof e === 'number' ? e : e.to(xf.dtype)));
}

/**
 * The Vandermonde matrix of a 1-D x (torch.vander): columns x^(N−1) … x⁰, or increasing powers;
 * N = len(x) by default. Built by a running product, as torch's, so that x = 0 has a finite gradient.
 */
export function vander(x: Tensor, options: { N?: number | null; increasing?: boolean } = {}): Tensor {
  const { N = null, increasing = false } = pyArgs<{ N: number | null; increasing: boolean }>(
    'vander',
    ['N', 'increasing'],
    [options],
    { N: is.orNull(is.nonNegativeInt), increasing: is.bool },
    0,
  );
  if (x.ndim !== 1)
    throw new Error(`vander: x must be a one-dimensional tensor, got ${formatShape(x.shape)}`);
  const n = N ?? x.shape[0]!;
  const xf = x.dtype === 'bool' ? x.to('int64') : x;
  if (n === 0) return xf.unsqueeze(1).narrow(1, 0, 0);
  const ones = tensor(1, { dtype: xf.dtype, device: xf.device }).expand([xf.shape[0]!, 1]);
  const powers =
    n === 1 ? ones.contiguous() : cat([ones, xf.unsqueeze(1).expand([xf.shape[0]!, n - 1])], 1).cumprod(1);
  return increasing ? powers : powers.flip([1]);
}

/**
 * Each slice of x along `dim` whose p-norm exceeds maxnorm scaled down to it (torch.renorm, with
 * its 1e-7 guard in the divisor).
 */
export function renorm(x: Tensor, p: number, dim: number, maxnorm: number): Tensor {
  if (!(p > 0)) throw new Error(`renorm: non-positive-norm not supported (got p = ${p})`);
  if (!(maxnorm >= 0)) throw new Error(`renorm: expected maxnorm to be >= 0 but got ${maxnorm}`);
  const d = normalizeDim('renorm', dim, x.ndim);
  const others = x.shape.map((_, i) => i).filter((i) => i !== d);
  const norms = x.norm(p, others, true);
  const factor = tensor(maxnorm, { dtype: x.dtype, device: x.device })
    .div(norms.add(1e-7))
    .where(norms.gt(maxnorm), 1);
  return x.mul(factor);
}
