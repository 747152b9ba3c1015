// Linear: y = x·Wᵀ + b with W of shape [out, in] (PyTorch's layout), initialised as PyTorch does.
// Linear(in_features, out_features, bias=True, device=None, dtype=None), positional or options.
import { pyArgs, is } from '../args.ts';
import type { Device } from '../backend/types.ts';
import { zeros } from '../creation.ts';
import type { Tensor } from '../tensor.ts';
import { linear } from './functional.ts';
import { kaimingUniform_, uniform_, calculateFans } from './init.ts';
import { Module } from './module.ts';
import type { Parameter } from './parameter.ts';

export interface LinearOptions {
  bias?: boolean;
  device?: Device;
  dtype?: 'float32' | 'float64';
}

/** Checks the sizes of a layer: each a positive integer (named in the error as PyTorch names it). */
export function checkSizes(layer: string, sizes: Record<string, unknown>): void {
  for (const [name, v] of Object.entries(sizes))
    if (v === undefined) throw new TypeError(`${layer}: missing required argument '${name}'`);
    else if (!Number.isInteger(v) || (v as number) < 0)
      throw new TypeError(`${layer}: ${name} must be a non-negative integer, got ${JSON.stringify(v)}`);
}

export class Linear extends Module {
  weight: Parameter;
  bias: Parameter | null;

  constructor(inFeatures: number, outFeatures: number, options?: LinearOptions);
  constructor(inFeatures: number, outFeatures: number, bias?: boolean, options?: LinearOptions);
  constructor(
    readonly inFeatures: number,
    readonly outFeatures: number,
    ...rest: unknown[]
  ) {
    super();
    checkSizes('Linear', { in_features: inFeatures, out_features: outFeatures });
    const o = pyArgs<LinearOptions & Record<string, unknown>>('Linear', ['bias', 'device', 'dtype'], rest, {
      bias: is.bool,
      device: is.oneOf('cpu', 'webgpu'),
      dtype: is.oneOf('float32', 'float64'),
    });
    const dtype = o.dtype ?? 'float32';
    this.weight = this.param('weight', zeros([outFeatures, inFeatures], { dtype }));
    this.bias = (o.bias ?? true) ? this.param('bias', zeros([outFeatures], { dtype })) : null;
    this.resetParameters();
    if (o.device && o.device !== 'cpu') this.to(o.device);
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
