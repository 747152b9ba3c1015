// Padding layers (ZeroPad2d, ConstantPad1d/2d/3d, ReflectionPad1d/2d, ReplicationPad1d/2d/3d)
// over F.pad, with PyTorch's tuple order (last dim first).
import type { Tensor } from '../tensor.ts';
import { pad, type PadMode } from './pad.ts';
import { Module } from './module.ts';
import type { Activation } from './activation.ts';

/** A padding layer over the last `dims` dims: one amount for every side, or PyTorch's tuple (last dim first). */
function paddingLayer(
  name: string,
  dims: number,
  mode: PadMode,
  constant: boolean,
): new (
  padding: number | readonly number[],
  value?: number,
) => Activation & { readonly padding: number[]; readonly value: number } {
  return class extends Module {
    readonly padding: number[];
    readonly value: number;
    constructor(padding: number | readonly number[], value?: number) {
      super();
      const amounts = typeof padding === 'number' ? new Array<number>(2 * dims).fill(padding) : [...padding];
      if (amounts.length !== 2 * dims || amounts.some((a) => !Number.isInteger(a)))
        throw new Error(
          `${name}: padding must be an integer or ${2 * dims} integers, got ${JSON.stringify(padding)}`,
        );
      if (constant && typeof value !== 'number')
        throw new TypeError(`${name}: expected a fill value, got ${String(value)}`);
      this.padding = amounts;
      this.value = constant ? value! : 0;
    }
    forward(x: Tensor): Tensor {
      return constant ? pad(x, this.padding, mode, this.value) : pad(x, this.padding, mode);
    }
    override extraRepr(): string {
      return `(${this.padding.join(', ')})${constant ? `, value=${this.value}` : ''}`;
    }
  };
}

export class ZeroPad2d extends paddingLayer('ZeroPad2d', 2, 'constant', false) {}
export class ConstantPad1d extends paddingLayer('ConstantPad1d', 1, 'constant', true) {}
export class ConstantPad2d extends paddingLayer('ConstantPad2d', 2, 'constant', true) {}
export class ConstantPad3d extends paddingLayer('ConstantPad3d', 3, 'constant', true) {}
export class ReflectionPad1d extends paddingLayer('ReflectionPad1d', 1, 'reflect', false) {}
export class ReflectionPad2d extends paddingLayer('ReflectionPad2d', 2, 'reflect', false) {}
export class ReplicationPad1d extends paddingLayer('ReplicationPad1d', 1, 'replicate', false) {}
export class ReplicationPad2d extends paddingLayer('ReplicationPad2d', 2, 'replicate', false) {}
export class ReplicationPad3d extends paddingLayer('ReplicationPad3d', 3, 'replicate', false) {}
