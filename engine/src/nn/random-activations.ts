// Activations with randomness in training, as torch.nn.functional has them: rrelu (a random
// slope per negative element in training, the mean slope in evaluation) and gumbel_softmax
// (a softmax over Gumbel-perturbed logits, or its one-hot with the soft gradient).
import { pyArgs, is, type PyRest } from '../args.ts';
import type { Tensor } from '../tensor.ts';
import { rand } from '../creation.ts';
import type { Generator } from '../random.ts';
import { Module } from './module.ts';

type RreluOptions = {
  lower?: number;
  upper?: number;
  training?: boolean;
  inplace?: boolean;
  generator?: Generator;
};

/**
 * x where x ≥ 0, else x·a with a drawn uniformly from [lower, upper] per element in training, and
 * a = (lower + upper)/2 in evaluation (torch.nn.functional.rrelu; training defaults to false).
 */
export function rrelu(
  x: Tensor,
  ...rest: PyRest<[lower: number, upper: number, training: boolean, inplace: boolean], RreluOptions>
): Tensor {
  const {
    lower = 1 / 8,
    upper = 1 / 3,
    training = false,
    generator,
  } = pyArgs<Required<RreluOptions>>(
    'rrelu',
    ['lower', 'upper', 'training', 'inplace', 'generator'],
    rest,
    { lower: is.number, upper: is.number, training: is.bool, inplace: is.bool },
    4,
  );
  if (lower > upper)
    throw new Error(
      `rrelu: Lower bound should be less than or equal to the upper bound (got ${lower} > ${upper})`,
    );
  const slope = training
    ? rand(x.shape, { dtype: x.dtype, device: x.device, ...(generator ? { generator } : {}) })
        .mul(upper - lower)
        .add(lower)
    : (lower + upper) / 2;
  return x.where(x.ge(0), x.mul(slope));
}

export class RReLU extends Module {
  readonly lower: number;
  readonly upper: number;
  constructor(
    ...rest: PyRest<
      [lower: number, upper: number, inplace: boolean],
      { lower?: number; upper?: number; inplace?: boolean }
    >
  ) {
    super();
    const { lower = 1 / 8, upper = 1 / 3 } = pyArgs<{ lower: number; upper: number; inplace: boolean }>(
      'RReLU',
      ['lower', 'upper', 'inplace'],
      rest,
      { lower: is.number, upper: is.number, inplace: is.bool },
    );
    if (lower > upper)
      throw new Error(
        `RReLU: Lower bound should be less than or equal to the upper bound (got ${lower} > ${upper})`,
      );
    [this.lower, this.upper] = [lower, upper];
  }
  forward(x: Tensor): Tensor {
    return rrelu(x, { lower: this.lower, upper: this.upper, training: this.training });
  }
  override extraRepr(): string {
    return `lower=${this.lower}, upper=${this.upper}`;
  }
}

type GumbelOptions = { tau?: number; hard?: boolean; eps?: number; dim?: number; generator?: Generator };

/**
 * softmax((logits + g)/tau) along `dim` with g ~ Gumbel(0, 1) (torch.nn.functional.gumbel_softmax);
 * with `hard`, the one-hot of its argmax in the forward and the soft sample's gradient (straight
 * through).
 */
export function gumbelSoftmax(
  logits: Tensor,
  ...rest: PyRest<[tau: number, hard: boolean, eps: number, dim: number], GumbelOptions>
): Tensor {
  const {
    tau = 1,
    hard = false,
    dim = -1,
    generator,
  } = pyArgs<Required<GumbelOptions>>(
    'gumbelSoftmax',
    ['tau', 'hard', 'eps', 'dim', 'generator'],
    rest,
    { tau: is.positive, hard: is.bool, eps: is.number, dim: is.int },
    4,
  );
  // −log(E) with E ~ Exp(1) = −log(−log U); U is kept away from 0 and 1 so both logs are finite.
  const u = rand(logits.shape, {
    dtype: logits.dtype,
    device: logits.device,
    ...(generator ? { generator } : {}),
  }).clamp(1e-10, 1 - 1e-7);
  const gumbels = u.log().neg().log().neg();
  const soft = logits.add(gumbels).div(tau).softmax(dim);
  if (!hard) return soft;
  const index = soft.argmax(dim, true);
  const oneHot = soft.detach().mul(0).scatter(dim, index, 1);
  return oneHot.sub(soft.detach()).add(soft);
}
