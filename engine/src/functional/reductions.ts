// Reductions built on the sum/prod/amax/amin primitives, plus the non-differentiable
// argmax/argmin/all/any. Softmax-family functions shift by a detached max for stability.
import { isFloating } from '../dtype.ts';
import { normalizeDim, normalizeDims } from '../shape.ts';
import type { Tensor } from '../tensor.ts';
import { fromBuffer, kernelsOf } from '../ops/make.ts';
import { amax, amin, prodRaw, sumRaw } from '../ops/reduce.ts';
import { cumsumRaw } from '../ops/cumsum.ts';
import { cast } from '../ops/cast.ts';
import { exp, log, sqrt } from '../ops/unary.ts';
import { add, div, mul, sub } from '../ops/binary.ts';
import { isinf, ne } from '../ops/compare.ts';
import { where } from '../ops/where.ts';
import { gatherRaw } from '../ops/gather.ts';
import { reshapeRaw } from '../ops/views.ts';
import { fusable, fusedLogSoftmax, fusedSoftmax } from '../ops/softmax.ts';
import { noGrad } from '../autograd/grad-mode.ts';
import { valuesIndices, type ValuesIndices } from './sorting.ts';
import { pyArgs, is } from '../args.ts';
import type { DType } from '../dtype.ts';

export type Dims = number | readonly number[] | undefined;

function reducedCount(x: Tensor, dim: Dims): number {
  if (dim === undefined) return x.numel();
  const dims = normalizeDims('mean', typeof dim === 'number' ? [dim] : dim, x.ndim);
  return dims.reduce((p, d) => p * x.shape[d]!, 1);
}

export interface ReduceOptions {
  dim?: Dims | null;
  keepdim?: boolean;
  /** The dtype the input is cast to before reducing (torch's dtype= keyword). */
  dtype?: DType;
}
export type ReduceRest = [
  dim?: Dims | null | ReduceOptions,
  keepdim?: boolean | ReduceOptions,
  options?: ReduceOptions,
];

/** sum/mean/prod's arguments: (dim, keepdim) positionally, and dim/keepdim/dtype by name. */
function reduceArgs(fn: string, x: Tensor, rest: readonly unknown[]): [Tensor, Dims, boolean] {
  const o = pyArgs<ReduceOptions & Record<string, unknown>>(
    fn,
    ['dim', 'keepdim', 'dtype'],
    rest,
    {
      dim: (v) =>
        v === null || Number.isInteger(v) || (Array.isArray(v) && v.every(Number.isInteger))
          ? null
          : 'must be a dim or a list of dims',
      keepdim: is.bool,
      dtype: is.dtype,
    },
    2,
  );
  const input = o.dtype && o.dtype !== x.dtype ? cast(x, o.dtype) : x;
  return [input, o.dim ?? undefined, o.keepdim ?? false];
}

/** (dim, keepdim) given plainly: the hot path, which needs no options parsing. */
const plain = (rest: readonly unknown[]): boolean =>
  rest.length <= 2 &&
  (rest[0] === undefined || typeof rest[0] === 'number' || Array.isArray(rest[0])) &&
  (rest[1] === undefined || typeof rest[1] === 'boolean');

export function sum(x: Tensor, ...rest: ReduceRest): Tensor {
  if (plain(rest)) return sumRaw(x, rest[0] as Dims, (rest[1] as boolean | undefined) ?? false);
  const [input, dim, keepdim] = reduceArgs('sum', x, rest);
  return sumRaw(input, dim, keepdim);
}
export function prod(x: Tensor, ...rest: ReduceRest): Tensor {
  const [input, dim, keepdim] = reduceArgs('prod', x, rest);
  return prodRaw(input, dim, keepdim);
}
export { amax, amin };

export function mean(x0: Tensor, ...rest: ReduceRest): Tensor {
  const [x, dim, keepdim] = plain(rest)
    ? [x0, rest[0] as Dims, (rest[1] as boolean | undefined) ?? false]
    : reduceArgs('mean', x0, rest);
  if (!isFloating(x.dtype))
    throw new Error(
      `mean(): could not infer output dtype. Input dtype must be either a floating point or complex dtype. Got: ${x.dtype}`,
    );
  return div(sumRaw(x, dim, keepdim), reducedCount(x, dim));
}

export interface VarOptions {
  /** Bessel's correction: 1 (default) for the sample variance, 0 for the population variance. */
  correction?: number;
  keepdim?: boolean;
}

function variance(x: Tensor, dim: Dims, { correction = 1, keepdim = false }: VarOptions): Tensor {
  const centered = sub(x, mean(x, dim, true));
  const n = reducedCount(x, dim);
  return div(sumRaw(mul(centered, centered), dim, keepdim), Math.max(0, n - correction));
}

export const var_ = (x: Tensor, dim?: Dims, options: VarOptions = {}): Tensor => variance(x, dim, options);
export const std = (x: Tensor, dim?: Dims, options: VarOptions = {}): Tensor =>
  sqrt(variance(x, dim, options));

export type { ValuesIndices };

function argReduce(op: 'argmax' | 'argmin', x: Tensor, dim: number | undefined, keepdim: boolean): Tensor {
  if (dim === undefined) {
    const flat = reshapeRaw(x, [x.numel()]);
    const out = argReduce(op, flat, 0, false);
    return keepdim
      ? reshapeRaw(
          out,
          x.shape.map(() => 1),
        )
      : out;
  }
  const d = normalizeDim(op, dim, x.ndim);
  const buffer = kernelsOf(x).argReduce(op, x.view_(), x.ndim === 0 ? 0 : d);
  const shape =
    x.ndim === 0
      ? []
      : keepdim
        ? x.shape.map((s, i) => (i === d ? 1 : s))
        : x.shape.filter((_, i) => i !== d);
  return fromBuffer(x.storage.backend, buffer, shape, 'int64');
}

export const argmax = (x: Tensor, dim?: number, keepdim = false): Tensor =>
  argReduce('argmax', x, dim, keepdim);
export const argmin = (x: Tensor, dim?: number, keepdim = false): Tensor =>
  argReduce('argmin', x, dim, keepdim);

/** max(x) → the largest value; max(x, dim) → {values, indices}, with gradient to the index only. */
export function max(x: Tensor): Tensor;
export function max(x: Tensor, dim: number, keepdim?: boolean): ValuesIndices;
export function max(x: Tensor, dim?: number, keepdim = false): Tensor | ValuesIndices {
  return extreme('argmax', x, dim, keepdim);
}

export function min(x: Tensor): Tensor;
export function min(x: Tensor, dim: number, keepdim?: boolean): ValuesIndices;
export function min(x: Tensor, dim?: number, keepdim = false): Tensor | ValuesIndices {
  return extreme('argmin', x, dim, keepdim);
}

function extreme(
  op: 'argmax' | 'argmin',
  x: Tensor,
  dim: number | undefined,
  keepdim: boolean,
): Tensor | ValuesIndices {
  if (dim === undefined) return op === 'argmax' ? amax(x) : amin(x);
  const d = normalizeDim(op === 'argmax' ? 'max' : 'min', dim, x.ndim);
  const kept = argReduce(op, x, d, true);
  const values = x.ndim === 0 ? x : gatherRaw(x, d, kept);
  if (keepdim || x.ndim === 0) return valuesIndices(values, kept);
  const shape = x.shape.filter((_, i) => i !== d);
  return valuesIndices(reshapeRaw(values, shape), reshapeRaw(kept, shape));
}

/** A detached max along dims, with ±inf replaced by 0 so that the shift never makes NaN. */
function stableShift(x: Tensor, dim: Dims): Tensor {
  const m = amax(x.detach(), dim, true);
  return where(isinf(m), 0, m);
}

export function logsumexp(x: Tensor, dim: Dims, keepdim = false): Tensor {
  const floatX = isFloating(x.dtype) ? x : cast(x, 'float32');
  const m = stableShift(floatX, dim);
  const lse = add(log(sumRaw(exp(sub(floatX, m)), dim, true)), m);
  return keepdim ? lse : reshapeRaw(lse, squeezedShape(x, dim));
}

function squeezedShape(x: Tensor, dim: Dims): number[] {
  const dims =
    dim === undefined
      ? x.shape.map((_, i) => i)
      : normalizeDims('reduce', typeof dim === 'number' ? [dim] : dim, x.ndim);
  return x.shape.filter((_, i) => !dims.includes(i));
}

function composedSoftmax(floatX: Tensor, dim: number): Tensor {
  const e = exp(sub(floatX, stableShift(floatX, dim)));
  return div(e, sumRaw(e, dim, true));
}

function composedLogSoftmax(floatX: Tensor, dim: number): Tensor {
  const shifted = sub(floatX, stableShift(floatX, dim));
  return sub(shifted, log(sumRaw(exp(shifted), dim, true)));
}

export function softmax(x: Tensor, dim: number): Tensor {
  const floatX = isFloating(x.dtype) ? x : cast(x, 'float32');
  const d = floatX.ndim === 0 ? dim : normalizeDim('softmax', dim, floatX.ndim);
  if (fusable(floatX, d)) return fusedSoftmax(floatX, d, (t) => noGrad(() => composedSoftmax(t, d)));
  return composedSoftmax(floatX, dim);
}

export function logSoftmax(x: Tensor, dim: number): Tensor {
  const floatX = isFloating(x.dtype) ? x : cast(x, 'float32');
  const d = floatX.ndim === 0 ? dim : normalizeDim('logSoftmax', dim, floatX.ndim);
  if (fusable(floatX, d)) return fusedLogSoftmax(floatX, d, (t) => noGrad(() => composedLogSoftmax(t, d)));
  return composedLogSoftmax(floatX, dim);
}

export { norm } from './norm.ts';

export function cumsum(x: Tensor, dim: number): Tensor {
  return cumsumRaw(x, x.ndim === 0 ? 0 : normalizeDim('cumsum', dim, x.ndim));
}

function truth(op: 'all' | 'any', x: Tensor, dim: number | undefined, keepdim: boolean): Tensor {
  const asBool = cast(ne(x, 0), 'int32');
  const reduced = op === 'all' ? amin(asBool, dim, keepdim) : amax(asBool, dim, keepdim);
  return cast(reduced, 'bool');
}

export const all = (x: Tensor, dim?: number, keepdim = false): Tensor =>
  x.numel() === 0 && dim === undefined
    ? cast(ne(sumRaw(cast(x, 'int32')), 1), 'bool')
    : truth('all', x, dim, keepdim);
export const any = (x: Tensor, dim?: number, keepdim = false): Tensor =>
  x.numel() === 0 && dim === undefined
    ? cast(ne(sumRaw(cast(x, 'int32')), 0), 'bool')
    : truth('any', x, dim, keepdim);
