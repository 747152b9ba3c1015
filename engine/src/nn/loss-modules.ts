// Loss functions as modules (MSELoss, CrossEntropyLoss, …) around nn/losses.ts. A module takes
// what its function takes after (input, target) — an options object, and PyTorch's positional
// weight (class-weighted losses) or a reduction string (the others) — and checks it when built.
import type { Tensor } from '../tensor.ts';
import * as L from './losses.ts';
import * as X from './losses-extra.ts';
import * as M from './losses-margin.ts';
import { Module } from './module.ts';

/** A loss as a module: forward(input, target) with the arguments it was built with. */
export interface LossModule<A extends unknown[]> extends Module {
  readonly args: A;
  forward(input: Tensor, target: Tensor): Tensor;
}

function lossModule<A extends unknown[]>(
  name: L.LossName,
  fn: (input: Tensor, target: Tensor, ...rest: A) => Tensor,
): new (...args: A) => LossModule<A> {
  return class extends Module {
    readonly args: A;
    constructor(...args: A) {
      super();
      L.lossArgs(name, args);
      this.args = args;
    }
    forward(input: Tensor, target: Tensor): Tensor {
      return fn(input, target, ...this.args);
    }
  };
}

export class MSELoss extends lossModule('mseLoss', L.mseLoss) {}
export class L1Loss extends lossModule('l1Loss', L.l1Loss) {}
export class SmoothL1Loss extends lossModule('smoothL1Loss', L.smoothL1Loss) {}
export class HuberLoss extends lossModule('huberLoss', L.huberLoss) {}
export class CrossEntropyLoss extends lossModule('crossEntropy', L.crossEntropy) {}
export class NLLLoss extends lossModule('nllLoss', L.nllLoss) {}
export class BCELoss extends lossModule('binaryCrossEntropy', L.binaryCrossEntropy) {}
export class BCEWithLogitsLoss extends lossModule(
  'binaryCrossEntropyWithLogits',
  L.binaryCrossEntropyWithLogits,
) {}
export class KLDivLoss extends lossModule('klDiv', L.klDiv) {}

/** A loss of `arity` tensors as a module: its arguments after the tensors, checked when built. */
export interface TensorsLossModule<A extends unknown[]> extends Module {
  readonly args: A;
  forward(...tensors: Tensor[]): Tensor;
}

function tensorsLossModule<A extends unknown[]>(
  name: X.ExtraLossName,
  arity: number,
  fn: (...args: any[]) => Tensor, // eslint-disable-line @typescript-eslint/no-explicit-any -- any loss's own signature
): new (...args: A) => TensorsLossModule<A> {
  return class extends Module {
    readonly args: A;
    constructor(...args: A) {
      super();
      X.extraLossArgs(name, args);
      this.args = args;
    }
    forward(...tensors: Tensor[]): Tensor {
      if (tensors.length !== arity)
        throw new Error(`${name}: forward takes ${arity} tensors, got ${tensors.length}`);
      return fn(...tensors, ...this.args);
    }
  };
}

type Rest<F> = F extends (a: Tensor, b: Tensor, ...rest: infer R) => Tensor ? R : never;
type Rest3<F> = F extends (a: Tensor, b: Tensor, c: Tensor, ...rest: infer R) => Tensor ? R : never;

export class SoftMarginLoss extends tensorsLossModule<Rest<typeof X.softMarginLoss>>(
  'softMarginLoss',
  2,
  X.softMarginLoss,
) {}
export class MultiLabelSoftMarginLoss extends tensorsLossModule<Rest<typeof X.multilabelSoftMarginLoss>>(
  'multilabelSoftMarginLoss',
  2,
  X.multilabelSoftMarginLoss,
) {}
export class HingeEmbeddingLoss extends tensorsLossModule<Rest<typeof X.hingeEmbeddingLoss>>(
  'hingeEmbeddingLoss',
  2,
  X.hingeEmbeddingLoss,
) {}
export class PoissonNLLLoss extends tensorsLossModule<Rest<typeof X.poissonNllLoss>>(
  'poissonNllLoss',
  2,
  X.poissonNllLoss,
) {}
export class GaussianNLLLoss extends tensorsLossModule<Rest3<typeof X.gaussianNllLoss>>(
  'gaussianNllLoss',
  3,
  X.gaussianNllLoss,
) {}
export class MarginRankingLoss extends tensorsLossModule<Rest3<typeof X.marginRankingLoss>>(
  'marginRankingLoss',
  3,
  X.marginRankingLoss,
) {}
export class CosineEmbeddingLoss extends tensorsLossModule<Rest3<typeof X.cosineEmbeddingLoss>>(
  'cosineEmbeddingLoss',
  3,
  X.cosineEmbeddingLoss,
) {}
export class TripletMarginLoss extends tensorsLossModule<Rest3<typeof X.tripletMarginLoss>>(
  'tripletMarginLoss',
  3,
  X.tripletMarginLoss,
) {}
export class MultiMarginLoss extends tensorsLossModule<Rest<typeof M.multiMarginLoss>>(
  'multiMarginLoss',
  2,
  M.multiMarginLoss,
) {}
export class MultiLabelMarginLoss extends tensorsLossModule<Rest<typeof M.multilabelMarginLoss>>(
  'multilabelMarginLoss',
  2,
  M.multilabelMarginLoss,
) {}
export class TripletMarginWithDistanceLoss extends tensorsLossModule<
  Rest3<typeof M.tripletMarginWithDistanceLoss>
>('tripletMarginWithDistanceLoss', 3, M.tripletMarginWithDistanceLoss) {}
