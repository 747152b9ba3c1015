// Reductions, softmax and products (x.sum(1) ≡ sum(x, 1); x.matmul(y) ≡ matmul(x, y)).
// Each method is written once here; tensor-methods.ts installs it on Tensor and merges its
// signature into the Tensor type.
import type { Tensor } from '../tensor.ts';
import * as R from '../functional/reductions.ts';
import * as S from '../functional/sorting.ts';
import * as N from '../functional/numeric.ts';
import * as L from '../functional/linalg.ts';
import type { Dims } from './args.ts';

export class ReductionMethods {
  /** sum(dim, keepdim), or with options {dim, keepdim, dtype} (the input is cast to dtype first). */
  sum(this: Tensor, ...rest: R.ReduceRest): Tensor {
    return R.sum(this, ...rest);
  }

  mean(this: Tensor, ...rest: R.ReduceRest): Tensor {
    return R.mean(this, ...rest);
  }

  var(this: Tensor, dim?: Dims, opts?: R.VarOptions): Tensor {
    return R.var_(this, dim, opts);
  }

  std(this: Tensor, dim?: Dims, opts?: R.VarOptions): Tensor {
    return R.std(this, dim, opts);
  }

  prod(this: Tensor, ...rest: R.ReduceRest): Tensor {
    return R.prod(this, ...rest);
  }

  amax(this: Tensor, dim?: Dims, keepdim?: boolean): Tensor {
    return R.amax(this, dim, keepdim);
  }

  amin(this: Tensor, dim?: Dims, keepdim?: boolean): Tensor {
    return R.amin(this, dim, keepdim);
  }

  max(this: Tensor): Tensor;
  max(this: Tensor, dim: number, keepdim?: boolean): R.ValuesIndices;
  max(this: Tensor, dim?: number, keepdim?: boolean): Tensor | R.ValuesIndices {
    return dim === undefined ? R.max(this) : R.max(this, dim, keepdim);
  }

  min(this: Tensor): Tensor;
  min(this: Tensor, dim: number, keepdim?: boolean): R.ValuesIndices;
  min(this: Tensor, dim?: number, keepdim?: boolean): Tensor | R.ValuesIndices {
    return dim === undefined ? R.min(this) : R.min(this, dim, keepdim);
  }

  argmax(this: Tensor, dim?: number, keepdim?: boolean): Tensor {
    return R.argmax(this, dim, keepdim);
  }

  argmin(this: Tensor, dim?: number, keepdim?: boolean): Tensor {
    return R.argmin(this, dim, keepdim);
  }

  logsumexp(this: Tensor, dim: Dims, keepdim?: boolean): Tensor {
    return R.logsumexp(this, dim, keepdim);
  }

  softmax(this: Tensor, dim: number): Tensor {
    return R.softmax(this, dim);
  }

  logSoftmax(this: Tensor, dim: number): Tensor {
    return R.logSoftmax(this, dim);
  }

  norm(this: Tensor, p?: number, dim?: Dims, keepdim?: boolean): Tensor {
    return R.norm(this, p, dim, keepdim);
  }

  cumsum(this: Tensor, dim: number): Tensor {
    return R.cumsum(this, dim);
  }

  cumprod(this: Tensor, dim: number): Tensor {
    return N.cumprod(this, dim);
  }

  cummax(this: Tensor, dim: number): S.ValuesIndices {
    return S.cummax(this, dim);
  }

  cummin(this: Tensor, dim: number): S.ValuesIndices {
    return S.cummin(this, dim);
  }

  logcumsumexp(this: Tensor, dim: number): Tensor {
    return N.logcumsumexp(this, dim);
  }

  /** Values along a dim in order, and their indices: x.sort(dim, descending) or x.sort({…}). */
  sort(
    this: Tensor,
    ...rest: Parameters<typeof S.sort> extends [Tensor, ...infer R] ? R : never
  ): S.ValuesIndices {
    return S.sort(this, ...rest);
  }

  argsort(
    this: Tensor,
    ...rest: Parameters<typeof S.argsort> extends [Tensor, ...infer R] ? R : never
  ): Tensor {
    return S.argsort(this, ...rest);
  }

  topk(
    this: Tensor,
    k: number,
    ...rest: Parameters<typeof S.topk> extends [Tensor, number, ...infer R] ? R : never
  ): S.ValuesIndices {
    return S.topk(this, k, ...rest);
  }

  kthvalue(this: Tensor, k: number, dim?: number, keepdim?: boolean): S.ValuesIndices {
    return S.kthvalue(this, k, dim, keepdim);
  }

  median(this: Tensor): Tensor;
  median(this: Tensor, dim: number, keepdim?: boolean): S.ValuesIndices;
  median(this: Tensor, dim?: number, keepdim?: boolean): Tensor | S.ValuesIndices {
    return dim === undefined ? S.median(this) : S.median(this, dim, keepdim);
  }

  mode(this: Tensor, dim?: number, keepdim?: boolean): S.ValuesIndices {
    return S.mode(this, dim, keepdim);
  }

  unique(this: Tensor, options?: S.UniqueOptions): ReturnType<typeof S.unique> {
    return S.unique(this, options);
  }

  all(this: Tensor, dim?: number, keepdim?: boolean): Tensor {
    return R.all(this, dim, keepdim);
  }

  any(this: Tensor, dim?: number, keepdim?: boolean): Tensor {
    return R.any(this, dim, keepdim);
  }

  matmul(this: Tensor, o: Tensor): Tensor {
    return L.matmul(this, o);
  }

  mm(this: Tensor, o: Tensor): Tensor {
    return L.mm(this, o);
  }

  bmm(this: Tensor, o: Tensor): Tensor {
    return L.bmm(this, o);
  }

  dot(this: Tensor, o: Tensor): Tensor {
    return L.dot(this, o);
  }

  outer(this: Tensor, o: Tensor): Tensor {
    return L.outer(this, o);
  }
}
