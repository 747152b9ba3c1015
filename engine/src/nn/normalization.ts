// BatchNorm1d/2d/3d, InstanceNorm1d/2d/3d (running statistics, train/eval), LayerNorm and GroupNorm,
// with PyTorch's buffers (running_mean, running_var, num_batches_tracked) and signatures:
// BatchNorm2d(num_features, eps, momentum, affine, track_running_stats), LayerNorm(
// normalized_shape, eps, elementwise_affine, bias), GroupNorm(num_groups, num_channels, eps,
// affine), positional or as options.
import { pyArgs, is, type Check, type PyRest } from '../args.ts';
import { ones, tensor, zeros } from '../creation.ts';
import { noGrad } from '../autograd/grad-mode.ts';
import { formatShape } from '../shape.ts';
import type { Tensor } from '../tensor.ts';
import { batchNorm, groupNorm, instanceNorm, layerNorm } from './functional.ts';
import { checkSizes } from './linear.ts';
import { Module } from './module.ts';
import type { Parameter } from './parameter.ts';

export interface BatchNormOptions {
  eps?: number;
  /** The running statistics' update rate (null: a cumulative average, as in PyTorch). */
  momentum?: number | null;
  affine?: boolean;
  trackRunningStats?: boolean;
  dtype?: 'float32' | 'float64';
}
const BN = ['eps', 'momentum', 'affine', 'trackRunningStats', 'dtype'] as const;
const BN_CHECKS: Record<string, Check> = {
  eps: is.positive,
  momentum: is.orNull(is.probability),
  affine: is.bool,
  trackRunningStats: is.bool,
  dtype: is.oneOf('float32', 'float64'),
};
type BnRest = [eps: number, momentum: number | null, affine: boolean, trackRunningStats: boolean];

abstract class BatchNormBase extends Module {
  weight: Parameter | null;
  bias: Parameter | null;
  running_mean: Tensor | null;
  running_var: Tensor | null;
  num_batches_tracked: Tensor | null;
  readonly eps: number;
  readonly momentum: number | null;

  protected abstract readonly expectedDims: number[];

  constructor(
    readonly numFeatures: number,
    rest: readonly unknown[],
    defaults: { affine: boolean; trackRunningStats: boolean } = { affine: true, trackRunningStats: true },
  ) {
    super();
    checkSizes(new.target.name, { num_features: numFeatures });
    const o = pyArgs<BatchNormOptions & Record<string, unknown>>(new.target.name, BN, rest, BN_CHECKS);
    const {
      eps = 1e-5,
      momentum = 0.1,
      affine = defaults.affine,
      trackRunningStats = defaults.trackRunningStats,
      dtype = 'float32',
    } = o;
    this.eps = eps;
    this.momentum = momentum;
    this.weight = affine ? this.param('weight', ones([numFeatures], { dtype })) : null;
    this.bias = affine ? this.param('bias', zeros([numFeatures], { dtype })) : null;
    this.running_mean = trackRunningStats
      ? this.buffer('running_mean', zeros([numFeatures], { dtype }))
      : null;
    this.running_var = trackRunningStats ? this.buffer('running_var', ones([numFeatures], { dtype })) : null;
    this.num_batches_tracked = trackRunningStats
      ? this.buffer('num_batches_tracked', tensor(0, { dtype: 'int64' }))
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
    // momentum null: a cumulative moving average, 1 / batches seen so far.
    const momentum =
      this.momentum ?? (this.num_batches_tracked ? 1 / Math.max(1, this.num_batches_tracked.item()) : 0);
    return this.normalize(x, momentum);
  }

  protected normalize(x: Tensor, momentum: number): Tensor {
    return batchNorm(x, {
      runningMean: this.running_mean,
      runningVar: this.running_var,
      weight: this.weight,
      bias: this.bias,
      training: this.training || !this.running_mean,
      momentum,
      eps: this.eps,
    });
  }

  override extraRepr(): string {
    return `${this.numFeatures}, eps=${this.eps}, momentum=${this.momentum}, affine=${this.weight ? 'True' : 'False'}, track_running_stats=${this.running_mean ? 'True' : 'False'}`;
  }
}

export class BatchNorm1d extends BatchNormBase {
  protected readonly expectedDims = [2, 3];
  constructor(numFeatures: number, options?: BatchNormOptions);
  constructor(numFeatures: number, ...rest: PyRest<[...BnRest], BatchNormOptions>);
  constructor(numFeatures: number, ...rest: unknown[]) {
    super(numFeatures, rest);
  }
}

export class BatchNorm2d extends BatchNormBase {
  protected readonly expectedDims = [4];
  constructor(numFeatures: number, options?: BatchNormOptions);
  constructor(numFeatures: number, ...rest: PyRest<[...BnRest], BatchNormOptions>);
  constructor(numFeatures: number, ...rest: unknown[]) {
    super(numFeatures, rest);
  }
}

export class BatchNorm3d extends BatchNormBase {
  protected readonly expectedDims = [5];
  constructor(numFeatures: number, options?: BatchNormOptions);
  constructor(numFeatures: number, ...rest: PyRest<[...BnRest], BatchNormOptions>);
  constructor(numFeatures: number, ...rest: unknown[]) {
    super(numFeatures, rest);
  }
}

/** Normalises each sample's channels over their own spatial positions (no affine by default). */
abstract class InstanceNormBase extends BatchNormBase {
  /** An unbatched input ([C, …], the fewer of the two ranks accepted) is one sample, as in PyTorch. */
  override forward(x: Tensor): Tensor {
    if (x.ndim === Math.min(...this.expectedDims)) return super.forward(x.unsqueeze(0)).squeeze(0);
    return super.forward(x);
  }

  protected override normalize(x: Tensor, momentum: number): Tensor {
    return instanceNorm(x, {
      runningMean: this.running_mean,
      runningVar: this.running_var,
      weight: this.weight,
      bias: this.bias,
      useInputStats: this.training || !this.running_mean,
      momentum,
      eps: this.eps,
    });
  }
}

export class InstanceNorm1d extends InstanceNormBase {
  protected readonly expectedDims = [2, 3];
  constructor(numFeatures: number, options?: BatchNormOptions);
  constructor(numFeatures: number, ...rest: PyRest<[...BnRest], BatchNormOptions>);
  constructor(numFeatures: number, ...rest: unknown[]) {
    super(numFeatures, rest, { affine: false, trackRunningStats: false });
  }
}

export class InstanceNorm2d extends InstanceNormBase {
  protected readonly expectedDims = [3, 4];
  constructor(numFeatures: number, options?: BatchNormOptions);
  constructor(numFeatures: number, ...rest: PyRest<[...BnRest], BatchNormOptions>);
  constructor(numFeatures: number, ...rest: unknown[]) {
    super(numFeatures, rest, { affine: false, trackRunningStats: false });
  }
}

export class InstanceNorm3d extends InstanceNormBase {
  protected readonly expectedDims = [4, 5];
  constructor(numFeatures: number, options?: BatchNormOptions);
  constructor(numFeatures: number, ...rest: PyRest<[...BnRest], BatchNormOptions>);
  constructor(numFeatures: number, ...rest: unknown[]) {
    super(numFeatures, rest, { affine: false, trackRunningStats: false });
  }
}

export interface LayerNormOptions {
  eps?: number;
  elementwiseAffine?: boolean;
  bias?: boolean;
  dtype?: 'float32' | 'float64';
}

export class LayerNorm extends Module {
  weight: Parameter | null;
  bias: Parameter | null;
  readonly normalizedShape: number[];

  readonly eps: number;

  constructor(normalizedShape: number | readonly number[], options?: LayerNormOptions);
  constructor(
    normalizedShape: number | readonly number[],
    ...rest: PyRest<[eps: number, elementwiseAffine: boolean, bias: boolean], LayerNormOptions>
  );
  constructor(normalizedShape: number | readonly number[], ...rest: unknown[]) {
    super();
    const o = pyArgs<LayerNormOptions & Record<string, unknown>>(
      'LayerNorm',
      ['eps', 'elementwiseAffine', 'bias', 'dtype'],
      rest,
      { eps: is.positive, elementwiseAffine: is.bool, bias: is.bool, dtype: is.oneOf('float32', 'float64') },
    );
    const { eps = 1e-5, elementwiseAffine = true, bias = true, dtype = 'float32' } = o;
    this.eps = eps;
    this.normalizedShape = typeof normalizedShape === 'number' ? [normalizedShape] : [...normalizedShape];
    checkSizes(
      'LayerNorm',
      Object.fromEntries(this.normalizedShape.map((d, i) => [`normalized_shape[${i}]`, d])),
    );
    this.weight = elementwiseAffine ? this.param('weight', ones(this.normalizedShape, { dtype })) : null;
    this.bias = elementwiseAffine && bias ? this.param('bias', zeros(this.normalizedShape, { dtype })) : null;
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

  constructor(numGroups: number, numChannels: number, options?: GroupNormOptions);
  constructor(
    numGroups: number,
    numChannels: number,
    ...rest: PyRest<[eps: number, affine: boolean], GroupNormOptions>
  );
  constructor(
    readonly numGroups: number,
    readonly numChannels: number,
    ...rest: unknown[]
  ) {
    super();
    checkSizes('GroupNorm', { num_groups: numGroups, num_channels: numChannels });
    const o = pyArgs<GroupNormOptions & Record<string, unknown>>(
      'GroupNorm',
      ['eps', 'affine', 'dtype'],
      rest,
      {
        eps: is.positive,
        affine: is.bool,
        dtype: is.oneOf('float32', 'float64'),
      },
    );
    const { eps = 1e-5, affine = true, dtype = 'float32' } = o;
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
