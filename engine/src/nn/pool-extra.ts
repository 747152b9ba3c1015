// Adaptive 1-D pools (the 2-D ones over a height of 1) and the power-average pools LPPool1d/2d
// (PyTorch's formula over the average pools), with their F forms.
import { pyArgs, is, type PyRest } from '../args.ts';
import type { Size } from './windows.ts';
import { formatShape } from '../shape.ts';
import type { Tensor } from '../tensor.ts';
import { adaptiveAvgPool2d, adaptiveMaxPool2d, avgPool1d, avgPool2d } from './pool-functional.ts';
import { Module } from './module.ts';
import type { Activation } from './activation.ts';

/** [N, C, L] or [C, L] → […, outputSize]: the 2-D pool over a height of 1. */
function overLength(name: string, x: Tensor, pool: (t: Tensor) => Tensor): Tensor {
  if (x.ndim !== 2 && x.ndim !== 3)
    throw new Error(`${name}: expected 2D or 3D input, got ${formatShape(x.shape)}`);
  return pool(x.unsqueeze(-2)).squeeze(-2);
}

export const adaptiveAvgPool1d = (x: Tensor, outputSize: number): Tensor =>
  overLength('adaptiveAvgPool1d', x, (t) => adaptiveAvgPool2d(t, [1, outputSize]));

export const adaptiveMaxPool1d = (x: Tensor, outputSize: number): Tensor =>
  overLength('adaptiveMaxPool1d', x, (t) => adaptiveMaxPool2d(t, [1, outputSize]) as Tensor);

export class AdaptiveAvgPool1d extends Module {
  constructor(readonly outputSize: number) {
    super();
  }
  forward(x: Tensor): Tensor {
    return adaptiveAvgPool1d(x, this.outputSize);
  }
  override extraRepr(): string {
    return `output_size=${this.outputSize}`;
  }
}

export class AdaptiveMaxPool1d extends Module {
  constructor(readonly outputSize: number) {
    super();
  }
  forward(x: Tensor): Tensor {
    return adaptiveMaxPool1d(x, this.outputSize);
  }
  override extraRepr(): string {
    return `output_size=${this.outputSize}`;
  }
}

type LpRest = PyRest<[stride: Size | null, ceilMode: boolean], { stride?: Size | null; ceilMode?: boolean }>;

/**
 * (Σ over each window of x^p)^(1/p), PyTorch's way: the average pool of x^p times the window's
 * size, a negative average clamped to 0 (sign·relu(|·|)), then the root.
 */
function lpPool(
  name: string,
  dims: 1 | 2,
  x: Tensor,
  p: number,
  kernelSize: Size,
  rest: readonly unknown[],
): Tensor {
  const { stride = null, ceilMode = false } = pyArgs<{ stride: Size | null; ceilMode: boolean }>(
    name,
    ['stride', 'ceilMode'],
    rest,
    {
      stride: is.orNull(is.size(dims)),
      ceilMode: is.bool,
    },
  );
  if (!(p > 0)) throw new Error(`${name}: normType must be positive, got ${p}`);
  const kernel = typeof kernelSize === 'number' ? new Array<number>(dims).fill(kernelSize) : [...kernelSize];
  const options = { ...(stride === null ? {} : { stride }), padding: 0, ceilMode };
  const out =
    dims === 1 ? avgPool1d(x.pow(p), kernelSize, options) : avgPool2d(x.pow(p), kernelSize, options);
  const size = kernel.reduce((a, b) => a * b, 1);
  return out
    .sign()
    .mul(out.abs().relu())
    .mul(size)
    .pow(1 / p);
}

export const lpPool1d = (x: Tensor, normType: number, kernelSize: Size, ...rest: LpRest): Tensor =>
  lpPool('lpPool1d', 1, x, normType, kernelSize, rest);
export const lpPool2d = (x: Tensor, normType: number, kernelSize: Size, ...rest: LpRest): Tensor =>
  lpPool('lpPool2d', 2, x, normType, kernelSize, rest);

function lpPoolModule(
  name: string,
  fn: typeof lpPool1d,
): new (normType: number, kernelSize: Size, ...rest: LpRest) => Activation & { readonly normType: number } {
  return class extends Module {
    readonly rest: LpRest;
    constructor(
      readonly normType: number,
      readonly kernelSize: Size,
      ...rest: LpRest
    ) {
      super();
      this.rest = rest;
      pyArgs<{ stride: Size | null; ceilMode: boolean }>(name, ['stride', 'ceilMode'], rest);
    }
    forward(x: Tensor): Tensor {
      return fn(x, this.normType, this.kernelSize, ...this.rest);
    }
  };
}
export class LPPool1d extends lpPoolModule('LPPool1d', lpPool1d) {}
export class LPPool2d extends lpPoolModule('LPPool2d', lpPool2d) {}
