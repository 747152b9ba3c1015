// torch.nn.functional, part 3: normalize, one_hot, glu, softmin, interpolate (nearest, linear,
// bilinear; align_corners) and the indexing helpers masked_select and scatter_reduce.
import { pyArgs, is, type PyRest } from '../args.ts';
import { tensor, zeros } from '../creation.ts';
import { formatShape, normalizeDim } from '../shape.ts';
import type { Tensor } from '../tensor.ts';
import { norm } from '../functional/norm.ts';
import { scatterValues } from '../functional/scatter-values.ts';
import { softmax } from '../functional/reductions.ts';

/** x / max(‖x‖ₚ, eps) along `dim` (torch.nn.functional.normalize). */
export function normalize(
  x: Tensor,
  ...rest: PyRest<[p: number, dim: number, eps: number], { p?: number; dim?: number; eps?: number }>
): Tensor {
  const o = pyArgs<{ p: number; dim: number; eps: number }>('normalize', ['p', 'dim', 'eps'], rest, {
    p: is.number,
    dim: is.int,
    eps: is.nonNegative,
  });
  const { p = 2, dim = 1, eps = 1e-12 } = o;
  const d = normalizeDim('normalize', dim, x.ndim);
  return x.div(norm(x, p, d, true).clamp(eps).expandAs(x));
}

/** Class indices → one-hot rows (int), with `numClasses` columns (−1: the largest index + 1). */
export function oneHot(indices: Tensor, numClasses = -1): Tensor {
  if (indices.dtype !== 'int64' && indices.dtype !== 'int32')
    throw new TypeError(`oneHot: expected an int64 (or int32) tensor of class indices, got ${indices.dtype}`);
  const values = indices.dataSync();
  let max = -1;
  for (const v of values) {
    if (v < 0) throw new Error(`oneHot: class values must be non-negative, got ${v}`);
    max = Math.max(max, v);
  }
  const classes = numClasses === -1 ? max + 1 : numClasses;
  if (max >= classes)
    throw new Error(`oneHot: class values must be smaller than num_classes (${classes}), got ${max}`);
  const out = new Float64Array(values.length * classes);
  values.forEach((v, i) => (out[i * classes + v] = 1));
  return tensor(out, { shape: [...indices.shape, classes], dtype: 'int64', device: indices.device });
}

/** Gated linear unit: the first half of `dim` times the sigmoid of the second half. */
export function glu(x: Tensor, dim = -1): Tensor {
  const d = normalizeDim('glu', dim, x.ndim);
  const n = x.shape[d]!;
  if (n % 2 !== 0) throw new Error(`glu: halving dimension must be even, but dimension ${d} is size ${n}`);
  return x.narrow(d, 0, n / 2).mul(x.narrow(d, n / 2, n / 2).sigmoid());
}

/** softmax(−x) along `dim`. */
export const softmin = (x: Tensor, dim: number): Tensor => softmax(x.neg(), dim);

/** The elements where `mask` (broadcast to x) is true, as a 1-D tensor. */
export function maskedSelect(x: Tensor, mask: Tensor): Tensor {
  if (mask.dtype !== 'bool') throw new TypeError(`maskedSelect: expected a bool mask, got ${mask.dtype}`);
  const shape = x.shape.length >= mask.shape.length ? x.shape : mask.shape;
  return x.expand(shape).index(mask.expand(shape));
}

export type InterpolationMode = 'nearest' | 'linear' | 'bilinear' | 'trilinear';

export interface InterpolateOptions {
  size?: number | readonly number[] | null;
  scaleFactor?: number | readonly number[] | null;
  mode?: InterpolationMode;
  alignCorners?: boolean | null;
}

/** Where output position i samples the input along one dim (PyTorch's source index rule). */
function source(
  i: number,
  inSize: number,
  outSize: number,
  scale: number | null,
  mode: InterpolationMode,
  align: boolean,
): number {
  if (mode === 'nearest') {
    const s = scale !== null ? 1 / scale : inSize / outSize;
    return Math.min(Math.floor(i * s), inSize - 1);
  }
  if (align) return outSize > 1 ? (i * (inSize - 1)) / (outSize - 1) : 0;
  const s = scale !== null ? 1 / scale : inSize / outSize;
  return Math.max(0, (i + 0.5) * s - 0.5);
}

/** Resamples one spatial dim: nearest picks, linear blends the two neighbours. */
function resampleDim(
  x: Tensor,
  dim: number,
  outSize: number,
  scale: number | null,
  mode: InterpolationMode,
  align: boolean,
): Tensor {
  const n = x.shape[dim]!;
  const device = x.device;
  const positions = Array.from({ length: outSize }, (_, i) => source(i, n, outSize, scale, mode, align));
  if (mode === 'nearest') return x.indexSelect(dim, tensor(positions, { dtype: 'int32', device }));
  const lo = positions.map((p) => Math.min(Math.floor(p), n - 1));
  const hi = lo.map((l) => Math.min(l + 1, n - 1));
  const weights = positions.map((p, i) => p - lo[i]!);
  const shape = x.shape.map((_, i) => (i === dim ? outSize : 1));
  const w = tensor(weights, { dtype: x.dtype, device }).reshape(shape);
  const a = x.indexSelect(dim, tensor(lo, { dtype: 'int32', device }));
  const b = x.indexSelect(dim, tensor(hi, { dtype: 'int32', device }));
  return a.add(b.sub(a).mul(w));
}

/** torch.nn.functional.interpolate over the spatial dims of [N, C, *spatial]. */
export function interpolate(input: Tensor, options?: InterpolateOptions): Tensor;
export function interpolate(
  input: Tensor,
  ...rest: PyRest<
    [
      size: number | readonly number[] | null,
      scaleFactor: number | readonly number[] | null,
      mode: InterpolationMode,
      alignCorners: boolean | null,
    ],
    InterpolateOptions
  >
): Tensor;
export function interpolate(input: Tensor, ...rest: unknown[]): Tensor {
  const o = pyArgs<InterpolateOptions & Record<string, unknown>>(
    'interpolate',
    ['size', 'scaleFactor', 'mode', 'alignCorners'],
    rest,
    {
      mode: is.oneOf('nearest', 'linear', 'bilinear', 'trilinear'),
      alignCorners: is.orNull(is.bool),
    },
  );
  const mode = o.mode ?? 'nearest';
  const spatial = input.ndim - 2;
  if (spatial < 1 || spatial > 3)
    throw new Error(
      `interpolate: expected a 3-D, 4-D or 5-D input [N, C, *spatial], got ${formatShape(input.shape)}`,
    );
  const expected = { linear: 1, bilinear: 2, trilinear: 3, nearest: spatial }[mode];
  if (expected !== spatial)
    throw new Error(
      `interpolate: mode '${mode}' expects a ${expected + 2}-D input, got ${formatShape(input.shape)}`,
    );
  if (mode === 'nearest' && o.alignCorners)
    throw new Error('interpolate: align_corners only has an effect with the linear modes');
  if ((o.size === undefined || o.size === null) === (o.scaleFactor === undefined || o.scaleFactor === null))
    throw new Error('interpolate: give exactly one of size or scale_factor');
  const inSizes = input.shape.slice(2);
  const list = (v: number | readonly number[]) =>
    typeof v === 'number' ? new Array<number>(spatial).fill(v) : [...v];
  const scales = o.scaleFactor !== undefined && o.scaleFactor !== null ? list(o.scaleFactor) : null;
  const outSizes =
    o.size !== undefined && o.size !== null
      ? list(o.size)
      : inSizes.map((s, i) => Math.floor(s * scales![i]!));
  if (outSizes.length !== spatial || outSizes.some((s) => !Number.isInteger(s) || s < 1))
    throw new Error(
      `interpolate: output size must be ${spatial} positive integers, got [${outSizes.join(', ')}]`,
    );
  let out = input;
  for (let i = 0; i < spatial; i++)
    out = resampleDim(out, 2 + i, outSizes[i]!, scales ? scales[i]! : null, mode, o.alignCorners ?? false);
  return out;
}

export type ScatterReduce = 'sum' | 'prod' | 'mean' | 'amax' | 'amin';

/**
 * torch.scatter_reduce: src values reduced into x's positions named by `index` along `dim`.
 * sum and mean are differentiable; prod, amax and amin give values only (no gradient), which is
 * said with an error rather than returned wrong.
 */
export function scatterReduce(
  x: Tensor,
  dim: number,
  index: Tensor,
  src: Tensor,
  reduce: ScatterReduce,
  options: { includeSelf?: boolean } = {},
): Tensor {
  const { includeSelf = true } = pyArgs<{ includeSelf: boolean }>(
    'scatterReduce',
    ['includeSelf'],
    [options],
    {
      includeSelf: is.bool,
    },
  );
  const d = normalizeDim('scatterReduce', dim, x.ndim);
  if (reduce === 'sum' || reduce === 'mean') {
    const base = includeSelf ? x : x.scatter(d, index, 0);
    const summed = base.scatterAdd(d, index, src);
    if (reduce === 'sum') return summed;
    const ones = zeros(src.shape, { dtype: x.dtype, device: x.device }).add(1);
    const counts = zeros(x.shape, { dtype: x.dtype, device: x.device })
      .add(includeSelf ? 1 : 0)
      .scatterAdd(d, index, ones);
    return summed.div(counts.clamp(1));
  }
  return scatterValues('scatterReduce', x, d, index, src, reduce, includeSelf);
}

/** torch.nn.functional.upsample (deprecated there in favour of interpolate): interpolate. */
export const upsample = (input: Tensor, options?: InterpolateOptions): Tensor =>
  interpolate(input, options ?? {});
/** torch.nn.functional.upsample_nearest: nearest-neighbour interpolation to a size or by a scale. */
export const upsampleNearest = (
  input: Tensor,
  options: { size?: number | readonly number[] | null; scaleFactor?: number | readonly number[] | null },
): Tensor => interpolate(input, { ...options, mode: 'nearest' });
/** torch.nn.functional.upsample_bilinear: bilinear with align_corners=True, as torch's. */
export const upsampleBilinear = (
  input: Tensor,
  options: { size?: number | readonly number[] | null; scaleFactor?: number | readonly number[] | null },
): Tensor => interpolate(input, { ...options, mode: 'bilinear', alignCorners: true });
