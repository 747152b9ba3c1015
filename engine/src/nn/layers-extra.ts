// More of torch.nn's layers, with their functional forms: channel dropout (Dropout1d/2d/3d),
// PReLU, the shrink activations and Threshold, adaptive 1-D pools, padding layers, and
// CosineSimilarity / PairwiseDistance, Unfold/Fold, UpsamplingNearest2d/Bilinear2d, Softmax2d and
// Bilinear. Composed of the engine's ops (their gradients come from
// those), with PyTorch's signatures, positional or as options.
import { pyArgs, is, type PyRest } from '../args.ts';
import type { Size } from './windows.ts';
import { formatShape } from '../shape.ts';
import type { Tensor } from '../tensor.ts';
import { empty, full } from '../creation.ts';
import { uniform_ } from './init.ts';
import { Upsample } from './upsample.ts';
import { where } from '../ops/where.ts';
import type { Generator } from '../random.ts';
import { bernoulliMask } from './random-mask.ts';
import { adaptiveAvgPool2d, adaptiveMaxPool2d, fold, unfold } from './pool-functional.ts';
import { pad, type PadMode } from './pad.ts';
import { Module } from './module.ts';
import type { Activation } from './activation.ts';
import type { Parameter } from './parameter.ts';

// ---- channel dropout

interface ChannelDropoutOptions {
  p?: number;
  training?: boolean;
  inplace?: boolean;
  generator?: Generator;
}
type ChannelDropoutRest = PyRest<[p: number, training: boolean, inplace: boolean], ChannelDropoutOptions>;

/**
 * Zeroes whole channels (all of a sample's values in one channel) with probability p in training
 * and scales the rest by 1/(1−p). `batched` is the rank of a batched input ([N, C, …]); one less
 * is an unbatched [C, …].
 */
function channelDropout(name: string, batched: number, x: Tensor, rest: readonly unknown[]): Tensor {
  const o = pyArgs<ChannelDropoutOptions & Record<string, unknown>>(
    name,
    ['p', 'training', 'inplace', 'generator'],
    rest,
    {
      p: is.probability,
      training: is.bool,
      inplace: is.bool,
    },
  );
  const { p = 0.5, training = true, generator } = o;
  if (x.ndim !== batched && x.ndim !== batched - 1)
    throw new Error(`${name}: expected ${batched - 1}D or ${batched}D input, got ${formatShape(x.shape)}`);
  if (!training || p === 0) return x;
  if (p === 1) return x.mul(0);
  // One draw per channel: [N, C, 1, …] (or [C, 1, …]), broadcast over the positions.
  const channels = x.ndim === batched ? 2 : 1;
  const maskShape = x.shape.map((d, i) => (i < channels ? d : 1));
  const keep = bernoulliMask(maskShape, 1 - p, generator);
  return x.mul(keep.to(x.dtype)).div(1 - p);
}

export const dropout1d = (x: Tensor, ...rest: ChannelDropoutRest): Tensor =>
  channelDropout('dropout1d', 3, x, rest);
export const dropout2d = (x: Tensor, ...rest: ChannelDropoutRest): Tensor =>
  channelDropout('dropout2d', 4, x, rest);
export const dropout3d = (x: Tensor, ...rest: ChannelDropoutRest): Tensor =>
  channelDropout('dropout3d', 5, x, rest);

type ModuleDropoutRest = PyRest<[p: number, inplace: boolean], { p?: number; inplace?: boolean }>;

function channelDropoutModule(
  name: string,
  fn: typeof dropout1d,
): new (...rest: ModuleDropoutRest) => Activation & { readonly p: number } {
  return class extends Module {
    readonly p: number;
    constructor(...rest: ModuleDropoutRest) {
      super();
      this.p =
        pyArgs<{ p: number; inplace: boolean }>(name, ['p', 'inplace'], rest, {
          p: is.probability,
          inplace: is.bool,
        }).p ?? 0.5;
    }
    forward(x: Tensor): Tensor {
      return fn(x, { p: this.p, training: this.training });
    }
    override extraRepr(): string {
      return `p=${this.p}, inplace=False`;
    }
  };
}
export class Dropout1d extends channelDropoutModule('Dropout1d', dropout1d) {}
export class Dropout2d extends channelDropoutModule('Dropout2d', dropout2d) {}
export class Dropout3d extends channelDropoutModule('Dropout3d', dropout3d) {}

// ---- PReLU, shrinks, Threshold

/** max(0, x) + weight·min(0, x), the weight one value or one per channel (dim 1). */
export function prelu(x: Tensor, weight: Tensor): Tensor {
  const n = weight.numel();
  if (n !== 1 && (x.ndim < 2 || x.shape[1] !== n))
    throw new Error(
      `prelu: the weight has ${n} values; expected 1 or the input's channels (dim 1), got input ${formatShape(x.shape)}`,
    );
  const w = n === 1 ? weight.reshape([]) : weight.reshape(x.shape.map((d, i) => (i === 1 ? d : 1)));
  return where(x.gt(0), x, x.mul(w));
}

export class PReLU extends Module {
  weight: Parameter;
  readonly numParameters: number;
  constructor(
    ...rest: PyRest<
      [numParameters: number, init: number],
      { numParameters?: number; init?: number; dtype?: 'float32' | 'float64' }
    >
  ) {
    super();
    const o = pyArgs<{ numParameters: number; init: number; dtype: 'float32' | 'float64' }>(
      'PReLU',
      ['numParameters', 'init', 'dtype'],
      rest,
      {
        numParameters: is.positiveInt,
        init: is.number,
        dtype: is.oneOf('float32', 'float64'),
      },
      2,
    );
    this.numParameters = o.numParameters ?? 1;
    this.weight = this.param(
      'weight',
      full([this.numParameters], o.init ?? 0.25, { dtype: o.dtype ?? 'float32' }),
    );
  }
  forward(x: Tensor): Tensor {
    return prelu(x, this.weight);
  }
  override extraRepr(): string {
    return `num_parameters=${this.numParameters}`;
  }
}

/** x − λ above λ, x + λ below −λ, 0 between. */
export function softshrink(x: Tensor, lambd = 0.5): Tensor {
  if (!(lambd >= 0)) throw new Error(`softshrink: lambda must be ≥ 0, got ${lambd}`);
  return where(x.gt(lambd), x.sub(lambd), where(x.lt(-lambd), x.add(lambd), 0));
}

/** x where |x| > λ, else 0. */
export function hardshrink(x: Tensor, lambd = 0.5): Tensor {
  return where(x.gt(lambd).logicalOr(x.lt(-lambd)), x, 0);
}

/** x − tanh(x). */
export const tanhshrink = (x: Tensor): Tensor => x.sub(x.tanh());

/** x where x > threshold, else value. */
export const threshold = (x: Tensor, thresholdValue: number, value: number): Tensor =>
  where(x.gt(thresholdValue), x, value);

function lambdModule(
  name: string,
  fn: (x: Tensor, lambd: number) => Tensor,
): new (...rest: PyRest<[lambd: number], { lambd?: number }>) => Activation & { readonly lambd: number } {
  return class extends Module {
    readonly lambd: number;
    constructor(...rest: PyRest<[lambd: number], { lambd?: number }>) {
      super();
      this.lambd = pyArgs<{ lambd: number }>(name, ['lambd'], rest, { lambd: is.nonNegative }).lambd ?? 0.5;
    }
    forward(x: Tensor): Tensor {
      return fn(x, this.lambd);
    }
    override extraRepr(): string {
      return `${this.lambd}`;
    }
  };
}
export class Softshrink extends lambdModule('Softshrink', softshrink) {}
export class Hardshrink extends lambdModule('Hardshrink', hardshrink) {}

export class Tanhshrink extends Module {
  forward = (x: Tensor): Tensor => tanhshrink(x);
}

export class Threshold extends Module {
  constructor(
    readonly threshold: number,
    readonly value: number,
    ...rest: PyRest<[inplace: boolean], { inplace?: boolean }>
  ) {
    super();
    pyArgs<{ inplace: boolean }>('Threshold', ['inplace'], rest, { inplace: is.bool });
    if (typeof threshold !== 'number' || typeof value !== 'number')
      throw new TypeError(
        `Threshold: threshold and value must be numbers, got ${String(threshold)} and ${String(value)}`,
      );
  }
  forward(x: Tensor): Tensor {
    return threshold(x, this.threshold, this.value);
  }
  override extraRepr(): string {
    return `threshold=${this.threshold}, value=${this.value}`;
  }
}

// ---- adaptive 1-D pools

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

// ---- padding layers

/** A padding layer over the last `dims` dims: one amount for every side, or PyTorch's tuple (last dim first). */
function paddingLayer(
  name: string,
  dims: number,
  mode: PadMode,
  constant: boolean,
): new (
  padding: number | readonly number[],
  value?: number,
) => Activation & { readonly padding: number[]; readonly value: number } {
  return class extends Module {
    readonly padding: number[];
    readonly value: number;
    constructor(padding: number | readonly number[], value?: number) {
      super();
      const amounts = typeof padding === 'number' ? new Array<number>(2 * dims).fill(padding) : [...padding];
      if (amounts.length !== 2 * dims || amounts.some((a) => !Number.isInteger(a)))
        throw new Error(
          `${name}: padding must be an integer or ${2 * dims} integers, got ${JSON.stringify(padding)}`,
        );
      if (constant && typeof value !== 'number')
        throw new TypeError(`${name}: expected a fill value, got ${String(value)}`);
      this.padding = amounts;
      this.value = constant ? value! : 0;
    }
    forward(x: Tensor): Tensor {
      return constant ? pad(x, this.padding, mode, this.value) : pad(x, this.padding, mode);
    }
    override extraRepr(): string {
      return `(${this.padding.join(', ')})${constant ? `, value=${this.value}` : ''}`;
    }
  };
}

export class ZeroPad2d extends paddingLayer('ZeroPad2d', 2, 'constant', false) {}
export class ConstantPad1d extends paddingLayer('ConstantPad1d', 1, 'constant', true) {}
export class ConstantPad2d extends paddingLayer('ConstantPad2d', 2, 'constant', true) {}
export class ConstantPad3d extends paddingLayer('ConstantPad3d', 3, 'constant', true) {}
export class ReflectionPad1d extends paddingLayer('ReflectionPad1d', 1, 'reflect', false) {}
export class ReflectionPad2d extends paddingLayer('ReflectionPad2d', 2, 'reflect', false) {}
export class ReplicationPad1d extends paddingLayer('ReplicationPad1d', 1, 'replicate', false) {}
export class ReplicationPad2d extends paddingLayer('ReplicationPad2d', 2, 'replicate', false) {}
export class ReplicationPad3d extends paddingLayer('ReplicationPad3d', 3, 'replicate', false) {}

// ---- distances

/**
 * Σ x1·x2 / (max(‖x1‖, eps)·max(‖x2‖, eps)) along `dim`, broadcasting x1 and x2. The norms are
 * clamped before their roots, so a zero vector has a zero gradient (not 0·∞).
 */
export function cosineSimilarity(
  x1: Tensor,
  x2: Tensor,
  ...rest: PyRest<[dim: number, eps: number], { dim?: number; eps?: number }>
): Tensor {
  const { dim = 1, eps = 1e-8 } = pyArgs<{ dim: number; eps: number }>(
    'cosineSimilarity',
    ['dim', 'eps'],
    rest,
    {
      dim: is.int,
      eps: is.positive,
    },
  );
  const norm = (t: Tensor) =>
    t
      .mul(t)
      .sum(dim)
      .clamp(eps * eps)
      .sqrt();
  return x1
    .mul(x2)
    .sum(dim)
    .div(norm(x1).mul(norm(x2)));
}

/** ‖x1 − x2 + eps‖_p along the last dim (PyTorch's pairwise_distance). */
export function pairwiseDistance(
  x1: Tensor,
  x2: Tensor,
  ...rest: PyRest<[p: number, eps: number, keepdim: boolean], { p?: number; eps?: number; keepdim?: boolean }>
): Tensor {
  const {
    p = 2,
    eps = 1e-6,
    keepdim = false,
  } = pyArgs<{ p: number; eps: number; keepdim: boolean }>(
    'pairwiseDistance',
    ['p', 'eps', 'keepdim'],
    rest,
    { p: is.nonNegative, eps: is.nonNegative, keepdim: is.bool },
  );
  return x1.sub(x2).add(eps).norm(p, -1, keepdim);
}

export class CosineSimilarity extends Module {
  readonly dim: number;
  readonly eps: number;
  constructor(...rest: PyRest<[dim: number, eps: number], { dim?: number; eps?: number }>) {
    super();
    const o = pyArgs<{ dim: number; eps: number }>('CosineSimilarity', ['dim', 'eps'], rest, {
      dim: is.int,
      eps: is.positive,
    });
    [this.dim, this.eps] = [o.dim ?? 1, o.eps ?? 1e-8];
  }
  forward(x1: Tensor, x2: Tensor): Tensor {
    return cosineSimilarity(x1, x2, this.dim, this.eps);
  }
}

export class PairwiseDistance extends Module {
  readonly p: number;
  readonly eps: number;
  readonly keepdim: boolean;
  constructor(
    ...rest: PyRest<
      [p: number, eps: number, keepdim: boolean],
      { p?: number; eps?: number; keepdim?: boolean }
    >
  ) {
    super();
    const o = pyArgs<{ p: number; eps: number; keepdim: boolean }>(
      'PairwiseDistance',
      ['p', 'eps', 'keepdim'],
      rest,
      {
        p: is.nonNegative,
        eps: is.nonNegative,
        keepdim: is.bool,
      },
    );
    [this.p, this.eps, this.keepdim] = [o.p ?? 2, o.eps ?? 1e-6, o.keepdim ?? false];
  }
  forward(x1: Tensor, x2: Tensor): Tensor {
    return pairwiseDistance(x1, x2, this.p, this.eps, this.keepdim);
  }
}

// ---- wrappers: Unfold/Fold, the fixed-mode upsamplers, Softmax2d, Bilinear

type WindowRest = PyRest<
  [dilation: Size, padding: Size, stride: Size],
  { dilation?: Size; padding?: Size; stride?: Size }
>;

/** Sliding windows as columns (F.unfold as a layer). */
export class Unfold extends Module {
  readonly rest: WindowRest;
  constructor(
    readonly kernelSize: Size,
    ...rest: WindowRest
  ) {
    super();
    this.rest = rest;
    unfoldArgs('Unfold', rest);
  }
  forward(x: Tensor): Tensor {
    return unfold(x, this.kernelSize, ...this.rest);
  }
}

/** Columns summed back into an image (F.fold as a layer). */
export class Fold extends Module {
  readonly rest: WindowRest;
  constructor(
    readonly outputSize: Size,
    readonly kernelSize: Size,
    ...rest: WindowRest
  ) {
    super();
    this.rest = rest;
    unfoldArgs('Fold', rest);
  }
  forward(x: Tensor): Tensor {
    return fold(x, this.outputSize, this.kernelSize, ...this.rest);
  }
}

/** Unfold's and Fold's options, checked when the layer is built. */
function unfoldArgs(name: string, rest: readonly unknown[]): void {
  pyArgs<{ dilation: Size; padding: Size; stride: Size }>(name, ['dilation', 'padding', 'stride'], rest, {
    dilation: is.size(2),
    padding: is.size(2, 0),
    stride: is.size(2),
  });
}

type ScaleRest = PyRest<
  [size: number | readonly number[] | null, scaleFactor: number | readonly number[] | null],
  { size?: number | readonly number[] | null; scaleFactor?: number | readonly number[] | null }
>;

/** Upsample with mode 'nearest' (torch's UpsamplingNearest2d). */
export class UpsamplingNearest2d extends Upsample {
  constructor(...rest: ScaleRest) {
    super({ ...scaleArgs('UpsamplingNearest2d', rest), mode: 'nearest' });
  }
}

/** Upsample with mode 'bilinear' and alignCorners (torch's UpsamplingBilinear2d). */
export class UpsamplingBilinear2d extends Upsample {
  constructor(...rest: ScaleRest) {
    super({ ...scaleArgs('UpsamplingBilinear2d', rest), mode: 'bilinear', alignCorners: true });
  }
}

function scaleArgs(name: string, rest: readonly unknown[]) {
  const o = pyArgs<{
    size: number | readonly number[] | null;
    scaleFactor: number | readonly number[] | null;
  }>(name, ['size', 'scaleFactor'], rest);
  return { size: o.size ?? null, scaleFactor: o.scaleFactor ?? null };
}

/** Softmax over the channels of [N, C, H, W] or [C, H, W] (dim −3). */
export class Softmax2d extends Module {
  forward(x: Tensor): Tensor {
    if (x.ndim !== 3 && x.ndim !== 4)
      throw new Error(`Softmax2d: expected 3D or 4D input, got ${formatShape(x.shape)}`);
    return x.softmax(-3);
  }
}

/** x1ᵀ·W·x2 + b for each output: [*, in1] and [*, in2] → [*, out]. */
export function bilinear(x1: Tensor, x2: Tensor, weight: Tensor, bias: Tensor | null = null): Tensor {
  const [out, in1, in2] = weight.shape as [number, number, number];
  if (weight.ndim !== 3 || x1.shape[x1.ndim - 1] !== in1 || x2.shape[x2.ndim - 1] !== in2)
    throw new Error(
      `bilinear: expected x1 [*, ${in1}], x2 [*, ${in2}] for a weight ${formatShape(weight.shape)}, got ${formatShape(x1.shape)} and ${formatShape(x2.shape)}`,
    );
  // (x1 · W viewed as [in1, out·in2]) · x2, summed over in2.
  const projected = x1.matmul(weight.permute([1, 0, 2]).reshape([in1, out * in2]));
  const y = projected
    .reshape([...projected.shape.slice(0, -1), out, in2])
    .mul(x2.unsqueeze(-2))
    .sum(-1);
  return bias ? y.add(bias) : y;
}

export class Bilinear extends Module {
  weight: Parameter;
  bias: Parameter | null;
  constructor(
    readonly in1Features: number,
    readonly in2Features: number,
    readonly outFeatures: number,
    ...rest: PyRest<[bias: boolean], { bias?: boolean; dtype?: 'float32' | 'float64' }>
  ) {
    super();
    const o = pyArgs<{ bias: boolean; dtype: 'float32' | 'float64' }>(
      'Bilinear',
      ['bias', 'dtype'],
      rest,
      { bias: is.bool, dtype: is.oneOf('float32', 'float64') },
      1,
    );
    const dtype = o.dtype ?? 'float32';
    // PyTorch's reset_parameters: both uniform in ±1/√in1, the weight first.
    const bound = 1 / Math.sqrt(in1Features);
    this.weight = this.param(
      'weight',
      uniform_(empty([outFeatures, in1Features, in2Features], { dtype }), -bound, bound),
    );
    this.bias =
      (o.bias ?? true) ? this.param('bias', uniform_(empty([outFeatures], { dtype }), -bound, bound)) : null;
  }
  forward(x1: Tensor, x2: Tensor): Tensor {
    return bilinear(x1, x2, this.weight, this.bias);
  }
  override extraRepr(): string {
    return `in1_features=${this.in1Features}, in2_features=${this.in2Features}, out_features=${this.outFeatures}, bias=${this.bias ? 'True' : 'False'}`;
  }
}
