// Pooling layers with PyTorch's signatures: MaxPool1d/2d/3d(kernel_size, stride, padding, dilation,
// return_indices, ceil_mode), AvgPool1d/2d/3d(kernel_size, stride, padding, ceil_mode,
// count_include_pad, divisor_override), adaptive average and max pooling, and MaxUnpool2d.
import { pyArgs, is, type PyRest } from '../args.ts';
import type { Tensor } from '../tensor.ts';
import * as P from './pool-functional.ts';
import { Module } from './module.ts';
import { expand, type Size } from './windows.ts';

export interface MaxPoolOptions {
  stride?: Size | null;
  padding?: Size;
  dilation?: Size;
  returnIndices?: boolean;
  ceilMode?: boolean;
}
type MaxRest = [
  stride: Size | null,
  padding: Size,
  dilation: Size,
  returnIndices: boolean,
  ceilMode: boolean,
];

abstract class MaxPoolNd extends Module {
  readonly kernelSize: number[];
  readonly stride: number[];
  readonly padding: number[];
  readonly dilation: number[];
  readonly returnIndices: boolean;
  readonly ceilMode: boolean;

  constructor(name: string, spatial: number, kernelSize: Size, rest: readonly unknown[]) {
    super();
    const o = pyArgs<MaxPoolOptions & Record<string, unknown>>(
      name,
      ['stride', 'padding', 'dilation', 'returnIndices', 'ceilMode'],
      rest,
      {
        stride: is.orNull(is.size(spatial)),
        padding: is.size(spatial, 0),
        dilation: is.size(spatial),
        returnIndices: is.bool,
        ceilMode: is.bool,
      },
    );
    const bad = is.size(spatial)(kernelSize);
    if (bad) throw new TypeError(`${name}: kernel_size ${bad}, got ${JSON.stringify(kernelSize)}`);
    this.kernelSize = expand(kernelSize, spatial);
    this.stride = expand(o.stride ?? kernelSize, spatial);
    this.padding = expand(o.padding ?? 0, spatial);
    this.dilation = expand(o.dilation ?? 1, spatial);
    this.returnIndices = o.returnIndices ?? false;
    this.ceilMode = o.ceilMode ?? false;
  }

  protected options() {
    const { stride, padding, dilation, ceilMode, returnIndices } = this;
    return { stride, padding, dilation, ceilMode, returnIndices };
  }

  override extraRepr(): string {
    const one = (v: number[]) => (v.every((x) => x === v[0]) ? String(v[0]) : `(${v.join(', ')})`);
    return `kernel_size=${one(this.kernelSize)}, stride=${one(this.stride)}, padding=${one(this.padding)}, dilation=${one(this.dilation)}, ceil_mode=${this.ceilMode ? 'True' : 'False'}`;
  }
}

export class MaxPool1d extends MaxPoolNd {
  constructor(kernelSize: Size, options?: MaxPoolOptions);
  constructor(kernelSize: Size, ...rest: PyRest<[...MaxRest], MaxPoolOptions>);
  constructor(kernelSize: Size, ...rest: unknown[]) {
    super('MaxPool1d', 1, kernelSize, rest);
  }
  /** The pooled values, or [values, indices] with returnIndices. */
  forward(x: Tensor): Tensor {
    return P.maxPool1d(x, this.kernelSize, this.options()) as Tensor;
  }
}

export class MaxPool2d extends MaxPoolNd {
  constructor(kernelSize: Size, options?: MaxPoolOptions);
  constructor(kernelSize: Size, ...rest: PyRest<[...MaxRest], MaxPoolOptions>);
  constructor(kernelSize: Size, ...rest: unknown[]) {
    super('MaxPool2d', 2, kernelSize, rest);
  }
  /** The pooled values, or [values, indices] with returnIndices. */
  forward(x: Tensor): Tensor {
    return P.maxPool2d(x, this.kernelSize, this.options()) as Tensor;
  }
}

export class MaxPool3d extends MaxPoolNd {
  constructor(kernelSize: Size, options?: MaxPoolOptions);
  constructor(kernelSize: Size, ...rest: PyRest<[...MaxRest], MaxPoolOptions>);
  constructor(kernelSize: Size, ...rest: unknown[]) {
    super('MaxPool3d', 3, kernelSize, rest);
  }
  /** The pooled values, or [values, indices] with returnIndices. */
  forward(x: Tensor): Tensor {
    return P.maxPool3d(x, this.kernelSize, this.options()) as Tensor;
  }
}

export interface AvgPoolOptions {
  stride?: Size | null;
  padding?: Size;
  ceilMode?: boolean;
  countIncludePad?: boolean;
  divisorOverride?: number | null;
}
type AvgRest = [
  stride: Size | null,
  padding: Size,
  ceilMode: boolean,
  countIncludePad: boolean,
  divisorOverride: number | null,
];

abstract class AvgPoolNd extends Module {
  readonly kernelSize: number[];
  readonly stride: number[];
  readonly padding: number[];
  readonly ceilMode: boolean;
  readonly countIncludePad: boolean;
  readonly divisorOverride: number | null;

  constructor(name: string, spatial: number, kernelSize: Size, rest: readonly unknown[]) {
    super();
    const o = pyArgs<AvgPoolOptions & Record<string, unknown>>(
      name,
      ['stride', 'padding', 'ceilMode', 'countIncludePad', 'divisorOverride'],
      rest,
      {
        stride: is.orNull(is.size(spatial)),
        padding: is.size(spatial, 0),
        ceilMode: is.bool,
        countIncludePad: is.bool,
        divisorOverride: is.orNull(is.positiveInt),
      },
    );
    const bad = is.size(spatial)(kernelSize);
    if (bad) throw new TypeError(`${name}: kernel_size ${bad}, got ${JSON.stringify(kernelSize)}`);
    this.kernelSize = expand(kernelSize, spatial);
    this.stride = expand(o.stride ?? kernelSize, spatial);
    this.padding = expand(o.padding ?? 0, spatial);
    this.ceilMode = o.ceilMode ?? false;
    this.countIncludePad = o.countIncludePad ?? true;
    this.divisorOverride = o.divisorOverride ?? null;
  }

  protected options() {
    const { stride, padding, ceilMode, countIncludePad, divisorOverride } = this;
    return { stride, padding, ceilMode, countIncludePad, divisorOverride };
  }

  override extraRepr(): string {
    const one = (v: number[]) => (v.every((x) => x === v[0]) ? String(v[0]) : `(${v.join(', ')})`);
    return `kernel_size=${one(this.kernelSize)}, stride=${one(this.stride)}, padding=${one(this.padding)}`;
  }
}

export class AvgPool1d extends AvgPoolNd {
  constructor(kernelSize: Size, options?: AvgPoolOptions);
  constructor(kernelSize: Size, ...rest: PyRest<[...AvgRest], AvgPoolOptions>);
  constructor(kernelSize: Size, ...rest: unknown[]) {
    super('AvgPool1d', 1, kernelSize, rest);
  }
  forward(x: Tensor): Tensor {
    return P.avgPool1d(x, this.kernelSize, this.options());
  }
}

export class AvgPool2d extends AvgPoolNd {
  constructor(kernelSize: Size, options?: AvgPoolOptions);
  constructor(kernelSize: Size, ...rest: PyRest<[...AvgRest], AvgPoolOptions>);
  constructor(kernelSize: Size, ...rest: unknown[]) {
    super('AvgPool2d', 2, kernelSize, rest);
  }
  forward(x: Tensor): Tensor {
    return P.avgPool2d(x, this.kernelSize, this.options());
  }
}

export class AvgPool3d extends AvgPoolNd {
  constructor(kernelSize: Size, options?: AvgPoolOptions);
  constructor(kernelSize: Size, ...rest: PyRest<[...AvgRest], AvgPoolOptions>);
  constructor(kernelSize: Size, ...rest: unknown[]) {
    super('AvgPool3d', 3, kernelSize, rest);
  }
  forward(x: Tensor): Tensor {
    return P.avgPool3d(x, this.kernelSize, this.options());
  }
}

type OutputSize = Size | readonly (number | null)[];

export class AdaptiveAvgPool2d extends Module {
  constructor(readonly outputSize: OutputSize) {
    super();
  }
  forward(x: Tensor): Tensor {
    return P.adaptiveAvgPool2d(x, this.outputSize);
  }
  override extraRepr(): string {
    return `output_size=${JSON.stringify(this.outputSize)}`;
  }
}

export class AdaptiveMaxPool2d extends Module {
  readonly returnIndices: boolean;
  constructor(
    readonly outputSize: OutputSize,
    ...rest: PyRest<[returnIndices: boolean], { returnIndices?: boolean }>
  ) {
    super();
    this.returnIndices =
      pyArgs<{ returnIndices: boolean }>('AdaptiveMaxPool2d', ['returnIndices'], rest, {
        returnIndices: is.bool,
      }).returnIndices ?? false;
  }
  /** The pooled values, or [values, indices] with returnIndices. */
  forward(x: Tensor): Tensor {
    return P.adaptiveMaxPool2d(x, this.outputSize, this.returnIndices) as Tensor;
  }
  override extraRepr(): string {
    return `output_size=${JSON.stringify(this.outputSize)}`;
  }
}

export class MaxUnpool2d extends Module {
  readonly stride: Size | null;
  readonly padding: Size;
  constructor(
    readonly kernelSize: Size,
    ...rest: PyRest<[stride: Size | null, padding: Size], { stride?: Size | null; padding?: Size }>
  ) {
    super();
    const o = pyArgs<{ stride: Size | null; padding: Size }>('MaxUnpool2d', ['stride', 'padding'], rest, {
      stride: is.orNull(is.size(2)),
      padding: is.size(2, 0),
    });
    this.stride = o.stride ?? null;
    this.padding = o.padding ?? 0;
  }
  forward(x: Tensor, indices: Tensor, outputSize?: readonly number[]): Tensor {
    return P.maxUnpool2d(x, indices, this.kernelSize, this.stride, this.padding, outputSize ?? null);
  }
}
