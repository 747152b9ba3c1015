// Elementwise and reducing helpers PyTorch users reach for, composed of the engine's ops (their
// gradients come from those): nanToNum, logit, xlogy, nansum, nanmean, diff, deg2rad, rad2deg.
import { pyArgs, is, type PyRest } from '../args.ts';
import { isFloating } from '../dtype.ts';
import { formatShape, normalizeDim } from '../shape.ts';
import type { Tensor } from '../tensor.ts';
import { mul, sub } from '../ops/binary.ts';
import { div } from '../ops/modulo.ts';
import { eq, gt, isinf, isnan, logicalAnd, logicalNot, logicalXor } from '../ops/compare.ts';
import { where } from '../ops/where.ts';
import { cast } from '../ops/cast.ts';
import { sumRaw } from '../ops/reduce.ts';
import { log } from '../ops/unary.ts';
import { clamp } from './activations.ts';
import { cat, narrow } from './shape.ts';
import type { Dims } from './reductions.ts';

/** The largest finite value of a float dtype (nanToNum's default for +inf). */
const FINITE_MAX: Record<string, number> = {
  float16: 65504,
  bfloat16: 3.3895313892515355e38,
  float32: 3.4028234663852886e38,
  float64: Number.MAX_VALUE,
};

/** NaN, +inf and −inf replaced (by 0 and the dtype's largest and smallest finite values by default). */
export function nanToNum(
  x: Tensor,
  ...rest: PyRest<
    [nan: number, posinf: number, neginf: number],
    { nan?: number; posinf?: number; neginf?: number }
  >
): Tensor {
  const o = pyArgs<{ nan: number; posinf: number; neginf: number }>(
    'nanToNum',
    ['nan', 'posinf', 'neginf'],
    rest,
    {
      nan: is.number,
      posinf: is.number,
      neginf: is.number,
    },
  );
  if (!isFloating(x.dtype)) return x.clone();
  const big = FINITE_MAX[x.dtype] ?? Number.MAX_VALUE;
  const { nan = 0, posinf = big, neginf = -big } = o;
  const infinite = isinf(x);
  return where(isnan(x), nan, where(logicalAnd(infinite, gt(x, 0)), posinf, where(infinite, neginf, x)));
}

/** log(x / (1 − x)), with x clamped to [eps, 1 − eps] first when eps is given. */
export function logit(x: Tensor, eps?: number | null): Tensor {
  if (eps !== undefined && eps !== null && !(eps >= 0 && eps <= 0.5))
    throw new Error(`logit: eps must be between 0 and 0.5, got ${eps}`);
  const floatX = isFloating(x.dtype) ? x : cast(x, 'float32');
  const z = eps === undefined || eps === null ? floatX : clamp(floatX, eps, 1 - eps);
  return log(div(z, sub(1, z)));
}

/** x·log(y), and 0 where x is 0 (unless y is NaN), as torch.xlogy. */
export function xlogy(x: Tensor, y: Tensor | number): Tensor {
  if (typeof y === 'number') {
    const product = mul(x, Math.log(y));
    return Number.isNaN(y) ? product : where(eq(x, 0), 0, product);
  }
  return where(logicalAnd(eq(x, 0), logicalNot(isnan(y))), 0, mul(x, log(y)));
}

/** The sum with NaNs counted as 0. */
export function nansum(x: Tensor, dim?: Dims, keepdim = false): Tensor {
  return sumRaw(isFloating(x.dtype) ? where(isnan(x), 0, x) : x, dim, keepdim);
}

/** The mean of the values that are not NaN (NaN where there are none). */
export function nanmean(x: Tensor, dim?: Dims, keepdim = false): Tensor {
  if (!isFloating(x.dtype))
    throw new Error(`nanmean(): expected input to have floating point dtype but got ${x.dtype}`);
  const present = logicalNot(isnan(x));
  return div(nansum(x, dim, keepdim), sumRaw(cast(present, x.dtype), dim, keepdim));
}

/**
 * The n-th forward difference along `dim` (x[i+1] − x[i], n times), with `prepend` and `append`
 * joined on first, as torch.diff.
 */
export function diff(
  x: Tensor,
  ...rest: PyRest<
    [n: number, dim: number, prepend: Tensor | null, append: Tensor | null],
    { n?: number; dim?: number; prepend?: Tensor | null; append?: Tensor | null }
  >
): Tensor {
  const o = pyArgs<{ n: number; dim: number; prepend: Tensor | null; append: Tensor | null }>(
    'diff',
    ['n', 'dim', 'prepend', 'append'],
    rest,
    { n: is.nonNegativeInt, dim: is.int, prepend: is.tensorOrNull, append: is.tensorOrNull },
  );
  const { n = 1, prepend = null, append = null } = o;
  if (x.ndim === 0) throw new Error('diff: expected at least a 1-dimensional input, got a scalar');
  const d = normalizeDim('diff', o.dim ?? -1, x.ndim);
  const joined = [prepend, x, append].filter((t): t is Tensor => t !== null);
  joined.forEach((t) => {
    if (t.ndim !== x.ndim)
      throw new Error(
        `diff: prepend and append must have as many dims as the input ${formatShape(x.shape)}, got ${formatShape(t.shape)}`,
      );
  });
  let out = joined.length > 1 ? cat(joined, d) : x;
  for (let k = 0; k < n && out.shape[d]! > 0; k++) {
    const len = out.shape[d]! - 1;
    const [next, prev] = [narrow(out, d, 1, len), narrow(out, d, 0, len)];
    out = out.dtype === 'bool' ? logicalXor(next, prev) : sub(next, prev);
  }
  return out;
}

/** Degrees to radians. */
export const deg2rad = (x: Tensor): Tensor =>
  mul(isFloating(x.dtype) ? x : cast(x, 'float32'), Math.PI / 180);
/** Radians to degrees. */
export const rad2deg = (x: Tensor): Tensor =>
  mul(isFloating(x.dtype) ? x : cast(x, 'float32'), 180 / Math.PI);
