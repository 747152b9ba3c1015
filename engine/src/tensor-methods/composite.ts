// The composed ops' methods (x.addmm(a, b) ≡ addmm(x, a, b); x.tile([2, 1]) ≡ tile(x, [2, 1]));
// tensor-methods.ts installs them on Tensor and merges their signatures into the Tensor type.
import type { Tensor } from '../tensor.ts';
import type { PyRest } from '../args.ts';
import * as P from '../functional/products.ts';
import * as N from '../functional/numeric-extra.ts';
import * as St from '../functional/stacking.ts';
import * as Sq from '../functional/linalg-square.ts';
import type { Dims } from './args.ts';

type NanToNumRest = PyRest<
  [nan: number, posinf: number, neginf: number],
  { nan?: number; posinf?: number; neginf?: number }
>;
type DiffRest = PyRest<
  [n: number, dim: number, prepend: Tensor | null, append: Tensor | null],
  { n?: number; dim?: number; prepend?: Tensor | null; append?: Tensor | null }
>;

export class CompositeMethods {
  addmm(this: Tensor, mat1: Tensor, mat2: Tensor, options?: { beta?: number; alpha?: number }): Tensor {
    return P.addmm(this, mat1, mat2, options);
  }

  baddbmm(this: Tensor, batch1: Tensor, batch2: Tensor, options?: { beta?: number; alpha?: number }): Tensor {
    return P.baddbmm(this, batch1, batch2, options);
  }

  addcmul(this: Tensor, t1: Tensor, t2: Tensor, options?: { value?: number }): Tensor {
    return P.addcmul(this, t1, t2, options);
  }

  addcdiv(this: Tensor, t1: Tensor, t2: Tensor, options?: { value?: number }): Tensor {
    return P.addcdiv(this, t1, t2, options);
  }

  inverse(this: Tensor): Tensor {
    return Sq.inv(this);
  }

  det(this: Tensor): Tensor {
    return Sq.det(this);
  }

  logdet(this: Tensor): Tensor {
    return Sq.logdet(this);
  }

  slogdet(this: Tensor): Sq.SignLogAbsDet {
    return Sq.slogdet(this);
  }

  matrixPower(this: Tensor, k: number): Tensor {
    return Sq.matrixPower(this, k);
  }

  trace(this: Tensor): Tensor {
    return P.trace(this);
  }

  cross(this: Tensor, other: Tensor, dim?: number): Tensor {
    return P.cross(this, other, dim);
  }

  nanToNum(this: Tensor, ...rest: NanToNumRest): Tensor {
    return N.nanToNum(this, ...rest);
  }

  logit(this: Tensor, eps?: number | null): Tensor {
    return N.logit(this, eps);
  }

  xlogy(this: Tensor, other: Tensor | number): Tensor {
    return N.xlogy(this, other);
  }

  nansum(this: Tensor, dim?: Dims, keepdim?: boolean): Tensor {
    return N.nansum(this, dim, keepdim);
  }

  nanmean(this: Tensor, dim?: Dims, keepdim?: boolean): Tensor {
    return N.nanmean(this, dim, keepdim);
  }

  diff(this: Tensor, ...rest: DiffRest): Tensor {
    return N.diff(this, ...rest);
  }

  deg2rad(this: Tensor): Tensor {
    return N.deg2rad(this);
  }

  rad2deg(this: Tensor): Tensor {
    return N.rad2deg(this);
  }

  tile(this: Tensor, dims: readonly number[]): Tensor {
    return St.tile(this, dims);
  }

  rot90(this: Tensor, k?: number, dims?: readonly [number, number]): Tensor {
    return St.rot90(this, k, dims);
  }

  fliplr(this: Tensor): Tensor {
    return St.fliplr(this);
  }

  flipud(this: Tensor): Tensor {
    return St.flipud(this);
  }
}
