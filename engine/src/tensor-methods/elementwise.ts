// Elementwise methods: arithmetic, comparisons, unary math and activations (x.add(y) ≡ add(x, y)).
// Each method is written once here; tensor-methods.ts installs it on Tensor and merges its
// signature into the Tensor type.
import type { Tensor } from '../tensor.ts';
import type { TensorLike } from '../ops/make.ts';
import * as B from '../ops/binary.ts';
import * as P from '../ops/pow.ts';
import * as C from '../ops/compare.ts';
import * as U from '../ops/unary.ts';
import * as A from '../functional/activations.ts';
import * as M from '../ops/modulo.ts';
import * as N from '../functional/numeric.ts';
import { where } from '../ops/where.ts';
import { scaled } from './args.ts';

export class ElementwiseMethods {
  add(this: Tensor, o: TensorLike, opts?: { alpha?: number }): Tensor {
    return B.add(this, scaled(o, opts?.alpha));
  }

  sub(this: Tensor, o: TensorLike, opts?: { alpha?: number }): Tensor {
    return B.sub(this, scaled(o, opts?.alpha));
  }

  mul(this: Tensor, o: TensorLike): Tensor {
    return B.mul(this, o);
  }

  /** True division, or with {roundingMode: 'trunc' | 'floor'} the rounded quotient (torch.div). */
  div(this: Tensor, o: TensorLike, options?: M.DivOptions): Tensor {
    return options === undefined ? B.div(this, o) : M.div(this, o, options);
  }

  /** Alias of div (torch.divide / true_divide). */
  divide(this: Tensor, o: TensorLike, options?: M.DivOptions): Tensor {
    return M.div(this, o, options);
  }

  fmod(this: Tensor, o: TensorLike): Tensor {
    return M.fmod(this, o);
  }

  hypot(this: Tensor, o: TensorLike): Tensor {
    return M.hypot(this, o);
  }

  copysign(this: Tensor, o: TensorLike): Tensor {
    return M.copysign(this, o);
  }

  logaddexp(this: Tensor, o: TensorLike): Tensor {
    return N.logaddexp(this, o);
  }

  logaddexp2(this: Tensor, o: TensorLike): Tensor {
    return N.logaddexp2(this, o);
  }

  bitwiseAnd(this: Tensor, o: TensorLike): Tensor {
    return M.bitwiseAnd(this, o);
  }

  bitwiseOr(this: Tensor, o: TensorLike): Tensor {
    return M.bitwiseOr(this, o);
  }

  bitwiseXor(this: Tensor, o: TensorLike): Tensor {
    return M.bitwiseXor(this, o);
  }

  bitwiseNot(this: Tensor): Tensor {
    return M.bitwiseNot(this);
  }

  bitwiseLeftShift(this: Tensor, o: TensorLike): Tensor {
    return M.bitwiseLeftShift(this, o);
  }

  bitwiseRightShift(this: Tensor, o: TensorLike): Tensor {
    return M.bitwiseRightShift(this, o);
  }

  isclose(this: Tensor, o: TensorLike, options?: N.CloseOptions): Tensor {
    return N.isclose(this, o, options);
  }

  allclose(this: Tensor, o: TensorLike, options?: N.CloseOptions): boolean {
    return N.allclose(this, o, options);
  }

  pow(this: Tensor, o: TensorLike): Tensor {
    return P.pow(this, o);
  }

  maximum(this: Tensor, o: TensorLike): Tensor {
    return B.maximum(this, o);
  }

  minimum(this: Tensor, o: TensorLike): Tensor {
    return B.minimum(this, o);
  }

  atan2(this: Tensor, o: TensorLike): Tensor {
    return B.atan2(this, o);
  }

  remainder(this: Tensor, o: TensorLike): Tensor {
    return M.remainder(this, o);
  }

  floorDivide(this: Tensor, o: TensorLike): Tensor {
    return M.floorDivide(this, o);
  }

  eq(this: Tensor, o: TensorLike): Tensor {
    return C.eq(this, o);
  }

  ne(this: Tensor, o: TensorLike): Tensor {
    return C.ne(this, o);
  }

  lt(this: Tensor, o: TensorLike): Tensor {
    return C.lt(this, o);
  }

  le(this: Tensor, o: TensorLike): Tensor {
    return C.le(this, o);
  }

  gt(this: Tensor, o: TensorLike): Tensor {
    return C.gt(this, o);
  }

  ge(this: Tensor, o: TensorLike): Tensor {
    return C.ge(this, o);
  }

  logicalAnd(this: Tensor, o: TensorLike): Tensor {
    return C.logicalAnd(this, o);
  }

  logicalOr(this: Tensor, o: TensorLike): Tensor {
    return C.logicalOr(this, o);
  }

  logicalXor(this: Tensor, o: TensorLike): Tensor {
    return C.logicalXor(this, o);
  }

  logicalNot(this: Tensor): Tensor {
    return C.logicalNot(this);
  }

  isnan(this: Tensor): Tensor {
    return C.isnan(this);
  }

  isinf(this: Tensor): Tensor {
    return C.isinf(this);
  }

  isfinite(this: Tensor): Tensor {
    return C.isfinite(this);
  }

  neg(this: Tensor): Tensor {
    return U.unary('neg', this);
  }

  abs(this: Tensor): Tensor {
    return U.unary('abs', this);
  }

  sign(this: Tensor): Tensor {
    return U.unary('sign', this);
  }

  reciprocal(this: Tensor): Tensor {
    return U.unary('reciprocal', this);
  }

  exp(this: Tensor): Tensor {
    return U.unary('exp', this);
  }

  log(this: Tensor): Tensor {
    return U.unary('log', this);
  }

  log1p(this: Tensor): Tensor {
    return U.unary('log1p', this);
  }

  expm1(this: Tensor): Tensor {
    return U.unary('expm1', this);
  }

  sqrt(this: Tensor): Tensor {
    return U.unary('sqrt', this);
  }

  rsqrt(this: Tensor): Tensor {
    return U.unary('rsqrt', this);
  }

  square(this: Tensor): Tensor {
    return U.unary('square', this);
  }

  sin(this: Tensor): Tensor {
    return U.unary('sin', this);
  }

  cos(this: Tensor): Tensor {
    return U.unary('cos', this);
  }

  tanh(this: Tensor): Tensor {
    return U.unary('tanh', this);
  }

  sigmoid(this: Tensor): Tensor {
    return U.unary('sigmoid', this);
  }

  relu(this: Tensor): Tensor {
    return U.unary('relu', this);
  }

  erf(this: Tensor): Tensor {
    return U.unary('erf', this);
  }

  floor(this: Tensor): Tensor {
    return U.unary('floor', this);
  }

  ceil(this: Tensor): Tensor {
    return U.unary('ceil', this);
  }

  round(this: Tensor): Tensor {
    return U.unary('round', this);
  }

  trunc(this: Tensor): Tensor {
    return U.unary('trunc', this);
  }

  tan(this: Tensor): Tensor {
    return U.tan(this);
  }

  asin(this: Tensor): Tensor {
    return U.asin(this);
  }

  acos(this: Tensor): Tensor {
    return U.acos(this);
  }

  atan(this: Tensor): Tensor {
    return U.atan(this);
  }

  sinh(this: Tensor): Tensor {
    return U.sinh(this);
  }

  cosh(this: Tensor): Tensor {
    return U.cosh(this);
  }

  asinh(this: Tensor): Tensor {
    return U.asinh(this);
  }

  acosh(this: Tensor): Tensor {
    return U.acosh(this);
  }

  atanh(this: Tensor): Tensor {
    return U.atanh(this);
  }

  log2(this: Tensor): Tensor {
    return U.log2(this);
  }

  log10(this: Tensor): Tensor {
    return U.log10(this);
  }

  exp2(this: Tensor): Tensor {
    return U.exp2(this);
  }

  lgamma(this: Tensor): Tensor {
    return U.lgamma(this);
  }

  digamma(this: Tensor): Tensor {
    return U.digamma(this);
  }

  /** polygamma(n, x) as x.polygamma(n), as in torch. */
  polygamma(this: Tensor, n: number): Tensor {
    return U.polygamma(n, this);
  }

  erfinv(this: Tensor): Tensor {
    return U.erfinv(this);
  }

  erfc(this: Tensor): Tensor {
    return U.erfc(this);
  }

  /** Alias of asin (NumPy's spelling, as in PyTorch). */
  arcsin(this: Tensor): Tensor {
    return U.asin(this);
  }

  /** Alias of acos (NumPy's spelling, as in PyTorch). */
  arccos(this: Tensor): Tensor {
    return U.acos(this);
  }

  /** Alias of atan (NumPy's spelling, as in PyTorch). */
  arctan(this: Tensor): Tensor {
    return U.atan(this);
  }

  /** Alias of asinh (NumPy's spelling, as in PyTorch). */
  arcsinh(this: Tensor): Tensor {
    return U.asinh(this);
  }

  /** Alias of acosh (NumPy's spelling, as in PyTorch). */
  arccosh(this: Tensor): Tensor {
    return U.acosh(this);
  }

  /** Alias of atanh (NumPy's spelling, as in PyTorch). */
  arctanh(this: Tensor): Tensor {
    return U.atanh(this);
  }

  leakyRelu(this: Tensor, slope?: number): Tensor {
    return A.leakyRelu(this, slope);
  }

  elu(this: Tensor, alpha?: number): Tensor {
    return A.elu(this, alpha);
  }

  gelu(this: Tensor, approximate?: 'none' | 'tanh'): Tensor {
    return A.gelu(this, approximate);
  }

  silu(this: Tensor): Tensor {
    return A.silu(this);
  }

  celu(this: Tensor, alpha?: number): Tensor {
    return A.celu(this, alpha);
  }

  selu(this: Tensor): Tensor {
    return A.selu(this);
  }

  mish(this: Tensor): Tensor {
    return A.mish(this);
  }

  softsign(this: Tensor): Tensor {
    return A.softsign(this);
  }

  relu6(this: Tensor): Tensor {
    return A.relu6(this);
  }

  hardswish(this: Tensor): Tensor {
    return A.hardswish(this);
  }

  hardsigmoid(this: Tensor): Tensor {
    return A.hardsigmoid(this);
  }

  hardtanh(this: Tensor, minVal?: number, maxVal?: number): Tensor {
    return A.hardtanh(this, minVal, maxVal);
  }

  logSigmoid(this: Tensor): Tensor {
    return A.logSigmoid(this);
  }

  softplus(this: Tensor, beta?: number, threshold?: number): Tensor {
    return A.softplus(this, beta, threshold);
  }

  clamp(this: Tensor, min?: TensorLike | null, max?: TensorLike | null): Tensor {
    return A.clamp(this, min, max);
  }

  clip(this: Tensor, min?: TensorLike | null, max?: TensorLike | null): Tensor {
    return A.clamp(this, min, max);
  }

  lerp(this: Tensor, end: TensorLike, weight: TensorLike): Tensor {
    return A.lerp(this, end, weight);
  }

  /** x.where(cond, other): x where cond holds, else other. */
  where(this: Tensor, cond: Tensor, other: TensorLike): Tensor {
    return where(cond, this, other);
  }

  maskedFill(this: Tensor, mask: Tensor, value: TensorLike): Tensor {
    return where(mask, value, this);
  }
}
