// Methods of the builders, statistics and numeric functions (x.kron(y) ≡ kron(x, y), …);
// tensor-methods.ts installs them on Tensor and merges their signatures into its type.
import type { Tensor } from '../tensor.ts';
import type { PyRest } from '../args.ts';
import * as B from '../functional/builders.ts';
import * as S from '../functional/statistics.ts';
import * as M from '../functional/numeric-more.ts';
import * as Al from '../functional/aliases.ts';
import * as Bt from '../functional/bits.ts';
import { i0 } from '../functional/bessel.ts';
import type { TensorLike } from '../ops/make.ts';
import { scatterReduce, type ScatterReduce } from '../nn/functional-extra.ts';

type QuantileRest = PyRest<
  [dim: number | null, keepdim: boolean],
  {
    dim?: number | null;
    keepdim?: boolean;
    interpolation?: 'linear' | 'lower' | 'higher' | 'midpoint' | 'nearest';
  }
>;

export class ExtraMethods {
  kron(this: Tensor, other: Tensor): Tensor {
    return B.kron(this, other);
  }

  inner(this: Tensor, other: Tensor): Tensor {
    return B.inner(this, other);
  }

  diagEmbed(
    this: Tensor,
    ...rest: PyRest<
      [offset: number, dim1: number, dim2: number],
      { offset?: number; dim1?: number; dim2?: number }
    >
  ): Tensor {
    return B.diagEmbed(this, ...rest);
  }

  diagflat(this: Tensor, offset = 0): Tensor {
    return B.diagflat(this, offset);
  }

  tensorSplit(this: Tensor, sectionsOrIndices: number | readonly number[], dim = 0): Tensor[] {
    return B.tensorSplit(this, sectionsOrIndices, dim);
  }

  takeAlongDim(this: Tensor, indices: Tensor, dim?: number | null): Tensor {
    return B.takeAlongDim(this, indices, dim);
  }

  argwhere(this: Tensor): Tensor {
    return B.argwhere(this);
  }

  indexFill(this: Tensor, dim: number, index: Tensor, value: number | Tensor): Tensor {
    return B.indexFill(this, dim, index, value);
  }

  cov(
    this: Tensor,
    ...rest: PyRest<[], { correction?: number; fweights?: Tensor | null; aweights?: Tensor | null }>
  ): Tensor {
    return S.cov(this, ...rest);
  }

  corrcoef(this: Tensor): Tensor {
    return S.corrcoef(this);
  }

  quantile(this: Tensor, q: number | Tensor, ...rest: QuantileRest): Tensor {
    return S.quantile(this, q, ...rest);
  }

  nanquantile(this: Tensor, q: number | Tensor, ...rest: QuantileRest): Tensor {
    return S.nanquantile(this, q, ...rest);
  }

  nanmedian(this: Tensor): Tensor {
    return S.nanmedian(this);
  }

  aminmax(this: Tensor, options: { dim?: number | null; keepdim?: boolean } = {}): S.MinMax {
    return S.aminmax(this, options);
  }

  countNonzero(this: Tensor, dim?: number | readonly number[] | null): Tensor {
    return S.countNonzero(this, dim);
  }

  histc(
    this: Tensor,
    ...rest: PyRest<[bins: number, min: number, max: number], { bins?: number; min?: number; max?: number }>
  ): Tensor {
    return S.histc(this, ...rest);
  }

  bincount(
    this: Tensor,
    ...rest: PyRest<
      [weights: Tensor | null, minlength: number],
      { weights?: Tensor | null; minlength?: number }
    >
  ): Tensor {
    return S.bincount(this, ...rest);
  }

  heaviside(this: Tensor, values: Tensor | number): Tensor {
    return M.heaviside(this, values);
  }

  signbit(this: Tensor): Tensor {
    return M.signbit(this);
  }

  fmax(this: Tensor, other: Tensor | number): Tensor {
    return M.fmax(this, other);
  }

  fmin(this: Tensor, other: Tensor | number): Tensor {
    return M.fmin(this, other);
  }

  floatPower(this: Tensor, exponent: Tensor | number): Tensor {
    return M.floatPower(this, exponent);
  }

  trueDivide(this: Tensor, other: Tensor | number): Tensor {
    return M.trueDivide(this, other);
  }

  sinc(this: Tensor): Tensor {
    return M.sinc(this);
  }

  absolute(this: Tensor): Tensor {
    return Al.absolute(this);
  }

  negative(this: Tensor): Tensor {
    return Al.negative(this);
  }

  positive(this: Tensor): Tensor {
    return Al.positive(this);
  }

  multiply(this: Tensor, other: TensorLike): Tensor {
    return Al.multiply(this, other);
  }

  subtract(this: Tensor, other: TensorLike, options?: { alpha?: number }): Tensor {
    return Al.subtract(this, other, options);
  }

  arctan2(this: Tensor, other: TensorLike): Tensor {
    return Al.arctan2(this, other);
  }

  fix(this: Tensor): Tensor {
    return Al.fix(this);
  }

  greater(this: Tensor, other: TensorLike): Tensor {
    return Al.greater(this, other);
  }

  greaterEqual(this: Tensor, other: TensorLike): Tensor {
    return Al.greaterEqual(this, other);
  }

  less(this: Tensor, other: TensorLike): Tensor {
    return Al.less(this, other);
  }

  lessEqual(this: Tensor, other: TensorLike): Tensor {
    return Al.lessEqual(this, other);
  }

  notEqual(this: Tensor, other: TensorLike): Tensor {
    return Al.notEqual(this, other);
  }

  swapdims(this: Tensor, a: number, b: number): Tensor {
    return Al.swapdims(this, a, b);
  }

  scatterReduce(
    this: Tensor,
    dim: number,
    index: Tensor,
    src: Tensor,
    reduce: ScatterReduce,
    options?: { includeSelf?: boolean },
  ): Tensor {
    return scatterReduce(this, dim, index, src, reduce, options);
  }

  mv(this: Tensor, vec: Tensor): Tensor {
    return Al.mv(this, vec);
  }

  addmv(this: Tensor, mat: Tensor, vec: Tensor, options?: { beta?: number; alpha?: number }): Tensor {
    return Al.addmv(this, mat, vec, options);
  }

  addr(this: Tensor, vec1: Tensor, vec2: Tensor, options?: { beta?: number; alpha?: number }): Tensor {
    return Al.addr(this, vec1, vec2, options);
  }

  addbmm(this: Tensor, batch1: Tensor, batch2: Tensor, options?: { beta?: number; alpha?: number }): Tensor {
    return Al.addbmm(this, batch1, batch2, options);
  }

  dist(this: Tensor, other: Tensor, p = 2): Tensor {
    return Al.dist(this, other, p);
  }

  ldexp(this: Tensor, exponent: Tensor | number): Tensor {
    return Al.ldexp(this, exponent);
  }

  renorm(this: Tensor, p: number, dim: number, maxnorm: number): Tensor {
    return Al.renorm(this, p, dim, maxnorm);
  }

  nextafter(this: Tensor, other: Tensor | number): Tensor {
    return Bt.nextafter(this, other);
  }

  frexp(this: Tensor): Bt.FrexpResult {
    return Bt.frexp(this);
  }

  gcd(this: Tensor, other: Tensor | number): Tensor {
    return Bt.gcd(this, other);
  }

  lcm(this: Tensor, other: Tensor | number): Tensor {
    return Bt.lcm(this, other);
  }

  i0(this: Tensor): Tensor {
    return i0(this);
  }
}
