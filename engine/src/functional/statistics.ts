// Statistics and counting as torch gives them: cov, corrcoef, quantile (five interpolations),
// nanquantile, nanmedian, aminmax, count_nonzero, histc, bincount, bucketize, searchsorted, isin,
// trapezoid and cumulative_trapezoid. Values that flow (cov, quantile, trapezoid, …) are built
// from differentiable ops; counts and positions are read on the CPU, as torch's CPU kernels
// compute them.
import type { Tensor } from '../tensor.ts';
import { is, pyArgs, type PyRest } from '../args.ts';
import { formatShape, normalizeDim } from '../shape.ts';
import { isFloating } from '../dtype.ts';
import { tensor } from '../creation.ts';
import { cat } from './shape.ts';

function cpuValues(op: string, x: Tensor): Float64Array {
  if (x.device !== 'cpu')
    throw new Error(
      `${op}: the values of a '${x.device}' tensor are read on the CPU: use (await x.toAsync('cpu')).${op}()`,
    );
  return Float64Array.from(x.contiguous().dataSync() as ArrayLike<number>, Number);
}

type CovOptions = { correction?: number; fweights?: Tensor | null; aweights?: Tensor | null };

/**
 * The covariance matrix of the variables in x's rows (observations in its columns; a 1-D x is
 * one variable), as torch.cov: `correction` 1 (Bessel's) by default, optional integer frequency
 * weights and float observation weights.
 */
export function cov(x: Tensor, ...rest: PyRest<[], CovOptions>): Tensor {
  const {
    correction = 1,
    fweights = null,
    aweights = null,
  } = pyArgs<Required<CovOptions>>(
    'cov',
    ['correction', 'fweights', 'aweights'],
    rest,
    { correction: is.int, fweights: is.tensorOrNull, aweights: is.tensorOrNull },
    0,
  );
  if (x.ndim > 2)
    throw new Error(
      `cov: expected input to have two or fewer dimensions but got an input with ${x.ndim} dimensions`,
    );
  const obs = x.ndim < 2 ? x.reshape([1, -1]) : x;
  const data = isFloating(obs.dtype) ? obs : obs.to('float32');
  const n = data.shape[1]!;
  let w: Tensor | null = null;
  if (fweights) {
    if (fweights.ndim > 1 || fweights.shape[0] !== n || isFloating(fweights.dtype))
      throw new Error(
        `cov: fweights must be a 1-D integer tensor with ${n} elements, got ${fweights.dtype} ${formatShape(fweights.shape)}`,
      );
    w = fweights;
  }
  if (aweights) {
    if (aweights.ndim > 1 || aweights.shape[0] !== n || !isFloating(aweights.dtype))
      throw new Error(
        `cov: aweights must be a 1-D floating-point tensor with ${n} elements, got ${aweights.dtype} ${formatShape(aweights.shape)}`,
      );
    w = w ? w.mul(aweights) : aweights;
  }
  let avg: Tensor;
  let wSum: Tensor | number;
  if (w) {
    const wf = w.to(data.dtype);
    wSum = wf.sum();
    avg = data.mul(wf).sum(1).div(wSum);
  } else {
    wSum = n;
    avg = data.mean(1);
  }
  // The normalisation: Σw − correction (× Σ(w·a)/Σw with observation weights), floored at 0.
  let norm: Tensor | number;
  if (w && aweights && correction !== 0)
    norm = (wSum as Tensor).sub(
      w.to(data.dtype).mul(aweights.to(data.dtype)).sum().mul(correction).div(wSum),
    );
  else norm = typeof wSum === 'number' ? wSum - correction : wSum.sub(correction);
  norm = typeof norm === 'number' ? Math.max(norm, 0) : norm.clamp(0);
  const centred = data.sub(avg.unsqueeze(1));
  const weighted = w ? centred.mul(w.to(data.dtype)) : centred;
  const c = weighted.matmul(centred.t()).div(norm);
  return x.ndim < 2 ? c.reshape([]) : c;
}

/** Pearson's correlation coefficients of the variables in x's rows, clamped to [−1, 1] (torch.corrcoef). */
export function corrcoef(x: Tensor): Tensor {
  const c = cov(x);
  if (c.ndim === 0) return c.div(c);
  const sd = c.diagonal().sqrt();
  return c.div(sd.unsqueeze(1)).div(sd.unsqueeze(0)).clamp(-1, 1);
}

/** (min, max) over all elements or `dim`, readable by name or position (torch.aminmax). */
export interface MinMax {
  min: Tensor;
  max: Tensor;
  [Symbol.iterator](): Iterator<Tensor>;
}

export function aminmax(x: Tensor, options: { dim?: number | null; keepdim?: boolean } = {}): MinMax {
  const { dim = null, keepdim = false } = pyArgs<{ dim: number | null; keepdim: boolean }>(
    'aminmax',
    ['dim', 'keepdim'],
    [options],
    { dim: is.orNull(is.int), keepdim: is.bool },
    0,
  );
  const [min, max] = dim === null ? [x.amin(), x.amax()] : [x.amin(dim, keepdim), x.amax(dim, keepdim)];
  const pair = [min, max] as const;
  return { min, max, [Symbol.iterator]: () => pair[Symbol.iterator]() };
}

/** How many elements are non-zero, over all or `dim` (int64), as torch.count_nonzero. */
export function countNonzero(x: Tensor, dim?: number | readonly number[] | null): Tensor {
  const nz = x.ne(0).to('int64');
  return dim === undefined || dim === null ? nz.sum() : nz.sum(dim as number | number[]);
}

type Interpolation = 'linear' | 'lower' | 'higher' | 'midpoint' | 'nearest';
type QuantileOptions = { dim?: number | null; keepdim?: boolean; interpolation?: Interpolation };

function quantileOf(
  op: string,
  x: Tensor,
  q: number | Tensor,
  ignoreNan: boolean,
  rest: readonly unknown[],
): Tensor {
  const {
    dim = null,
    keepdim = false,
    interpolation = 'linear',
  } = pyArgs<Required<QuantileOptions>>(op, ['dim', 'keepdim', 'interpolation'], rest, {
    dim: is.orNull(is.int),
    keepdim: is.bool,
    interpolation: is.oneOf('linear', 'lower', 'higher', 'midpoint', 'nearest'),
  });
  if (!isFloating(x.dtype)) throw new TypeError(`${op}() input tensor must be either float or double dtype`);
  const qs = typeof q === 'number' ? tensor(q, { dtype: x.dtype }) : q;
  if (qs.ndim > 1) throw new Error(`${op}() q must be a scalar or 1D tensor`);
  const qValues = cpuValues(op, qs);
  for (const v of qValues)
    if (!(v >= 0 && v <= 1)) throw new Error(`${op}() q values must be in the range [0, 1]`);
  // Sorted along the last dim (NaN last), the reduced dim moved there.
  const d = dim === null ? 0 : normalizeDim(op, dim, Math.max(1, x.ndim));
  const src = dim === null ? x.flatten() : x.ndim === 0 ? x.reshape([1]) : x.movedim(d, -1);
  const sorted = src.sort(-1).values;
  const size = sorted.shape[sorted.ndim - 1]!;
  const nanCount = sorted.isnan().sum(-1, true);
  // The valid count: all values (a NaN poisons the result) or the non-NaN ones.
  const valid = ignoreNan ? nanCount.neg().add(size) : tensor(size);
  const anyNan = nanCount.gt(0);
  const results = Array.from(qValues, (qv) => {
    const rank = valid.sub(1).clamp(0).to(x.dtype).mul(qv);
    const below = rank.floor();
    const above = rank.ceil();
    const pos = interpolation === 'higher' ? above : interpolation === 'nearest' ? rank.round() : below;
    const at = (p: Tensor) =>
      sorted.gather(
        -1,
        p
          .to('int64')
          .clamp(0, Math.max(0, size - 1))
          .expand([...sorted.shape.slice(0, -1), 1]),
      );
    let value = at(pos);
    if (interpolation === 'linear' || interpolation === 'midpoint') {
      const weight = interpolation === 'midpoint' ? tensor(0.5, { dtype: x.dtype }) : rank.sub(below);
      value = value.lerp(at(above), weight);
    }
    // No valid value (all NaN with ignoreNan), or any NaN without it: NaN, as torch.
    const nan = ignoreNan ? valid.eq(0) : anyNan;
    value = value.where(nan.logicalNot(), NaN);
    return value;
  });
  let out = cat(results, -1); // [..., nq]
  if (dim === null) {
    out = out.reshape([qValues.length]);
    if (keepdim) out = out.reshape([qValues.length, ...x.shape.map(() => 1)]);
  } else {
    out = out.movedim(-1, 0); // [nq, ...rest]
    if (keepdim) out = out.unsqueeze(d + 1);
  }
  return typeof q === 'number' || qs.ndim === 0 ? out.squeeze(0) : out;
}

/** The q-th quantiles (q a number or 1-D tensor in [0, 1]) over all or `dim`, as torch.quantile; a NaN makes it NaN. */
export function quantile(
  x: Tensor,
  q: number | Tensor,
  ...rest: PyRest<[dim: number | null, keepdim: boolean], QuantileOptions>
): Tensor {
  return quantileOf('quantile', x, q, false, rest);
}

/** torch.nanquantile: the quantiles of the non-NaN values. */
export function nanquantile(
  x: Tensor,
  q: number | Tensor,
  ...rest: PyRest<[dim: number | null, keepdim: boolean], QuantileOptions>
): Tensor {
  return quantileOf('nanquantile', x, q, true, rest);
}

/** The lower median of the non-NaN values, over all elements (torch.nanmedian without dim). */
export function nanmedian(x: Tensor): Tensor {
  return nanquantile(x, 0.5, { interpolation: 'lower' });
}

/**
 * A histogram of x's values in `bins` equal bins over [min, max] (the data's range when both are
 * 0; a value on max counts in the last bin; outside, in none), as torch.histc.
 */
export function histc(
  x: Tensor,
  ...rest: PyRest<[bins: number, min: number, max: number], { bins?: number; min?: number; max?: number }>
): Tensor {
  const {
    bins = 100,
    min = 0,
    max = 0,
  } = pyArgs<{ bins: number; min: number; max: number }>('histc', ['bins', 'min', 'max'], rest, {
    bins: is.positiveInt,
    min: is.number,
    max: is.number,
  });
  if (!isFloating(x.dtype))
    throw new TypeError(`histc: expected a floating-point tensor (as torch), got ${x.dtype}`);
  const values = cpuValues('histc', x);
  let [lo, hi] = [min, max];
  if (lo === hi && values.length > 0) {
    lo = Infinity;
    hi = -Infinity;
    for (const v of values) if (Number.isFinite(v)) [lo, hi] = [Math.min(lo, v), Math.max(hi, v)];
  }
  if (lo === hi) [lo, hi] = [lo - 1, hi + 1];
  if (lo > hi) throw new Error(`histc: max must be larger than min`);
  const counts = new Array<number>(bins).fill(0);
  for (const v of values) {
    if (!(v >= lo && v <= hi)) continue;
    counts[Math.min(bins - 1, Math.floor(((v - lo) * bins) / (hi - lo)))]!++;
  }
  return tensor(counts, { dtype: x.dtype });
}

/** How often each non-negative integer occurs (summing `weights` instead when given), at least minlength bins (torch.bincount). */
export function bincount(
  x: Tensor,
  ...rest: PyRest<
    [weights: Tensor | null, minlength: number],
    { weights?: Tensor | null; minlength?: number }
  >
): Tensor {
  const { weights = null, minlength = 0 } = pyArgs<{ weights: Tensor | null; minlength: number }>(
    'bincount',
    ['weights', 'minlength'],
    rest,
    { weights: is.tensorOrNull, minlength: is.nonNegativeInt },
  );
  if (x.ndim !== 1 || isFloating(x.dtype) || x.dtype === 'bool')
    throw new Error(
      `bincount only supports 1-d non-negative integral inputs (got ${x.dtype} ${formatShape(x.shape)})`,
    );
  const values = cpuValues('bincount', x);
  if (weights && (weights.ndim !== 1 || weights.shape[0] !== values.length))
    throw new Error(`bincount: weights should be 1-d and have the same length as input`);
  let top = -1;
  for (const v of values) {
    if (v < 0) throw new Error(`bincount only supports 1-d non-negative integral inputs (found ${v})`);
    top = Math.max(top, v);
  }
  const w = weights ? cpuValues('bincount', weights) : null;
  const counts = new Array<number>(Math.max(minlength, top + 1)).fill(0);
  values.forEach((v, i) => (counts[v]! += w ? w[i]! : 1));
  const dtype = weights ? (weights.dtype === 'float64' ? 'float64' : 'float32') : 'int64';
  return tensor(counts, { dtype });
}

type SearchOptions = { outInt32?: boolean; right?: boolean; side?: 'left' | 'right' | null };

/** The index in the sorted `boundaries` where each value goes (the first boundary ≥ it; > with right), as torch.bucketize. */
export function bucketize(
  x: Tensor,
  boundaries: Tensor,
  options: { outInt32?: boolean; right?: boolean } = {},
): Tensor {
  const { outInt32 = false, right = false } = pyArgs<{ outInt32: boolean; right: boolean }>(
    'bucketize',
    ['outInt32', 'right'],
    [options],
    { outInt32: is.bool, right: is.bool },
    0,
  );
  if (boundaries.ndim !== 1)
    throw new Error(`bucketize: boundaries tensor must be 1 dimension, but got dim(${boundaries.ndim})`);
  return searchRows('bucketize', cpuValues('bucketize', boundaries), 1, x, right, outInt32);
}

/**
 * Where each of `values` would go in the sorted last dim of `sorted` (rows matching values' leading
 * dims, or one 1-D sequence for all), as torch.searchsorted.
 */
export function searchsorted(sorted: Tensor, values: Tensor | number, options: SearchOptions = {}): Tensor {
  const {
    outInt32 = false,
    right = false,
    side = null,
  } = pyArgs<Required<SearchOptions>>(
    'searchsorted',
    ['outInt32', 'right', 'side'],
    [options],
    { outInt32: is.bool, right: is.bool, side: is.orNull(is.oneOf('left', 'right')) },
    0,
  );
  if (side === 'left' && right)
    throw new Error(
      `searchsorted: side and right can't be set to opposites, got side of left while right was True`,
    );
  const v = typeof values === 'number' ? tensor(values, { dtype: sorted.dtype }) : values;
  const seq = cpuValues('searchsorted', sorted);
  if (
    sorted.ndim > 1 &&
    (v.ndim !== sorted.ndim || !v.shape.slice(0, -1).every((d, i) => d === sorted.shape[i]))
  )
    throw new Error(
      `searchsorted: boundaries tensor should be 1 dimension or the first N-1 dimensions of boundaries tensor and input value tensor must match, but we got boundaries tensor ${formatShape(sorted.shape)} and input value tensor ${formatShape(v.shape)}`,
    );
  const rows = sorted.ndim <= 1 ? 1 : sorted.numel() / sorted.shape[sorted.ndim - 1]!;
  return searchRows('searchsorted', seq, rows, v, right || side === 'right', outInt32);
}

function searchRows(
  op: string,
  seq: Float64Array,
  rows: number,
  x: Tensor,
  right: boolean,
  int32: boolean,
): Tensor {
  const values = cpuValues(op, x);
  const len = seq.length / rows;
  const perRow = rows === 1 ? values.length : values.length / rows;
  const out = Array.from(values, (v, i) => {
    const base = rows === 1 ? 0 : Math.floor(i / perRow) * len;
    let [lo, hi] = [0, len];
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const s = seq[base + mid]!;
      // NaN sorts last: every number goes before it.
      if (right ? !(s > v) && !Number.isNaN(s) : s < v) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  });
  return tensor(out, { dtype: int32 ? 'int32' : 'int64' }).reshape(x.shape);
}

/** Whether each element is among `test` (inverted with invert), as torch.isin. */
export function isin(x: Tensor | number, test: Tensor | number, options: { invert?: boolean } = {}): Tensor {
  const { invert = false } = pyArgs<{ invert: boolean }>(
    'isin',
    ['invert'],
    [options],
    { invert: is.bool },
    0,
  );
  const elements = typeof x === 'number' ? tensor(x) : x;
  const set = new Set(typeof test === 'number' ? [test] : cpuValues('isin', test));
  const found = Array.from(cpuValues('isin', elements), (v) => set.has(v) !== invert);
  return tensor(found, { dtype: 'bool' }).reshape(elements.shape);
}

type TrapezoidOptions = { x?: Tensor | null; dx?: number | null; dim?: number };

function spacing(op: string, y: Tensor, rest: readonly unknown[]): { d: number; widths: Tensor | number } {
  const first = rest[0];
  const fromTensor =
    first !== undefined && first !== null && typeof first === 'object' && 'shape' in (first as object);
  const {
    x = null,
    dx = null,
    dim = -1,
  } = pyArgs<Required<TrapezoidOptions>>(
    op,
    ['x', 'dx', 'dim'],
    fromTensor ? [{ x: first }, ...rest.slice(1)] : rest,
    { x: is.tensorOrNull, dx: is.orNull(is.number), dim: is.int },
    0,
  );
  if (x && dx !== null) throw new Error(`${op}: give x or dx, not both`);
  const d = normalizeDim(op, dim, y.ndim);
  if (!x) return { d, widths: dx ?? 1 };
  const n = y.shape[d]!;
  const xs = x.ndim === 1 ? x : x.movedim(normalizeDim(op, dim, x.ndim), -1);
  const widths = xs.narrow(-1, 1, n - 1).sub(xs.narrow(-1, 0, n - 1));
  return { d, widths: x.ndim === 1 ? widths : widths.movedim(-1, d) };
}

/** The trapezoids' areas along the dim: (y[i] + y[i+1])/2 · width, and that dim. */
function trapezoids(op: string, y: Tensor, rest: readonly unknown[]): { areas: Tensor; d: number } {
  const { d, widths } = spacing(op, y, rest);
  const n = y.shape[d]!;
  const mids = y
    .narrow(d, 1, n - 1)
    .add(y.narrow(d, 0, n - 1))
    .mul(0.5);
  const w =
    typeof widths === 'number'
      ? widths
      : widths.ndim === 1
        ? widths.reshape(y.shape.map((s, i) => (i === d ? n - 1 : 1)))
        : widths;
  return { areas: mids.mul(w), d };
}

/** ∫ y along `dim` by the trapezoid rule, with sample points x or spacing dx (1), as torch.trapezoid. */
export function trapezoid(y: Tensor, ...rest: unknown[]): Tensor {
  const { d } = spacing('trapezoid', y, rest);
  if (y.shape[d] === 0) return y.sum(d).mul(0);
  const { areas } = trapezoids('trapezoid', y, rest);
  return areas.sum(d);
}

/** The running trapezoid integrals (one fewer than y along dim), as torch.cumulative_trapezoid. */
export function cumulativeTrapezoid(y: Tensor, ...rest: unknown[]): Tensor {
  const { d } = spacing('cumulative_trapezoid', y, rest);
  if (y.shape[d]! <= 1) return y.narrow(d, 0, 0);
  const { areas } = trapezoids('cumulative_trapezoid', y, rest);
  return areas.cumsum(d);
}
