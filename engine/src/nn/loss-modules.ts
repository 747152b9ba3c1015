// Loss functions as modules (MSELoss, CrossEntropyLoss, …) around nn/losses.ts. A module takes
// what its function takes after (input, target) — an options object, and PyTorch's positional
// weight (class-weighted losses) or a reduction string (the others) — and checks it when built.
import type { Tensor } from '../tensor.ts';
import * as L from './losses.ts';
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
