// In-place variants (x.add_(y)): computed out of place, written back with PyTorch's checks (see inplace.ts).
// Each method is written once here; tensor-methods.ts installs it on Tensor and merges its
// signature into the Tensor type.
import type { PyRest } from '../args.ts';
import { Tensor } from '../tensor.ts';
import type { TensorLike } from '../ops/make.ts';
import * as B from '../ops/binary.ts';
import * as P from '../ops/pow.ts';
import * as U from '../ops/unary.ts';
import * as A from '../functional/activations.ts';
import * as I from '../functional/indexing.ts';
import { where } from '../ops/where.ts';
import { inplace } from '../inplace.ts';
import { filled } from '../ops/fill.ts';
import { scaled } from './args.ts';
import { cast } from '../ops/cast.ts';

export class InplaceMethods {
  indexPut_(this: Tensor, items: readonly I.IndexItem[], v: TensorLike, acc?: boolean): Tensor {
    const values = v instanceof Tensor ? v : filled([], v, this.dtype, this.storage.backend);
    return inplace('indexPut_', this, (x) => I.indexPut(x, items, values, acc));
  }

  scatter_(
    this: Tensor,
    dim: number,
    idx: Tensor,
    src: Tensor | number,
    ...rest: PyRest<[I.ScatterOptions['reduce']], I.ScatterOptions>
  ): Tensor {
    return inplace('scatter_', this, (x) => I.scatter(x, dim, idx, src, ...rest));
  }

  scatterAdd_(this: Tensor, dim: number, idx: Tensor, src: Tensor): Tensor {
    return inplace('scatterAdd_', this, (x) => I.scatterAdd(x, dim, idx, src));
  }

  indexAdd_(this: Tensor, dim: number, idx: Tensor, src: Tensor, o?: { alpha?: number }): Tensor {
    return inplace('indexAdd_', this, (x) => I.indexAdd(x, dim, idx, src, o?.alpha));
  }

  maskedFill_(this: Tensor, mask: Tensor, value: TensorLike): Tensor {
    return inplace('maskedFill_', this, (x) => where(mask, value, x));
  }

  add_(this: Tensor, o: TensorLike, opts?: { alpha?: number }): Tensor {
    return inplace('add_', this, (x) => B.add(x, scaled(o, opts?.alpha)));
  }

  sub_(this: Tensor, o: TensorLike, opts?: { alpha?: number }): Tensor {
    return inplace('sub_', this, (x) => B.sub(x, scaled(o, opts?.alpha)));
  }

  mul_(this: Tensor, o: TensorLike): Tensor {
    return inplace('mul_', this, (x) => B.mul(x, o));
  }

  div_(this: Tensor, o: TensorLike, options?: { roundingMode?: 'trunc' | 'floor' | null }): Tensor {
    return inplace('div_', this, (x) => (options === undefined ? B.div(x, o) : x.div(o, options)));
  }

  pow_(this: Tensor, o: TensorLike): Tensor {
    return inplace('pow_', this, (x) => P.pow(x, o));
  }

  zero_(this: Tensor): Tensor {
    return inplace('zero_', this, (x) => filled([], 0, x.dtype, x.storage.backend));
  }

  fill_(this: Tensor, v: TensorLike): Tensor {
    return inplace('fill_', this, (x) =>
      v instanceof Tensor ? v : filled([], v, x.dtype, x.storage.backend),
    );
  }

  copy_(this: Tensor, src: Tensor): Tensor {
    return inplace('copy_', this, (x) => (src.dtype === x.dtype ? src : cast(src, x.dtype)));
  }

  clamp_(this: Tensor, min?: TensorLike | null, max?: TensorLike | null): Tensor {
    return inplace('clamp_', this, (x) => A.clamp(x, min, max));
  }

  relu_(this: Tensor): Tensor {
    return inplace('relu_', this, (x) => U.unary('relu', x));
  }

  neg_(this: Tensor): Tensor {
    return inplace('neg_', this, (x) => U.unary('neg', x));
  }

  abs_(this: Tensor): Tensor {
    return inplace('abs_', this, (x) => U.unary('abs', x));
  }

  exp_(this: Tensor): Tensor {
    return inplace('exp_', this, (x) => U.unary('exp', x));
  }

  lgamma_(this: Tensor): Tensor {
    return inplace('lgamma_', this, (x) => U.lgamma(x));
  }

  digamma_(this: Tensor): Tensor {
    return inplace('digamma_', this, (x) => U.digamma(x));
  }

  polygamma_(this: Tensor, n: number): Tensor {
    return inplace('polygamma_', this, (x) => U.polygamma(n, x));
  }

  erfinv_(this: Tensor): Tensor {
    return inplace('erfinv_', this, (x) => U.erfinv(x));
  }

  erfc_(this: Tensor): Tensor {
    return inplace('erfc_', this, (x) => U.erfc(x));
  }

  log_(this: Tensor): Tensor {
    return inplace('log_', this, (x) => U.unary('log', x));
  }

  sqrt_(this: Tensor): Tensor {
    return inplace('sqrt_', this, (x) => U.unary('sqrt', x));
  }

  sigmoid_(this: Tensor): Tensor {
    return inplace('sigmoid_', this, (x) => U.unary('sigmoid', x));
  }

  tanh_(this: Tensor): Tensor {
    return inplace('tanh_', this, (x) => U.unary('tanh', x));
  }

  lerp_(this: Tensor, end: TensorLike, weight: TensorLike): Tensor {
    return inplace('lerp_', this, (x) => A.lerp(x, end, weight));
  }
}
