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

  div(this: Tensor, o: TensorLike): Tensor {
    return B.div(this, o);
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
    return C.remainder(this, o);
  }

  floorDivide(this: Tensor, o: TensorLike): Tensor {
    return C.floorDivide(this, o);
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
