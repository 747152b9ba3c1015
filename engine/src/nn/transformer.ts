// TransformerEncoderLayer (and TransformerEncoder, a stack of its clones) as PyTorch builds it (self_attn, linear1, dropout, linear2, norm1,
// norm2, dropout1, dropout2; post-norm by default, pre-norm with normFirst), so its state-dict
// keys, seeded initialisation and outputs match torch.nn.TransformerEncoderLayer.
import { pyArgs, is, type PyRest } from '../args.ts';
import type { Tensor } from '../tensor.ts';
import { gelu } from '../functional/activations.ts';
import { MultiheadAttention } from './attention.ts';
import { Dropout } from './activation.ts';
import { Linear } from './linear.ts';
import { Module } from './module.ts';
import { ModuleList } from './containers.ts';
import { defaultGenerator } from '../random.ts';
import { noGrad } from '../autograd/grad-mode.ts';
import { LayerNorm } from './normalization.ts';

export interface TransformerEncoderLayerOptions {
  dimFeedforward?: number;
  dropout?: number;
  activation?: 'relu' | 'gelu' | ((x: Tensor) => Tensor);
  layerNormEps?: number;
  batchFirst?: boolean;
  normFirst?: boolean;
  bias?: boolean;
  dtype?: 'float32' | 'float64';
}
/** A layer's positional arguments after (dModel, nhead), in PyTorch's order. */
export type LayerRest = [
  dimFeedforward: number,
  dropout: number,
  activation: 'relu' | 'gelu' | ((x: Tensor) => Tensor),
  layerNormEps: number,
  batchFirst: boolean,
  normFirst: boolean,
  bias: boolean,
];

/** A layer's options, checked, with PyTorch's defaults (the encoder's and the decoder's layers take the same). */
export function layerOptions(name: string, rest: readonly unknown[]) {
  const o = pyArgs<TransformerEncoderLayerOptions & Record<string, unknown>>(
    name,
    ['dimFeedforward', 'dropout', 'activation', 'layerNormEps', 'batchFirst', 'normFirst', 'bias', 'dtype'],
    rest,
    {
      dimFeedforward: is.positiveInt,
      dropout: is.probability,
      activation: (v) =>
        v === 'relu' || v === 'gelu' || typeof v === 'function'
          ? null
          : "must be 'relu', 'gelu' or a function",
      layerNormEps: is.positive,
      batchFirst: is.bool,
      normFirst: is.bool,
      bias: is.bool,
      dtype: is.oneOf('float32', 'float64'),
    },
  );
  const activation = o.activation ?? 'relu';
  return {
    dimFeedforward: o.dimFeedforward ?? 2048,
    dropout: o.dropout ?? 0.1,
    layerNormEps: o.layerNormEps ?? 1e-5,
    batchFirst: o.batchFirst ?? false,
    normFirst: o.normFirst ?? false,
    bias: o.bias ?? true,
    dtype: o.dtype ?? 'float32',
    activation:
      activation === 'relu'
        ? (x: Tensor) => x.relu()
        : activation === 'gelu'
          ? (x: Tensor) => gelu(x)
          : activation,
  };
}

/**
 * A copy of `layer` with the same weights (and mode), as copy.deepcopy makes it: `make` builds a
 * fresh one with the default generator left where it was, so later layers still get PyTorch's
 * initial weights for the same seed.
 */
export function copyOf<M extends Module>(layer: M, make: () => M): M {
  const state = defaultGenerator.getState();
  const copy = make();
  defaultGenerator.setState(state);
  noGrad(() => {
    const target = copy.stateDict();
    for (const [name, t] of layer.stateDict()) target.get(name)!.copy_(t);
  });
  return layer.training ? copy.train() : copy.eval();
}

type LayerSettings = ReturnType<typeof layerOptions>;

/**
 * What the encoder's and the decoder's layers share: their checked options, PyTorch's
 * attention and feed-forward blocks, and the arguments clone() rebuilds a layer from. The
 * subclasses make their submodules in PyTorch's order (a seed gives its initial weights).
 */
export abstract class TransformerLayerBase extends Module {
  abstract linear1: Linear;
  abstract dropout: Dropout;
  abstract linear2: Linear;
  readonly normFirst: boolean;
  protected readonly settings: LayerSettings;
  /** The constructor's arguments after (dModel, nhead), for clone(). */
  protected readonly rest: readonly unknown[];

  constructor(
    name: string,
    readonly dModel: number,
    readonly nhead: number,
    rest: readonly unknown[],
  ) {
    super();
    this.rest = rest;
    this.settings = layerOptions(name, rest);
    this.normFirst = this.settings.normFirst;
  }

  protected newAttention(): MultiheadAttention {
    const { dropout, bias, batchFirst, dtype } = this.settings;
    return new MultiheadAttention(this.dModel, this.nhead, { dropout, bias, batchFirst, dtype });
  }

  protected newLinear(inFeatures: number, outFeatures: number): Linear {
    return new Linear(inFeatures, outFeatures, { bias: this.settings.bias, dtype: this.settings.dtype });
  }

  protected newNorm(): LayerNorm {
    const { layerNormEps, bias, dtype } = this.settings;
    return new LayerNorm(this.dModel, { eps: layerNormEps, bias, dtype });
  }

  /** attention(q, kv, kv) with the masks and no weights returned, then `after` (a dropout). */
  protected attend(
    attention: MultiheadAttention,
    q: Tensor,
    kv: Tensor,
    attnMask: Tensor | null,
    keyPaddingMask: Tensor | null,
    after: Dropout,
  ): Tensor {
    return after.forward(attention.forward(q, kv, kv, { attnMask, keyPaddingMask, needWeights: false })[0]);
  }

  /** linear2(dropout(activation(linear1(x)))), then `after` (a dropout). */
  protected feedForward(x: Tensor, after: Dropout): Tensor {
    return after.forward(
      this.linear2.forward(this.dropout.forward(this.settings.activation(this.linear1.forward(x)))),
    );
  }
}

export class TransformerEncoderLayer extends TransformerLayerBase {
  self_attn: MultiheadAttention;
  linear1: Linear;
  dropout: Dropout;
  linear2: Linear;
  norm1: LayerNorm;
  norm2: LayerNorm;
  dropout1: Dropout;
  dropout2: Dropout;

  constructor(dModel: number, nhead: number, options?: TransformerEncoderLayerOptions);
  constructor(dModel: number, nhead: number, ...rest: PyRest<[...LayerRest], TransformerEncoderLayerOptions>);
  constructor(dModel: number, nhead: number, ...rest: unknown[]) {
    super('TransformerEncoderLayer', dModel, nhead, rest);
    const { dimFeedforward, dropout } = this.settings;
    this.self_attn = this.module('self_attn', this.newAttention());
    this.linear1 = this.module('linear1', this.newLinear(dModel, dimFeedforward));
    this.dropout = this.module('dropout', new Dropout(dropout));
    this.linear2 = this.module('linear2', this.newLinear(dimFeedforward, dModel));
    this.norm1 = this.module('norm1', this.newNorm());
    this.norm2 = this.module('norm2', this.newNorm());
    this.dropout1 = this.module('dropout1', new Dropout(dropout));
    this.dropout2 = this.module('dropout2', new Dropout(dropout));
  }

  forward(src: Tensor, options: { srcMask?: Tensor | null; srcKeyPaddingMask?: Tensor | null } = {}): Tensor {
    const { srcMask = null, srcKeyPaddingMask = null } = pyArgs<{
      srcMask: Tensor | null;
      srcKeyPaddingMask: Tensor | null;
    }>('TransformerEncoderLayer.forward', ['srcMask', 'srcKeyPaddingMask'], [options], {
      srcMask: is.tensorOrNull,
      srcKeyPaddingMask: is.tensorOrNull,
    });
    const selfAttention = (x: Tensor) =>
      this.attend(this.self_attn, x, x, srcMask, srcKeyPaddingMask, this.dropout1);
    let x = src;
    if (this.normFirst) {
      x = x.add(selfAttention(this.norm1.forward(x)));
      return x.add(this.feedForward(this.norm2.forward(x), this.dropout2));
    }
    x = this.norm1.forward(x.add(selfAttention(x)));
    return this.norm2.forward(x.add(this.feedForward(x, this.dropout2)));
  }

  /** A copy with the same weights (copyOf). */
  clone(): TransformerEncoderLayer {
    return copyOf(this, () => new TransformerEncoderLayer(this.dModel, this.nhead, ...(this.rest as [])));
  }
}

export interface TransformerEncoderOptions {
  norm?: Module | null;
  enableNestedTensor?: boolean;
}

/**
 * numLayers copies of an encoder layer (each starting with its weights, as PyTorch's deepcopy
 * clones do), then an optional final norm: torch.nn.TransformerEncoder, state-dict keys
 * layers.N.… and norm.…
 */
export class TransformerEncoder extends Module {
  layers: ModuleList;
  norm: Module | null;
  readonly numLayers: number;
  constructor(encoderLayer: TransformerEncoderLayer, numLayers: number, options?: TransformerEncoderOptions);
  constructor(
    encoderLayer: TransformerEncoderLayer,
    numLayers: number,
    ...rest: PyRest<[norm: Module | null, enableNestedTensor: boolean], TransformerEncoderOptions>
  );
  constructor(encoderLayer: TransformerEncoderLayer, numLayers: number, ...rest: unknown[]) {
    super();
    if (!(encoderLayer instanceof TransformerEncoderLayer))
      throw new TypeError('TransformerEncoder: encoderLayer must be a TransformerEncoderLayer');
    if (!Number.isInteger(numLayers) || numLayers < 1)
      throw new TypeError(
        `TransformerEncoder: numLayers must be a positive integer, got ${String(numLayers)}`,
      );
    const o = pyArgs<TransformerEncoderOptions & Record<string, unknown>>(
      'TransformerEncoder',
      ['norm', 'enableNestedTensor'],
      rest,
      {
        norm: (v) => (v === null || v instanceof Module ? null : 'must be a Module or null'),
        enableNestedTensor: is.bool,
      },
    );
    this.numLayers = numLayers;
    this.layers = this.module(
      'layers',
      new ModuleList(Array.from({ length: numLayers }, () => encoderLayer.clone())),
    );
    this.norm = o.norm ? this.module('norm', o.norm) : null;
  }

  forward(src: Tensor, options: { mask?: Tensor | null; srcKeyPaddingMask?: Tensor | null } = {}): Tensor {
    const { mask = null, srcKeyPaddingMask = null } = pyArgs<{
      mask: Tensor | null;
      srcKeyPaddingMask: Tensor | null;
    }>('TransformerEncoder.forward', ['mask', 'srcKeyPaddingMask'], [options], {
      mask: is.tensorOrNull,
      srcKeyPaddingMask: is.tensorOrNull,
    });
    let x = src;
    for (let i = 0; i < this.numLayers; i++)
      x = (this.layers.at(i) as TransformerEncoderLayer).forward(x, { srcMask: mask, srcKeyPaddingMask });
    return this.norm ? (this.norm as Module & { forward(x: Tensor): Tensor }).forward(x) : x;
  }
}
