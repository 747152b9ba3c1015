// Loss functions as modules (MSELoss, CrossEntropyLoss, …) around nn/losses.ts.
import type { Tensor } from '../tensor.ts';
import * as L from './losses.ts';
import { Module } from './module.ts';

export class MSELoss extends Module {
  constructor(readonly reduction: L.Reduction = 'mean') {
    super();
  }
  forward(input: Tensor, target: Tensor): Tensor {
    return L.mseLoss(input, target, this.reduction);
  }
}

export class L1Loss extends Module {
  constructor(readonly reduction: L.Reduction = 'mean') {
    super();
  }
  forward(input: Tensor, target: Tensor): Tensor {
    return L.l1Loss(input, target, this.reduction);
  }
}

export class SmoothL1Loss extends Module {
  constructor({ reduction = 'mean' as L.Reduction, beta = 1 } = {}) {
    super();
    this.reduction = reduction;
    this.beta = beta;
  }
  readonly reduction: L.Reduction;
  readonly beta: number;
  forward(input: Tensor, target: Tensor): Tensor {
    return L.smoothL1Loss(input, target, this.reduction, this.beta);
  }
}

export class HuberLoss extends Module {
  constructor({ reduction = 'mean' as L.Reduction, delta = 1 } = {}) {
    super();
    this.reduction = reduction;
    this.delta = delta;
  }
  readonly reduction: L.Reduction;
  readonly delta: number;
  forward(input: Tensor, target: Tensor): Tensor {
    return L.huberLoss(input, target, this.reduction, this.delta);
  }
}

export class CrossEntropyLoss extends Module {
  constructor(readonly options: L.CrossEntropyOptions = {}) {
    super();
  }
  forward(input: Tensor, target: Tensor): Tensor {
    return L.crossEntropy(input, target, this.options);
  }
}

export class NLLLoss extends Module {
  constructor(readonly options: L.NllOptions = {}) {
    super();
  }
  forward(input: Tensor, target: Tensor): Tensor {
    return L.nllLoss(input, target, this.options);
  }
}

export class BCELoss extends Module {
  constructor(readonly options: { weight?: Tensor | null; reduction?: L.Reduction } = {}) {
    super();
  }
  forward(input: Tensor, target: Tensor): Tensor {
    return L.binaryCrossEntropy(input, target, this.options);
  }
}

export class BCEWithLogitsLoss extends Module {
  constructor(readonly options: L.BceWithLogitsOptions = {}) {
    super();
  }
  forward(input: Tensor, target: Tensor): Tensor {
    return L.binaryCrossEntropyWithLogits(input, target, this.options);
  }
}

export class KLDivLoss extends Module {
  constructor(readonly options: { reduction?: L.Reduction | 'batchmean'; logTarget?: boolean } = {}) {
    super();
  }
  forward(input: Tensor, target: Tensor): Tensor {
    return L.klDiv(input, target, this.options);
  }
}
