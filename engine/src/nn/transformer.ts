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
type LayerRest = [
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

export class TransformerEncoderLayer extends Module {
  self_attn: MultiheadAttention;
  linear1: Linear;
  dropout: Dropout;
  linear2: Linear;
  norm1: LayerNorm;
  norm2: LayerNorm;
  dropout1: Dropout;
  dropout2: Dropout;
  readonly normFirst: boolean;
  private readonly activation: (x: Tensor) => Tensor;
  /** The constructor's arguments after (dModel, nhead), for clone(). */
  private readonly rest: readonly unknown[];

  constructor(dModel: number, nhead: number, options?: TransformerEncoderLayerOptions);
  constructor(dModel: number, nhead: number, ...rest: PyRest<[...LayerRest], TransformerEncoderLayerOptions>);
  constructor(
    readonly dModel: number,
    readonly nhead: number,
    ...rest: unknown[]
  ) {
    super();
    this.rest = rest;
    const { dimFeedforward, dropout, layerNormEps, batchFirst, bias, dtype, normFirst, activation } =
      layerOptions('TransformerEncoderLayer', rest);
    this.normFirst = normFirst;
    this.activation = activation;
    // The same construction order as PyTorch, so a seed gives PyTorch's initial weights.
    this.self_attn = this.module(
      'self_attn',
      new MultiheadAttention(dModel, nhead, { dropout, bias, batchFirst, dtype }),
    );
    this.linear1 = this.module('linear1', new Linear(dModel, dimFeedforward, { bias, dtype }));
    this.dropout = this.module('dropout', new Dropout(dropout));
    this.linear2 = this.module('linear2', new Linear(dimFeedforward, dModel, { bias, dtype }));
    this.norm1 = this.module('norm1', new LayerNorm(dModel, { eps: layerNormEps, bias, dtype }));
    this.norm2 = this.module('norm2', new LayerNorm(dModel, { eps: layerNormEps, bias, dtype }));
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
      this.dropout1.forward(
        this.self_attn.forward(x, x, x, {
          attnMask: srcMask,
          keyPaddingMask: srcKeyPaddingMask,
          needWeights: false,
        })[0],
      );
    const feedForward = (x: Tensor) =>
      this.dropout2.forward(
        this.linear2.forward(this.dropout.forward(this.activation(this.linear1.forward(x)))),
      );
    let x = src;
    if (this.normFirst) {
      x = x.add(selfAttention(this.norm1.forward(x)));
      return x.add(feedForward(this.norm2.forward(x)));
    }
    x = this.norm1.forward(x.add(selfAttention(x)));
    return this.norm2.forward(x.add(feedForward(x)));
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
