// Conv1d and Conv2d (stride, padding, dilation, groups) with PyTorch's weight layout
// [out, in/groups, kH, kW] and initialisation.
import { zeros } from '../creation.ts';
import type { Tensor } from '../tensor.ts';
import { conv1d, conv2d, type Pair } from './conv-functional.ts';
import { calculateFans, kaimingUniform_, uniform_ } from './init.ts';
import { Module } from './module.ts';
import type { Parameter } from './parameter.ts';

export interface ConvOptions<P> {
  stride?: P;
  padding?: P;
  dilation?: P;
  groups?: number;
  bias?: boolean;
  dtype?: 'float32' | 'float64';
}

abstract class ConvNd extends Module {
  weight: Parameter;
  bias: Parameter | null;

  constructor(
    readonly inChannels: number,
    readonly outChannels: number,
    readonly kernelSize: number[],
    readonly groups: number,
    bias: boolean,
    dtype: 'float32' | 'float64',
  ) {
    super();
    if (inChannels % groups !== 0)
      throw new Error(`${new.target.name}: in_channels must be divisible by groups`);
    if (outChannels % groups !== 0)
      throw new Error(`${new.target.name}: out_channels must be divisible by groups`);
    this.weight = this.param('weight', zeros([outChannels, inChannels / groups, ...kernelSize], { dtype }));
    this.bias = bias ? this.param('bias', zeros([outChannels], { dtype })) : null;
    kaimingUniform_(this.weight, { a: Math.sqrt(5) });
    if (this.bias) {
      const { fanIn } = calculateFans(this.weight);
      const bound = fanIn > 0 ? 1 / Math.sqrt(fanIn) : 0;
      uniform_(this.bias, -bound, bound);
    }
  }
}

const asPair = (v: Pair): [number, number] => (typeof v === 'number' ? [v, v] : [v[0], v[1]]);

export class Conv2d extends ConvNd {
  readonly stride: [number, number];
  readonly padding: [number, number];
  readonly dilation: [number, number];

  constructor(inChannels: number, outChannels: number, kernelSize: Pair, options: ConvOptions<Pair> = {}) {
    const { stride = 1, padding = 0, dilation = 1, groups = 1, bias = true, dtype = 'float32' } = options;
    super(inChannels, outChannels, asPair(kernelSize), groups, bias, dtype);
    this.stride = asPair(stride);
    this.padding = asPair(padding);
    this.dilation = asPair(dilation);
  }

  forward(x: Tensor): Tensor {
    return conv2d(x, this.weight, this.bias, {
      stride: this.stride,
      padding: this.padding,
      dilation: this.dilation,
      groups: this.groups,
    });
  }

  override extraRepr(): string {
    return `${this.inChannels}, ${this.outChannels}, kernel_size=(${this.kernelSize.join(', ')}), stride=(${this.stride.join(', ')})`;
  }
}

export class Conv1d extends ConvNd {
  readonly stride: number;
  readonly padding: number;
  readonly dilation: number;

  constructor(
    inChannels: number,
    outChannels: number,
    kernelSize: number,
    options: ConvOptions<number> = {},
  ) {
    const { stride = 1, padding = 0, dilation = 1, groups = 1, bias = true, dtype = 'float32' } = options;
    super(inChannels, outChannels, [kernelSize], groups, bias, dtype);
    this.stride = stride;
    this.padding = padding;
    this.dilation = dilation;
  }

  forward(x: Tensor): Tensor {
    return conv1d(x, this.weight, this.bias, {
      stride: this.stride,
      padding: this.padding,
      dilation: this.dilation,
      groups: this.groups,
    });
  }

  override extraRepr(): string {
    return `${this.inChannels}, ${this.outChannels}, kernel_size=(${this.kernelSize[0]},), stride=(${this.stride},)`;
  }
}
