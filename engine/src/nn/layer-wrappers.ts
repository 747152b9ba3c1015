// Layers that name an existing function: Unfold/Fold, UpsamplingNearest2d/Bilinear2d (Upsample
// with a fixed mode), Softmax2d, and Bilinear (F.bilinear) with PyTorch's initialisation.
import { pyArgs, is, type PyRest } from '../args.ts';
import type { Size } from './windows.ts';
import { formatShape } from '../shape.ts';
import type { Tensor } from '../tensor.ts';
import { empty } from '../creation.ts';
import { uniform_ } from './init.ts';
import { Upsample } from './upsample.ts';
import { fold, unfold } from './pool-functional.ts';
import { Module } from './module.ts';
import type { Parameter } from './parameter.ts';

type WindowRest = PyRest<
  [dilation: Size, padding: Size, stride: Size],
  { dilation?: Size; padding?: Size; stride?: Size }
>;

/** Sliding windows as columns (F.unfold as a layer). */
export class Unfold extends Module {
  readonly rest: WindowRest;
  constructor(
    readonly kernelSize: Size,
    ...rest: WindowRest
  ) {
    super();
    this.rest = rest;
    unfoldArgs('Unfold', rest);
  }
  forward(x: Tensor): Tensor {
    return unfold(x, this.kernelSize, ...this.rest);
  }
}

/** Columns summed back into an image (F.fold as a layer). */
export class Fold extends Module {
  readonly rest: WindowRest;
  constructor(
    readonly outputSize: Size,
    readonly kernelSize: Size,
    ...rest: WindowRest
  ) {
    super();
    this.rest = rest;
    unfoldArgs('Fold', rest);
  }
  forward(x: Tensor): Tensor {
    return fold(x, this.outputSize, this.kernelSize, ...this.rest);
  }
}

/** Unfold's and Fold's options, checked when the layer is built. */
function unfoldArgs(name: string, rest: readonly unknown[]): void {
  pyArgs<{ dilation: Size; padding: Size; stride: Size }>(name, ['dilation', 'padding', 'stride'], rest, {
    dilation: is.size(2),
    padding: is.size(2, 0),
    stride: is.size(2),
  });
}

type ScaleRest = PyRest<
  [size: number | readonly number[] | null, scaleFactor: number | readonly number[] | null],
  { size?: number | readonly number[] | null; scaleFactor?: number | readonly number[] | null }
>;

/** Upsample with mode 'nearest' (torch's UpsamplingNearest2d). */
export class UpsamplingNearest2d extends Upsample {
  constructor(...rest: ScaleRest) {
    super({ ...scaleArgs('UpsamplingNearest2d', rest), mode: 'nearest' });
  }
}

/** Upsample with mode 'bilinear' and alignCorners (torch's UpsamplingBilinear2d). */
export class UpsamplingBilinear2d extends Upsample {
  constructor(...rest: ScaleRest) {
    super({ ...scaleArgs('UpsamplingBilinear2d', rest), mode: 'bilinear', alignCorners: true });
  }
}

function scaleArgs(name: string, rest: readonly unknown[]) {
  const o = pyArgs<{
    size: number | readonly number[] | null;
    scaleFactor: number | readonly number[] | null;
  }>(name, ['size', 'scaleFactor'], rest);
  return { size: o.size ?? null, scaleFactor: o.scaleFactor ?? null };
}

/** Softmax over the channels of [N, C, H, W] or [C, H, W] (dim −3). */
export class Softmax2d extends Module {
  forward(x: Tensor): Tensor {
    if (x.ndim !== 3 && x.ndim !== 4)
      throw new Error(`Softmax2d: expected 3D or 4D input, got ${formatShape(x.shape)}`);
    return x.softmax(-3);
  }
}

/** x1ᵀ·W·x2 + b for each output: [*, in1] and [*, in2] → [*, out]. */
export function bilinear(x1: Tensor, x2: Tensor, weight: Tensor, bias: Tensor | null = null): Tensor {
  const [out, in1, in2] = weight.shape as [number, number, number];
  if (weight.ndim !== 3 || x1.shape[x1.ndim - 1] !== in1 || x2.shape[x2.ndim - 1] !== in2)
    throw new Error(
      `bilinear: expected x1 [*, ${in1}], x2 [*, ${in2}] for a weight ${formatShape(weight.shape)}, got ${formatShape(x1.shape)} and ${formatShape(x2.shape)}`,
    );
  // (x1 · W viewed as [in1, out·in2]) · x2, summed over in2.
  const projected = x1.matmul(weight.permute([1, 0, 2]).reshape([in1, out * in2]));
  const y = projected
    .reshape([...projected.shape.slice(0, -1), out, in2])
    .mul(x2.unsqueeze(-2))
    .sum(-1);
  return bias ? y.add(bias) : y;
}

export class Bilinear extends Module {
  weight: Parameter;
  bias: Parameter | null;
  constructor(
    readonly in1Features: number,
    readonly in2Features: number,
    readonly outFeatures: number,
    ...rest: PyRest<[bias: boolean], { bias?: boolean; dtype?: 'float32' | 'float64' }>
  ) {
    super();
    const o = pyArgs<{ bias: boolean; dtype: 'float32' | 'float64' }>(
      'Bilinear',
      ['bias', 'dtype'],
      rest,
      { bias: is.bool, dtype: is.oneOf('float32', 'float64') },
      1,
    );
    const dtype = o.dtype ?? 'float32';
    // PyTorch's reset_parameters: both uniform in ±1/√in1, the weight first.
    const bound = 1 / Math.sqrt(in1Features);
    this.weight = this.param(
      'weight',
      uniform_(empty([outFeatures, in1Features, in2Features], { dtype }), -bound, bound),
    );
    this.bias =
      (o.bias ?? true) ? this.param('bias', uniform_(empty([outFeatures], { dtype }), -bound, bound)) : null;
  }
  forward(x1: Tensor, x2: Tensor): Tensor {
    return bilinear(x1, x2, this.weight, this.bias);
  }
  override extraRepr(): string {
    return `in1_features=${this.in1Features}, in2_features=${this.in2Features}, out_features=${this.outFeatures}, bias=${this.bias ? 'True' : 'False'}`;
  }
}
