// Channel dropout (Dropout1d/2d/3d and F.dropout1d/2d/3d): whole channels zeroed in training,
// the rest scaled by 1/(1−p), with PyTorch's signatures; and alpha dropout (AlphaDropout,
// FeatureAlphaDropout), which keeps a SELU network's mean and variance.
import { pyArgs, is, type PyRest } from '../args.ts';
import { formatShape } from '../shape.ts';
import type { Tensor } from '../tensor.ts';
import type { Generator } from '../random.ts';
import { bernoulliMask } from './random-mask.ts';
import { Module } from './module.ts';
import type { Activation } from './activation.ts';

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

// SELU's λ·α: a dropped unit is set to −λα, SELU's negative saturation, before the affine correction.
const ALPHA = 1.7580993408473766;

/**
 * Alpha dropout (torch.nn.functional.alpha_dropout / feature_alpha_dropout): in training, dropped
 * units are set to SELU's negative saturation and all are then scaled and shifted (a, b) so that
 * a zero-mean unit-variance input keeps its mean and variance. `feature`: whole channels at once.
 */
function alphaDropoutOf(name: string, feature: boolean, x: Tensor, rest: readonly unknown[]): Tensor {
  const {
    p = 0.5,
    training = false,
    generator,
  } = pyArgs<ChannelDropoutOptions & Record<string, unknown>>(
    name,
    ['p', 'training', 'inplace', 'generator'],
    rest,
    { p: is.probability, training: is.bool, inplace: is.bool },
  );
  if (!training || p === 0) return x;
  if (p === 1) return x.mul(0);
  if (feature && x.ndim < 2)
    throw new Error(
      `${name}: Feature dropout requires at least 2 dimensions in the input, got ${formatShape(x.shape)}`,
    );
  const maskShape = feature ? x.shape.map((d, i) => (i < 2 ? d : 1)) : x.shape;
  const keep = bernoulliMask(maskShape, 1 - p, generator).to(x.dtype);
  const a = 1 / Math.sqrt((ALPHA * ALPHA * p + 1) * (1 - p));
  // b = (keep − 1)·α·a + α·a·p: α·a·p where kept, −α·a·(1 − p) where dropped.
  const b = keep
    .sub(1)
    .mul(ALPHA * a)
    .add(ALPHA * a * p);
  return x.mul(keep.mul(a)).add(b);
}

/** Alpha dropout; `training` defaults to false, as torch's functional form. */
export const alphaDropout = (x: Tensor, ...rest: ChannelDropoutRest): Tensor =>
  alphaDropoutOf('alphaDropout', false, x, rest);
/** Alpha dropout of whole channels. */
export const featureAlphaDropout = (x: Tensor, ...rest: ChannelDropoutRest): Tensor =>
  alphaDropoutOf('featureAlphaDropout', true, x, rest);

export class AlphaDropout extends channelDropoutModule('AlphaDropout', alphaDropout) {}
export class FeatureAlphaDropout extends channelDropoutModule('FeatureAlphaDropout', featureAlphaDropout) {}
