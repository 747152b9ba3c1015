// Operations across channels: local response normalisation (AlexNet's) and channel shuffling
// (ShuffleNet's), with their modules, as torch.nn computes them.
import { pyArgs, is, type PyRest } from '../args.ts';
import { formatShape } from '../shape.ts';
import type { Tensor } from '../tensor.ts';
import { zeros } from '../creation.ts';
import { cat } from '../functional/shape.ts';
import { Module } from './module.ts';

type LrnOptions = { alpha?: number; beta?: number; k?: number };

/** Local response normalisation's (alpha, beta, k), positional or named, checked. */
function lrnArgs(op: string, rest: readonly unknown[]): Required<LrnOptions> {
  const {
    alpha = 1e-4,
    beta = 0.75,
    k = 1,
  } = pyArgs<Required<LrnOptions>>(op, ['alpha', 'beta', 'k'], rest, {
    alpha: is.number,
    beta: is.number,
    k: is.number,
  });
  return { alpha, beta, k };
}

/**
 * x / (k + α·mean of x² over `size` neighbouring channels)^β, the window zero-padded
 * (size // 2 before, (size − 1) // 2 after), as torch.nn.functional.local_response_norm.
 */
export function localResponseNorm(
  x: Tensor,
  size: number,
  ...rest: PyRest<[alpha: number, beta: number, k: number], LrnOptions>
): Tensor {
  const { alpha, beta, k } = lrnArgs('localResponseNorm', rest);
  if (!Number.isInteger(size) || size < 1)
    throw new Error(`local_response_norm: size must be a positive integer, got ${size}`);
  if (x.ndim < 3)
    throw new Error(
      `local_response_norm: Expected 3D or higher dimensionality input (got ${x.ndim} dimensions)`,
    );
  const c = x.shape[1]!;
  const sq = x.mul(x);
  const pad = (n: number) => {
    const shape = [...sq.shape];
    shape[1] = n;
    return zeros(shape, { dtype: sq.dtype, device: sq.device });
  };
  const [before, after] = [Math.floor(size / 2), Math.floor((size - 1) / 2)];
  const padded = cat([...(before ? [pad(before)] : []), sq, ...(after ? [pad(after)] : [])], 1);
  let sum = padded.narrow(1, 0, c);
  for (let t = 1; t < size; t++) sum = sum.add(padded.narrow(1, t, c));
  return x.div(sum.div(size).mul(alpha).add(k).pow(beta));
}

/** Channels split into `groups` and interleaved: [N, g, C/g, …] transposed (torch.nn.functional.channel_shuffle). */
export function channelShuffle(x: Tensor, groups: number): Tensor {
  if (!Number.isInteger(groups) || groups < 1)
    throw new Error(
      `channel_shuffle: Number of groups to divide channels in must be positive. Value of groups:${groups}`,
    );
  if (x.ndim < 3 || x.shape[1]! % groups !== 0)
    throw new Error(
      `channel_shuffle: expected an input [N, C, *] with C divisible by ${groups} groups, got ${formatShape(x.shape)}`,
    );
  const [n, c] = [x.shape[0]!, x.shape[1]!];
  const rest = x.shape.slice(2);
  return x
    .reshape([n, groups, c / groups, ...rest])
    .transpose(1, 2)
    .reshape([n, c, ...rest]);
}

export class LocalResponseNorm extends Module {
  readonly size: number;
  readonly options: Required<LrnOptions>;
  constructor(size: number, ...rest: PyRest<[alpha: number, beta: number, k: number], LrnOptions>) {
    super();
    const { alpha, beta, k } = lrnArgs('LocalResponseNorm', rest);
    if (!Number.isInteger(size) || size < 1)
      throw new Error(`LocalResponseNorm: size must be a positive integer, got ${size}`);
    this.size = size;
    this.options = { alpha, beta, k };
  }
  forward(x: Tensor): Tensor {
    return localResponseNorm(x, this.size, this.options);
  }
}

export class ChannelShuffle extends Module {
  constructor(readonly groups: number) {
    super();
    if (!Number.isInteger(groups) || groups < 1)
      throw new Error(
        `ChannelShuffle: Number of groups to divide channels in must be positive. Value of groups:${groups}`,
      );
  }
  forward(x: Tensor): Tensor {
    return channelShuffle(x, this.groups);
  }
}
