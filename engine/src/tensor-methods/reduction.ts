// Reductions, softmax and products (x.sum(1) ≡ sum(x, 1); x.matmul(y) ≡ matmul(x, y)).
// Each method is written once here; tensor-methods.ts installs it on Tensor and merges its
// signature into the Tensor type.
import type { Tensor } from '../tensor.ts';
import * as R from '../functional/reductions.ts';
import * as L from '../functional/linalg.ts';
import type { Dims } from './args.ts';

export class ReductionMethods {
  sum(this: Tensor, dim?: Dims, keepdim?: boolean): Tensor {
    return R.sum(this, dim, keepdim);
  }

  mean(this: Tensor, dim?: Dims, keepdim?: boolean): Tensor {
    return R.mean(this, dim, keepdim);
  }

  var(this: Tensor, dim?: Dims, opts?: R.VarOptions): Tensor {
    return R.var_(this, dim, opts);
  }

  std(this: Tensor, dim?: Dims, opts?: R.VarOptions): Tensor {
    return R.std(this, dim, opts);
  }

  prod(this: Tensor, dim?: Dims, keepdim?: boolean): Tensor {
    return R.prod(this, dim, keepdim);
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
