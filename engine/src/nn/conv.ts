// Conv1d/2d/3d and ConvTranspose1d/2d with PyTorch's signatures (positional or options), weight
// layouts ([out, in/groups, *k]; transposed: [in, out/groups, *k]), initialisation and padding
// modes (zeros, reflect, replicate, circular).
import { pyArgs, is, type Check, type PyRest } from '../args.ts';
import { zeros } from '../creation.ts';
import type { Device } from '../backend/types.ts';
import type { Tensor } from '../tensor.ts';
import { conv1d, conv2d, conv3d, convTranspose1d, convTranspose2d } from './conv-functional.ts';
import { calculateFans, kaimingUniform_, uniform_ } from './init.ts';
import { Module } from './module.ts';
import { pad, type PadMode } from './pad.ts';
import type { Parameter } from './parameter.ts';
import { expand, type Size } from './windows.ts';

type Dtype = 'float32' | 'float64';

export interface ConvOptions {
  stride?: Size;
  padding?: Size | 'valid' | 'same';
  dilation?: Size;
  groups?: number;
  bias?: boolean;
  paddingMode?: 'zeros' | PadMode;
  device?: Device;
  dtype?: Dtype;
}
const CONV = ['stride', 'padding', 'dilation', 'groups', 'bias', 'paddingMode', 'device', 'dtype'] as const;

export interface ConvTransposeOptions {
  stride?: Size;
  padding?: Size;
  outputPadding?: Size;
  groups?: number;
  bias?: boolean;
  dilation?: Size;
  device?: Device;
  dtype?: Dtype;
}
const CONV_T = [
  'stride',
  'padding',
  'outputPadding',
  'groups',
  'bias',
  'dilation',
  'device',
  'dtype',
] as const;

const checks = (n: number): Record<string, Check> => ({
  stride: is.size(n),
  padding: (v) => (v === 'valid' || v === 'same' ? null : is.size(n, 0)(v)),
  outputPadding: is.size(n, 0),
  dilation: is.size(n),
  groups: is.positiveInt,
  bias: is.bool,
  paddingMode: is.oneOf('zeros', 'reflect', 'replicate', 'circular'),
  device: is.oneOf('cpu', 'webgpu'),
  dtype: is.oneOf('float32', 'float64'),
});

const tuple = (v: readonly number[]) => `(${v.join(', ')}${v.length === 1 ? ',' : ''})`;

abstract class ConvBase extends Module {
  weight: Parameter;
  bias: Parameter | null;
  readonly kernelSize: number[];
  readonly stride: number[];
  readonly dilation: number[];
  readonly groups: number;

  constructor(
    name: string,
    spatial: number,
    readonly inChannels: number,
    readonly outChannels: number,
    kernelSize: Size,
    o: Omit<ConvOptions, 'padding'> & Omit<ConvTransposeOptions, 'padding'>,
    transposed: boolean,
  ) {
    super();
    for (const [what, v] of [
      ['in_channels', inChannels],
      ['out_channels', outChannels],
    ] as const)
      if (v === undefined) throw new TypeError(`${name}: missing required argument '${what}'`);
      else if (!Number.isInteger(v) || v < 1)
        throw new TypeError(`${name}: ${what} must be a positive integer, got ${String(v)}`);
    if (kernelSize === undefined) throw new TypeError(`${name}: missing required argument 'kernel_size'`);
    const kernel = is.size(spatial)(kernelSize);
    if (kernel) throw new TypeError(`${name}: kernel_size ${kernel}, got ${JSON.stringify(kernelSize)}`);
    this.kernelSize = expand(kernelSize, spatial);
    this.stride = expand(o.stride ?? 1, spatial);
    this.dilation = expand(o.dilation ?? 1, spatial);
    this.groups = o.groups ?? 1;
    if (inChannels % this.groups !== 0) throw new Error(`${name}: in_channels must be divisible by groups`);
    if (outChannels % this.groups !== 0) throw new Error(`${name}: out_channels must be divisible by groups`);
    const dtype = o.dtype ?? 'float32';
    const shape = transposed
      ? [inChannels, outChannels / this.groups, ...this.kernelSize]
      : [outChannels, inChannels / this.groups, ...this.kernelSize];
    this.weight = this.param('weight', zeros(shape, { dtype }));
    this.bias = (o.bias ?? true) ? this.param('bias', zeros([outChannels], { dtype })) : null;
    kaimingUniform_(this.weight, { a: Math.sqrt(5) });
    if (this.bias) {
      const { fanIn } = calculateFans(this.weight);
      const bound = fanIn > 0 ? 1 / Math.sqrt(fanIn) : 0;
      uniform_(this.bias, -bound, bound);
    }
    if (o.device && o.device !== 'cpu') this.to(o.device);
  }
}

abstract class ConvNd extends ConvBase {
  readonly padding: number[] | 'valid' | 'same';
  readonly paddingMode: 'zeros' | PadMode;

  constructor(name: string, spatial: number, inC: number, outC: number, k: Size, rest: readonly unknown[]) {
    const o = pyArgs<ConvOptions & Record<string, unknown>>(name, CONV, rest, checks(spatial));
    super(name, spatial, inC, outC, k, o, false);
    const padding = o.padding ?? 0;
    this.padding = typeof padding === 'string' ? padding : expand(padding, spatial);
    this.paddingMode = o.paddingMode ?? 'zeros';
    if (this.paddingMode !== 'zeros' && typeof this.padding === 'string' && this.padding === 'same')
      throw new Error(`${name}: padding='same' works with padding_mode='zeros' only`);
  }

  protected run(conv: typeof conv2d, x: Tensor): Tensor {
    const { weight, bias, stride, dilation, groups, padding, paddingMode } = this;
    if (paddingMode === 'zeros' || typeof padding === 'string')
      return conv(x, weight, { bias, stride, padding, dilation, groups });
    // Other modes pad first (F.pad takes the last dim first), then convolve without padding.
    const amounts = [...padding].reverse().flatMap((p) => [p, p]);
    return conv(pad(x, amounts, paddingMode), weight, { bias, stride, padding: 0, dilation, groups });
  }

  override extraRepr(): string {
    const parts = [
      `${this.inChannels}, ${this.outChannels}, kernel_size=${tuple(this.kernelSize)}, stride=${tuple(this.stride)}`,
    ];
    if (typeof this.padding === 'string') parts.push(`padding=${this.padding}`);
    else if (this.padding.some((p) => p !== 0)) parts.push(`padding=${tuple(this.padding)}`);
    if (this.dilation.some((d) => d !== 1)) parts.push(`dilation=${tuple(this.dilation)}`);
    if (this.groups !== 1) parts.push(`groups=${this.groups}`);
    if (!this.bias) parts.push('bias=False');
    if (this.paddingMode !== 'zeros') parts.push(`padding_mode=${this.paddingMode}`);
    return parts.join(', ');
  }
}

type ConvRest = [
  stride: Size,
  padding: Size | 'valid' | 'same',
  dilation: Size,
  groups: number,
  bias: boolean,
  paddingMode: 'zeros' | PadMode,
];

export class Conv1d extends ConvNd {
  constructor(inChannels: number, outChannels: number, kernelSize: Size, options?: ConvOptions);
  constructor(
    inChannels: number,
    outChannels: number,
    kernelSize: Size,
    ...rest: PyRest<[...ConvRest], ConvOptions>
  );
  constructor(inChannels: number, outChannels: number, kernelSize: Size, ...rest: unknown[]) {
    super('Conv1d', 1, inChannels, outChannels, kernelSize, rest);
  }
  forward(x: Tensor): Tensor {
    return this.run(conv1d, x);
  }
}

export class Conv2d extends ConvNd {
  constructor(inChannels: number, outChannels: number, kernelSize: Size, options?: ConvOptions);
  constructor(
    inChannels: number,
    outChannels: number,
    kernelSize: Size,
    ...rest: PyRest<[...ConvRest], ConvOptions>
  );
  constructor(inChannels: number, outChannels: number, kernelSize: Size, ...rest: unknown[]) {
    super('Conv2d', 2, inChannels, outChannels, kernelSize, rest);
  }
  forward(x: Tensor): Tensor {
    return this.run(conv2d, x);
  }
}

export class Conv3d extends ConvNd {
  constructor(inChannels: number, outChannels: number, kernelSize: Size, options?: ConvOptions);
  constructor(
    inChannels: number,
    outChannels: number,
    kernelSize: Size,
    ...rest: PyRest<[...ConvRest], ConvOptions>
  );
  constructor(inChannels: number, outChannels: number, kernelSize: Size, ...rest: unknown[]) {
    super('Conv3d', 3, inChannels, outChannels, kernelSize, rest);
  }
  forward(x: Tensor): Tensor {
    return this.run(conv3d, x);
  }
}

abstract class ConvTransposeNd extends ConvBase {
  readonly padding: number[];
  readonly outputPadding: number[];

  constructor(name: string, spatial: number, inC: number, outC: number, k: Size, rest: readonly unknown[]) {
    const o = pyArgs<ConvTransposeOptions & Record<string, unknown>>(name, CONV_T, rest, {
      ...checks(spatial),
      padding: is.size(spatial, 0),
    });
    super(name, spatial, inC, outC, k, o, true);
    this.padding = expand(o.padding ?? 0, spatial);
    this.outputPadding = expand(o.outputPadding ?? 0, spatial);
  }

  protected run(conv: typeof convTranspose2d, x: Tensor): Tensor {
    const { weight, bias, stride, padding, outputPadding, groups, dilation } = this;
    return conv(x, weight, { bias, stride, padding, outputPadding, groups, dilation });
  }

  override extraRepr(): string {
    return `${this.inChannels}, ${this.outChannels}, kernel_size=${tuple(this.kernelSize)}, stride=${tuple(this.stride)}`;
  }
}

type ConvTRest = [
  stride: Size,
  padding: Size,
  outputPadding: Size,
  groups: number,
  bias: boolean,
  dilation: Size,
];

export class ConvTranspose1d extends ConvTransposeNd {
  constructor(inChannels: number, outChannels: number, kernelSize: Size, options?: ConvTransposeOptions);
  constructor(
    inChannels: number,
    outChannels: number,
    kernelSize: Size,
    ...rest: PyRest<[...ConvTRest], ConvTransposeOptions>
  );
  constructor(inChannels: number, outChannels: number, kernelSize: Size, ...rest: unknown[]) {
    super('ConvTranspose1d', 1, inChannels, outChannels, kernelSize, rest);
  }
  forward(x: Tensor): Tensor {
    return this.run(convTranspose1d, x);
  }
}

export class ConvTranspose2d extends ConvTransposeNd {
  constructor(inChannels: number, outChannels: number, kernelSize: Size, options?: ConvTransposeOptions);
  constructor(
    inChannels: number,
    outChannels: number,
    kernelSize: Size,
    ...rest: PyRest<[...ConvTRest], ConvTransposeOptions>
  );
  constructor(inChannels: number, outChannels: number, kernelSize: Size, ...rest: unknown[]) {
    super('ConvTranspose2d', 2, inChannels, outChannels, kernelSize, rest);
  }
  forward(x: Tensor): Tensor {
    return this.run(convTranspose2d, x);
  }
}
