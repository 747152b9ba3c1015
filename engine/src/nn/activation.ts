// Activation functions as modules, plus Identity, Flatten, Unflatten, Dropout and PixelShuffle,
// with PyTorch's signatures (positional or options; `inplace` is accepted and computes out of
// place, which gives the same values and gradients).
import { pyArgs, is, type Check, type PyRest } from '../args.ts';
import type { Tensor } from '../tensor.ts';
import * as A from '../functional/activations.ts';
import { flatten, unflatten } from '../functional/shape.ts';
import { pixelShuffle, pixelUnshuffle } from '../functional/rearrange.ts';
import { dropout } from './functional.ts';
import { glu, softmin } from './functional-extra.ts';
import { Module } from './module.ts';

/** Reads a module's PyTorch arguments (after the required ones). */
function args<T extends Record<string, unknown>>(
  name: string,
  names: readonly (keyof T & string)[],
  rest: readonly unknown[],
  checks: Partial<Record<keyof T & string, Check>>,
): Partial<T> {
  return pyArgs<T>(name, names, rest, checks);
}

/** A module that applies `fn` and takes only PyTorch's `inplace` flag. */
/** An elementwise activation module (named so that declarations can be emitted for its subclasses). */
export interface Activation extends Module {
  forward(x: Tensor): Tensor;
}
type InplaceRest = PyRest<[inplace: boolean], { inplace?: boolean }>;

function simple(name: string, fn: (x: Tensor) => Tensor): new (...rest: InplaceRest) => Activation {
  return class extends Module {
    constructor(...rest: InplaceRest) {
      super();
      args<{ inplace: boolean }>(name, ['inplace'], rest, { inplace: is.bool });
    }
    forward(x: Tensor): Tensor {
      return fn(x);
    }
  };
}

export class ReLU extends simple('ReLU', (x) => x.relu()) {}
export class ReLU6 extends simple('ReLU6', A.relu6) {}
export class SELU extends simple('SELU', A.selu) {}
export class Hardswish extends simple('Hardswish', A.hardswish) {}
export class Hardsigmoid extends simple('Hardsigmoid', A.hardsigmoid) {}
export class Mish extends simple('Mish', A.mish) {}
export class SiLU extends simple('SiLU', (x) => x.silu()) {}
export class Tanh extends Module {
  forward = (x: Tensor): Tensor => x.tanh();
}
export class Sigmoid extends Module {
  forward = (x: Tensor): Tensor => x.sigmoid();
}
export class Softsign extends Module {
  forward = (x: Tensor): Tensor => A.softsign(x);
}
export class LogSigmoid extends Module {
  forward = (x: Tensor): Tensor => A.logSigmoid(x);
}
/** Passes its input through; accepts and ignores any arguments, as torch.nn.Identity does. */
export class Identity extends Module {
  constructor(..._args: unknown[]) {
    super();
  }
  forward = (x: Tensor): Tensor => x;
}

export class LeakyReLU extends Module {
  readonly negativeSlope: number;
  constructor(
    ...rest: PyRest<[negativeSlope: number, inplace: boolean], { negativeSlope?: number; inplace?: boolean }>
  ) {
    super();
    const o = args<{ negativeSlope: number; inplace: boolean }>(
      'LeakyReLU',
      ['negativeSlope', 'inplace'],
      rest,
      {
        negativeSlope: is.number,
        inplace: is.bool,
      },
    );
    this.negativeSlope = o.negativeSlope ?? 0.01;
  }
  forward(x: Tensor): Tensor {
    return A.leakyRelu(x, this.negativeSlope);
  }
  override extraRepr(): string {
    return `negative_slope=${this.negativeSlope}`;
  }
}

/** ELU and CELU take (alpha, inplace). */
type AlphaRest = PyRest<[alpha: number, inplace: boolean], { alpha?: number; inplace?: boolean }>;

function alphaModule(
  name: string,
  fn: (x: Tensor, alpha: number) => Tensor,
): new (...rest: AlphaRest) => Activation & { readonly alpha: number } {
  return class extends Module {
    readonly alpha: number;
    constructor(...rest: AlphaRest) {
      super();
      const o = args<{ alpha: number; inplace: boolean }>(name, ['alpha', 'inplace'], rest, {
        alpha: is.number,
        inplace: is.bool,
      });
      this.alpha = o.alpha ?? 1;
    }
    forward(x: Tensor): Tensor {
      return fn(x, this.alpha);
    }
    override extraRepr(): string {
      return `alpha=${this.alpha}`;
    }
  };
}
export class ELU extends alphaModule('ELU', A.elu) {}
export class CELU extends alphaModule('CELU', A.celu) {}

export class GELU extends Module {
  readonly approximate: 'none' | 'tanh';
  constructor(...rest: PyRest<[approximate: 'none' | 'tanh'], { approximate?: 'none' | 'tanh' }>) {
    super();
    const o = args<{ approximate: 'none' | 'tanh' }>('GELU', ['approximate'], rest, {
      approximate: is.oneOf('none', 'tanh'),
    });
    this.approximate = o.approximate ?? 'none';
  }
  forward(x: Tensor): Tensor {
    return A.gelu(x, this.approximate);
  }
  override extraRepr(): string {
    return `approximate='${this.approximate}'`;
  }
}

export class Softplus extends Module {
  readonly beta: number;
  readonly threshold: number;
  constructor(...rest: PyRest<[beta: number, threshold: number], { beta?: number; threshold?: number }>) {
    super();
    const o = args<{ beta: number; threshold: number }>('Softplus', ['beta', 'threshold'], rest, {
      beta: is.positive,
      threshold: is.number,
    });
    this.beta = o.beta ?? 1;
    this.threshold = o.threshold ?? 20;
  }
  forward(x: Tensor): Tensor {
    return A.softplus(x, this.beta, this.threshold);
  }
  override extraRepr(): string {
    return `beta=${this.beta}, threshold=${this.threshold}`;
  }
}

export class Hardtanh extends Module {
  readonly minVal: number;
  readonly maxVal: number;
  constructor(
    ...rest: PyRest<
      [minVal: number, maxVal: number, inplace: boolean],
      { minVal?: number; maxVal?: number; inplace?: boolean }
    >
  ) {
    super();
    const o = args<{ minVal: number; maxVal: number; inplace: boolean }>(
      'Hardtanh',
      ['minVal', 'maxVal', 'inplace'],
      rest,
      {
        minVal: is.number,
        maxVal: is.number,
        inplace: is.bool,
      },
    );
    this.minVal = o.minVal ?? -1;
    this.maxVal = o.maxVal ?? 1;
  }
  forward(x: Tensor): Tensor {
    return A.hardtanh(x, this.minVal, this.maxVal);
  }
  override extraRepr(): string {
    return `min_val=${this.minVal}, max_val=${this.maxVal}`;
  }
}

/** Modules that take one `dim` (Softmax, LogSoftmax, Softmin, GLU). */
type DimRest = PyRest<[dim: number | null], { dim?: number | null }>;

function dimModule(
  name: string,
  fn: (x: Tensor, dim: number) => Tensor,
  defaultDim: number | null,
): new (...rest: DimRest) => Activation & { readonly dim: number | null } {
  return class extends Module {
    readonly dim: number | null;
    constructor(...rest: DimRest) {
      super();
      const o = args<{ dim: number | null }>(name, ['dim'], rest, { dim: is.orNull(is.int) });
      this.dim = o.dim ?? defaultDim;
    }
    forward(x: Tensor): Tensor {
      // PyTorch's implicit dim for a missing one: 0 for 0-, 1- and 3-D inputs, else 1.
      const dim = this.dim ?? ([0, 1, 3].includes(x.ndim) ? 0 : 1);
      return fn(x, dim);
    }
    override extraRepr(): string {
      return `dim=${this.dim === null ? 'None' : this.dim}`;
    }
  };
}
export class Softmax extends dimModule('Softmax', (x, d) => x.softmax(d), null) {}
export class LogSoftmax extends dimModule('LogSoftmax', (x, d) => x.logSoftmax(d), null) {}
export class Softmin extends dimModule('Softmin', softmin, null) {}
export class GLU extends dimModule('GLU', glu, -1) {}

export class Flatten extends Module {
  readonly startDim: number;
  readonly endDim: number;
  constructor(...rest: PyRest<[startDim: number, endDim: number], { startDim?: number; endDim?: number }>) {
    super();
    const o = args<{ startDim: number; endDim: number }>('Flatten', ['startDim', 'endDim'], rest, {
      startDim: is.int,
      endDim: is.int,
    });
    this.startDim = o.startDim ?? 1;
    this.endDim = o.endDim ?? -1;
  }
  forward(x: Tensor): Tensor {
    return flatten(x, this.startDim, this.endDim);
  }
  override extraRepr(): string {
    return `start_dim=${this.startDim}, end_dim=${this.endDim}`;
  }
}

/** Splits one dim into `unflattenedSize` (the inverse of Flatten). */
export class Unflatten extends Module {
  constructor(
    readonly dim: number,
    readonly unflattenedSize: readonly number[],
  ) {
    super();
    if (!Number.isInteger(dim))
      throw new TypeError(`Unflatten: dim must be an integer, got ${JSON.stringify(dim)}`);
    if (!Array.isArray(unflattenedSize) || unflattenedSize.some((s) => !Number.isInteger(s)))
      throw new TypeError(
        `Unflatten: unflattened_size must be a list of integers, got ${JSON.stringify(unflattenedSize)}`,
      );
  }
  forward(x: Tensor): Tensor {
    return unflatten(x, this.dim, this.unflattenedSize);
  }
  override extraRepr(): string {
    return `dim=${this.dim}, unflattened_size=(${this.unflattenedSize.join(', ')})`;
  }
}

export class Dropout extends Module {
  readonly p: number;
  constructor(...rest: PyRest<[p: number, inplace: boolean], { p?: number; inplace?: boolean }>) {
    super();
    const o = args<{ p: number; inplace: boolean }>('Dropout', ['p', 'inplace'], rest, {
      p: is.number,
      inplace: is.bool,
    });
    this.p = o.p ?? 0.5;
    if (this.p < 0 || this.p > 1)
      throw new Error(`Dropout: probability has to be between 0 and 1, but got ${this.p}`);
  }
  forward(x: Tensor): Tensor {
    return dropout(x, this.p, this.training);
  }
  override extraRepr(): string {
    return `p=${this.p}, inplace=False`;
  }
}

export class PixelShuffle extends Module {
  constructor(readonly upscaleFactor: number) {
    super();
    if (!Number.isInteger(upscaleFactor) || upscaleFactor < 1)
      throw new TypeError(
        `PixelShuffle: upscale_factor must be a positive integer, got ${JSON.stringify(upscaleFactor)}`,
      );
  }
  forward(x: Tensor): Tensor {
    return pixelShuffle(x, this.upscaleFactor);
  }
  override extraRepr(): string {
    return `upscale_factor=${this.upscaleFactor}`;
  }
}

export class PixelUnshuffle extends Module {
  constructor(readonly downscaleFactor: number) {
    super();
    if (!Number.isInteger(downscaleFactor) || downscaleFactor < 1)
      throw new TypeError(
        `PixelUnshuffle: downscale_factor must be a positive integer, got ${JSON.stringify(downscaleFactor)}`,
      );
  }
  forward(x: Tensor): Tensor {
    return pixelUnshuffle(x, this.downscaleFactor);
  }
  override extraRepr(): string {
    return `downscale_factor=${this.downscaleFactor}`;
  }
}
