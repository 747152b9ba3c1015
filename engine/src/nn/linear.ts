// Linear: y = x·Wᵀ + b with W of shape [out, in] (PyTorch's layout), initialised as PyTorch does.
import { zeros } from '../creation.ts';
import type { Tensor } from '../tensor.ts';
import { linear } from './functional.ts';
import { kaimingUniform_, uniform_, calculateFans } from './init.ts';
import { Module } from './module.ts';
import type { Parameter } from './parameter.ts';

export interface LinearOptions {
  bias?: boolean;
  dtype?: 'float32' | 'float64';
}

export class Linear extends Module {
  weight: Parameter;
  bias: Parameter | null;

  constructor(
    readonly inFeatures: number,
    readonly outFeatures: number,
    { bias = true, dtype = 'float32' }: LinearOptions = {},
  ) {
    super();
    this.weight = this.param('weight', zeros([outFeatures, inFeatures], { dtype }));
    this.bias = bias ? this.param('bias', zeros([outFeatures], { dtype })) : null;
    this.resetParameters();
  }

  resetParameters(): void {
    kaimingUniform_(this.weight, { a: Math.sqrt(5) });
    if (this.bias) {
      const { fanIn } = calculateFans(this.weight);
      const bound = fanIn > 0 ? 1 / Math.sqrt(fanIn) : 0;
      uniform_(this.bias, -bound, bound);
    }
  }

  forward(x: Tensor): Tensor {
    return linear(x, this.weight, this.bias);
  }

  override extraRepr(): string {
    return `in_features=${this.inFeatures}, out_features=${this.outFeatures}, bias=${this.bias !== null ? 'True' : 'False'}`;
  }
}
