// Pooling layers.
import type { Tensor } from '../tensor.ts';
import { adaptiveAvgPool2d, avgPool2d, maxPool2d, type Pair } from './conv-functional.ts';
import { Module } from './module.ts';

export class MaxPool2d extends Module {
  constructor(
    readonly kernelSize: Pair,
    readonly stride: Pair | null = null,
    readonly padding: Pair = 0,
    readonly dilation: Pair = 1,
    readonly ceilMode = false,
  ) {
    super();
  }
  forward(x: Tensor): Tensor {
    return maxPool2d(x, this.kernelSize, {
      stride: this.stride,
      padding: this.padding,
      dilation: this.dilation,
      ceilMode: this.ceilMode,
    });
  }
  override extraRepr(): string {
    return `kernel_size=${String(this.kernelSize)}, stride=${String(this.stride ?? this.kernelSize)}, padding=${String(this.padding)}`;
  }
}

export class AvgPool2d extends Module {
  constructor(
    readonly kernelSize: Pair,
    readonly stride: Pair | null = null,
    readonly padding: Pair = 0,
    readonly ceilMode = false,
  ) {
    super();
  }
  forward(x: Tensor): Tensor {
    return avgPool2d(x, this.kernelSize, {
      stride: this.stride,
      padding: this.padding,
      ceilMode: this.ceilMode,
    });
  }
  override extraRepr(): string {
    return `kernel_size=${String(this.kernelSize)}, stride=${String(this.stride ?? this.kernelSize)}, padding=${String(this.padding)}`;
  }
}

export class AdaptiveAvgPool2d extends Module {
  constructor(readonly outputSize: Pair) {
    super();
  }
  forward(x: Tensor): Tensor {
    return adaptiveAvgPool2d(x, this.outputSize);
  }
  override extraRepr(): string {
    return `output_size=${String(this.outputSize)}`;
  }
}
