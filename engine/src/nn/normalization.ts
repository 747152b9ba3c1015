// BatchNorm1d/2d (running statistics, train/eval), LayerNorm and GroupNorm, with PyTorch's
// buffers: running_mean, running_var, num_batches_tracked.
import { ones, tensor, zeros } from '../creation.ts';
import { noGrad } from '../autograd/grad-mode.ts';
import { formatShape } from '../shape.ts';
import type { Tensor } from '../tensor.ts';
import { batchNorm, groupNorm, layerNorm } from './functional.ts';
import { Module } from './module.ts';
import type { Parameter } from './parameter.ts';

export interface BatchNormOptions {
  eps?: number;
  momentum?: number;
  affine?: boolean;
  trackRunningStats?: boolean;
  dtype?: 'float32' | 'float64';
}

abstract class BatchNormBase extends Module {
  weight: Parameter | null;
  bias: Parameter | null;
  running_mean: Tensor | null;
  running_var: Tensor | null;
  num_batches_tracked: Tensor | null;
  readonly eps: number;
  readonly momentum: number;

  protected abstract readonly expectedDims: number[];

  constructor(
    readonly numFeatures: number,
    options: BatchNormOptions = {},
  ) {
    super();
    const {
      eps = 1e-5,
      momentum = 0.1,
      affine = true,
      trackRunningStats = true,
      dtype = 'float32',
    } = options;
    this.eps = eps;
    this.momentum = momentum;
    this.weight = affine ? this.param('weight', ones([numFeatures], { dtype })) : null;
    this.bias = affine ? this.param('bias', zeros([numFeatures], { dtype })) : null;
    this.running_mean = trackRunningStats
      ? this.buffer('running_mean', zeros([numFeatures], { dtype }))
      : null;
    this.running_var = trackRunningStats ? this.buffer('running_var', ones([numFeatures], { dtype })) : null;
    this.num_batches_tracked = trackRunningStats
      ? this.buffer('num_batches_tracked', tensor(0, { dtype: 'int32' }))
      : null;
  }

  forward(x: Tensor): Tensor {
    if (!this.expectedDims.includes(x.ndim))
      throw new Error(
        `${this.constructor.name}: expected ${this.expectedDims.join('D or ')}D input, got ${formatShape(x.shape)}`,
      );
    if (x.shape[1] !== this.numFeatures)
      throw new Error(
        `${this.constructor.name}: expected ${this.numFeatures} channels in dim 1, got input ${formatShape(x.shape)}`,
      );
    if (this.training && this.num_batches_tracked) noGrad(() => this.num_batches_tracked!.add_(1));
    return batchNorm(x, {
      runningMean: this.running_mean,
      runningVar: this.running_var,
      weight: this.weight,
      bias: this.bias,
      training: this.training || !this.running_mean,
      momentum: this.momentum,
      eps: this.eps,
    });
  }

  override extraRepr(): string {
    return `${this.numFeatures}, eps=${this.eps}, momentum=${this.momentum}, affine=${this.weight ? 'True' : 'False'}, track_running_stats=${this.running_mean ? 'True' : 'False'}`;
  }
}

export class BatchNorm1d extends BatchNormBase {
  protected readonly expectedDims = [2, 3];
}

export class BatchNorm2d extends BatchNormBase {
  protected readonly expectedDims = [4];
}

export class LayerNorm extends Module {
  weight: Parameter | null;
  bias: Parameter | null;
  readonly normalizedShape: number[];

  constructor(
    normalizedShape: number | readonly number[],
    readonly eps = 1e-5,
    elementwiseAffine = true,
    dtype: 'float32' | 'float64' = 'float32',
  ) {
    super();
    this.normalizedShape = typeof normalizedShape === 'number' ? [normalizedShape] : [...normalizedShape];
    this.weight = elementwiseAffine ? this.param('weight', ones(this.normalizedShape, { dtype })) : null;
    this.bias = elementwiseAffine ? this.param('bias', zeros(this.normalizedShape, { dtype })) : null;
  }

  forward(x: Tensor): Tensor {
    return layerNorm(x, this.normalizedShape, this.weight, this.bias, this.eps);
  }

  override extraRepr(): string {
    return `(${this.normalizedShape.join(', ')},), eps=${this.eps}, elementwise_affine=${this.weight ? 'True' : 'False'}`;
  }
}

export interface GroupNormOptions {
  eps?: number;
  affine?: boolean;
  dtype?: 'float32' | 'float64';
}

/** Normalises each sample over groups of channels; a per-channel weight and bias (PyTorch's GroupNorm). */
export class GroupNorm extends Module {
  weight: Parameter | null;
  bias: Parameter | null;
  readonly eps: number;

  constructor(
    readonly numGroups: number,
    readonly numChannels: number,
    { eps = 1e-5, affine = true, dtype = 'float32' }: GroupNormOptions = {},
  ) {
    super();
    if (numChannels % numGroups !== 0)
      throw new Error(
        `GroupNorm: num_channels (${numChannels}) must be divisible by num_groups (${numGroups})`,
      );
    this.eps = eps;
    this.weight = affine ? this.param('weight', ones([numChannels], { dtype })) : null;
    this.bias = affine ? this.param('bias', zeros([numChannels], { dtype })) : null;
  }

  forward(x: Tensor): Tensor {
    return groupNorm(x, this.numGroups, this.weight, this.bias, this.eps);
  }

  override extraRepr(): string {
    return `${this.numGroups}, ${this.numChannels}, eps=${this.eps}, affine=${this.weight ? 'True' : 'False'}`;
  }
}
