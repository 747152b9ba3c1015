// Activation functions as modules, plus Identity, Flatten and Dropout.
import type { Tensor } from '../tensor.ts';
import { gelu, leakyRelu } from '../functional/activations.ts';
import { flatten } from '../functional/shape.ts';
import { dropout } from './functional.ts';
import { Module } from './module.ts';

export class ReLU extends Module {
  forward = (x: Tensor): Tensor => x.relu();
}
export class Tanh extends Module {
  forward = (x: Tensor): Tensor => x.tanh();
}
export class Sigmoid extends Module {
  forward = (x: Tensor): Tensor => x.sigmoid();
}
export class SiLU extends Module {
  forward = (x: Tensor): Tensor => x.silu();
}
export class Identity extends Module {
  forward = (x: Tensor): Tensor => x;
}

export class LeakyReLU extends Module {
  constructor(readonly negativeSlope = 0.01) {
    super();
  }
  forward(x: Tensor): Tensor {
    return leakyRelu(x, this.negativeSlope);
  }
  override extraRepr(): string {
    return `negative_slope=${this.negativeSlope}`;
  }
}

export class GELU extends Module {
  constructor(readonly approximate: 'none' | 'tanh' = 'none') {
    super();
  }
  forward(x: Tensor): Tensor {
    return gelu(x, this.approximate);
  }
  override extraRepr(): string {
    return `approximate='${this.approximate}'`;
  }
}

export class Softmax extends Module {
  constructor(readonly dim: number) {
    super();
  }
  forward(x: Tensor): Tensor {
    return x.softmax(this.dim);
  }
  override extraRepr(): string {
    return `dim=${this.dim}`;
  }
}

export class LogSoftmax extends Module {
  constructor(readonly dim: number) {
    super();
  }
  forward(x: Tensor): Tensor {
    return x.logSoftmax(this.dim);
  }
  override extraRepr(): string {
    return `dim=${this.dim}`;
  }
}

export class Flatten extends Module {
  constructor(
    readonly startDim = 1,
    readonly endDim = -1,
  ) {
    super();
  }
  forward(x: Tensor): Tensor {
    return flatten(x, this.startDim, this.endDim);
  }
  override extraRepr(): string {
    return `start_dim=${this.startDim}, end_dim=${this.endDim}`;
  }
}

export class Dropout extends Module {
  constructor(readonly p = 0.5) {
    super();
    if (p < 0 || p > 1) throw new Error(`Dropout: probability has to be between 0 and 1, but got ${p}`);
  }
  forward(x: Tensor): Tensor {
    return dropout(x, this.p, this.training);
  }
  override extraRepr(): string {
    return `p=${this.p}, inplace=False`;
  }
}
