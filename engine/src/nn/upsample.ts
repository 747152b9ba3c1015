// Upsample(size, scale_factor, mode, align_corners): F.interpolate as a module.
import { pyArgs, is, type PyRest } from '../args.ts';
import type { Tensor } from '../tensor.ts';
import { interpolate, type InterpolateOptions, type InterpolationMode } from './functional-extra.ts';
import { Module } from './module.ts';

export class Upsample extends Module {
  readonly options: InterpolateOptions;
  constructor(options?: InterpolateOptions);
  constructor(
    ...rest: PyRest<
      [
        size: number | readonly number[] | null,
        scaleFactor: number | readonly number[] | null,
        mode: InterpolationMode,
        alignCorners: boolean | null,
      ],
      InterpolateOptions
    >
  );
  constructor(...rest: unknown[]) {
    super();
    this.options = pyArgs<InterpolateOptions & Record<string, unknown>>(
      'Upsample',
      ['size', 'scaleFactor', 'mode', 'alignCorners'],
      rest,
      {
        mode: is.oneOf('nearest', 'linear', 'bilinear', 'trilinear'),
        alignCorners: is.orNull(is.bool),
      },
    );
  }
  forward(x: Tensor): Tensor {
    return interpolate(x, this.options);
  }
  override extraRepr(): string {
    const { size, scaleFactor, mode = 'nearest' } = this.options;
    return `${size != null ? `size=${JSON.stringify(size)}` : `scale_factor=${JSON.stringify(scaleFactor)}`}, mode='${mode}'`;
  }
}
