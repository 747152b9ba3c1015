// PReLU, the shrink activations (Softshrink, Hardshrink, Tanhshrink) and Threshold, with their
// F forms: compositions of where and the elementwise ops, PyTorch's signatures.
import { pyArgs, is, type PyRest } from '../args.ts';
import { formatShape } from '../shape.ts';
import type { Tensor } from '../tensor.ts';
import { full } from '../creation.ts';
import { where } from '../ops/where.ts';
import { Module } from './module.ts';
import type { Activation } from './activation.ts';
import type { Parameter } from './parameter.ts';

/** max(0, x) + weight·min(0, x), the weight one value or one per channel (dim 1). */
export function prelu(x: Tensor, weight: Tensor): Tensor {
  const n = weight.numel();
  if (n !== 1 && (x.ndim < 2 || x.shape[1] !== n))
    throw new Error(
      `prelu: the weight has ${n} values; expected 1 or the input's channels (dim 1), got input ${formatShape(x.shape)}`,
    );
  const w = n === 1 ? weight.reshape([]) : weight.reshape(x.shape.map((d, i) => (i === 1 ? d : 1)));
  return where(x.gt(0), x, x.mul(w));
}

export class PReLU extends Module {
  weight: Parameter;
  readonly numParameters: number;
  constructor(
    ...rest: PyRest<
      [numParameters: number, init: number],
      { numParameters?: number; init?: number; dtype?: 'float32' | 'float64' }
    >
  ) {
    super();
    const o = pyArgs<{ numParameters: number; init: number; dtype: 'float32' | 'float64' }>(
      'PReLU',
      ['numParameters', 'init', 'dtype'],
      rest,
      {
        numParameters: is.positiveInt,
        init: is.number,
        dtype: is.oneOf('float32', 'float64'),
      },
      2,
    );
    this.numParameters = o.numParameters ?? 1;
    this.weight = this.param(
      'weight',
      full([this.numParameters], o.init ?? 0.25, { dtype: o.dtype ?? 'float32' }),
    );
  }
  forward(x: Tensor): Tensor {
    return prelu(x, this.weight);
  }
  override extraRepr(): string {
    return `num_parameters=${this.numParameters}`;
  }
}

/** x − λ above λ, x + λ below −λ, 0 between. */
export function softshrink(x: Tensor, lambd = 0.5): Tensor {
  if (!(lambd >= 0)) throw new Error(`softshrink: lambda must be ≥ 0, got ${lambd}`);
  return where(x.gt(lambd), x.sub(lambd), where(x.lt(-lambd), x.add(lambd), 0));
}

/** x where |x| > λ, else 0. */
export function hardshrink(x: Tensor, lambd = 0.5): Tensor {
  return where(x.gt(lambd).logicalOr(x.lt(-lambd)), x, 0);
}

/** x − tanh(x). */
export const tanhshrink = (x: Tensor): Tensor => x.sub(x.tanh());

/** x where x > threshold, else value. */
export const threshold = (x: Tensor, thresholdValue: number, value: number): Tensor =>
  where(x.gt(thresholdValue), x, value);

function lambdModule(
  name: string,
  fn: (x: Tensor, lambd: number) => Tensor,
): new (...rest: PyRest<[lambd: number], { lambd?: number }>) => Activation & { readonly lambd: number } {
  return class extends Module {
    readonly lambd: number;
    constructor(...rest: PyRest<[lambd: number], { lambd?: number }>) {
      super();
      this.lambd = pyArgs<{ lambd: number }>(name, ['lambd'], rest, { lambd: is.nonNegative }).lambd ?? 0.5;
    }
    forward(x: Tensor): Tensor {
      return fn(x, this.lambd);
    }
    override extraRepr(): string {
      return `${this.lambd}`;
    }
  };
}
export class Softshrink extends lambdModule('Softshrink', softshrink) {}
export class Hardshrink extends lambdModule('Hardshrink', hardshrink) {}

export class Tanhshrink extends Module {
  forward = (x: Tensor): Tensor => tanhshrink(x);
}

export class Threshold extends Module {
  constructor(
    readonly threshold: number,
    readonly value: number,
    ...rest: PyRest<[inplace: boolean], { inplace?: boolean }>
  ) {
    super();
    pyArgs<{ inplace: boolean }>('Threshold', ['inplace'], rest, { inplace: is.bool });
    if (typeof threshold !== 'number' || typeof value !== 'number')
      throw new TypeError(
        `Threshold: threshold and value must be numbers, got ${String(threshold)} and ${String(value)}`,
      );
  }
  forward(x: Tensor): Tensor {
    return threshold(x, this.threshold, this.value);
  }
  override extraRepr(): string {
    return `threshold=${this.threshold}, value=${this.value}`;
  }
}
