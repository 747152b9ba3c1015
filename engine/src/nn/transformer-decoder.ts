// TransformerDecoderLayer, TransformerDecoder and Transformer as PyTorch builds them (self_attn,
// multihead_attn, linear1, dropout, linear2, norm1–3, dropout1–3; the whole model's matrices
// re-drawn with xavier_uniform_), so state-dict keys, seeded weights and outputs match torch's.
import { pyArgs, is, type PyRest } from '../args.ts';
import type { Tensor } from '../tensor.ts';
import { full } from '../creation.ts';
import { MultiheadAttention } from './attention.ts';
import { Dropout } from './activation.ts';
import { Linear } from './linear.ts';
import { Module } from './module.ts';
import { ModuleList } from './containers.ts';
import { LayerNorm } from './normalization.ts';
import { xavierUniform_ } from './init.ts';
import {
  copyOf,
  layerOptions,
  TransformerEncoder,
  TransformerEncoderLayer,
  TransformerLayerBase,
  type LayerRest,
  type TransformerEncoderLayerOptions,
} from './transformer.ts';

export interface DecoderMasks {
  tgtMask?: Tensor | null;
  memoryMask?: Tensor | null;
  tgtKeyPaddingMask?: Tensor | null;
  memoryKeyPaddingMask?: Tensor | null;
}

const MASKS = ['tgtMask', 'memoryMask', 'tgtKeyPaddingMask', 'memoryKeyPaddingMask'] as const;

function masks(name: string, given: DecoderMasks): Required<DecoderMasks> {
  const o = pyArgs<Required<DecoderMasks> & Record<string, unknown>>(name, [...MASKS], [given], {
    tgtMask: is.tensorOrNull,
    memoryMask: is.tensorOrNull,
    tgtKeyPaddingMask: is.tensorOrNull,
    memoryKeyPaddingMask: is.tensorOrNull,
  });
  return {
    tgtMask: o.tgtMask ?? null,
    memoryMask: o.memoryMask ?? null,
    tgtKeyPaddingMask: o.tgtKeyPaddingMask ?? null,
    memoryKeyPaddingMask: o.memoryKeyPaddingMask ?? null,
  };
}

export class TransformerDecoderLayer extends TransformerLayerBase {
  self_attn: MultiheadAttention;
  multihead_attn: MultiheadAttention;
  linear1: Linear;
  dropout: Dropout;
  linear2: Linear;
  norm1: LayerNorm;
  norm2: LayerNorm;
  norm3: LayerNorm;
  dropout1: Dropout;
  dropout2: Dropout;
  dropout3: Dropout;

  constructor(dModel: number, nhead: number, ...rest: PyRest<[...LayerRest], TransformerEncoderLayerOptions>);
  constructor(dModel: number, nhead: number, ...rest: unknown[]) {
    super('TransformerDecoderLayer', dModel, nhead, rest);
    const { dimFeedforward, dropout } = this.settings;
    // PyTorch's construction order (the seed gives its initial weights).
    this.self_attn = this.module('self_attn', this.newAttention());
    this.multihead_attn = this.module('multihead_attn', this.newAttention());
    this.linear1 = this.module('linear1', this.newLinear(dModel, dimFeedforward));
    this.dropout = this.module('dropout', new Dropout(dropout));
    this.linear2 = this.module('linear2', this.newLinear(dimFeedforward, dModel));
    this.norm1 = this.module('norm1', this.newNorm());
    this.norm2 = this.module('norm2', this.newNorm());
    this.norm3 = this.module('norm3', this.newNorm());
    this.dropout1 = this.module('dropout1', new Dropout(dropout));
    this.dropout2 = this.module('dropout2', new Dropout(dropout));
    this.dropout3 = this.module('dropout3', new Dropout(dropout));
  }

  forward(tgt: Tensor, memory: Tensor, options: DecoderMasks = {}): Tensor {
    const m = masks('TransformerDecoderLayer.forward', options);
    const selfAttention = (x: Tensor) =>
      this.attend(this.self_attn, x, x, m.tgtMask, m.tgtKeyPaddingMask, this.dropout1);
    const crossAttention = (x: Tensor) =>
      this.attend(this.multihead_attn, x, memory, m.memoryMask, m.memoryKeyPaddingMask, this.dropout2);
    let x = tgt;
    if (this.normFirst) {
      x = x.add(selfAttention(this.norm1.forward(x)));
      x = x.add(crossAttention(this.norm2.forward(x)));
      return x.add(this.feedForward(this.norm3.forward(x), this.dropout3));
    }
    x = this.norm1.forward(x.add(selfAttention(x)));
    x = this.norm2.forward(x.add(crossAttention(x)));
    return this.norm3.forward(x.add(this.feedForward(x, this.dropout3)));
  }

  /** A copy with the same weights (copyOf). */
  clone(): TransformerDecoderLayer {
    return copyOf(this, () => new TransformerDecoderLayer(this.dModel, this.nhead, ...(this.rest as [])));
  }
}

type NormModule = Module & { forward(x: Tensor): Tensor };

/** numLayers copies of a decoder layer, then an optional final norm (torch.nn.TransformerDecoder). */
export class TransformerDecoder extends Module {
  layers: ModuleList;
  norm: NormModule | null;
  constructor(
    decoderLayer: TransformerDecoderLayer,
    readonly numLayers: number,
    ...rest: PyRest<[norm: Module | null], { norm?: Module | null }>
  ) {
    super();
    if (!(decoderLayer instanceof TransformerDecoderLayer))
      throw new TypeError('TransformerDecoder: decoderLayer must be a TransformerDecoderLayer');
    if (!Number.isInteger(numLayers) || numLayers < 1)
      throw new TypeError(
        `TransformerDecoder: numLayers must be a positive integer, got ${String(numLayers)}`,
      );
    const { norm = null } = pyArgs<{ norm: Module | null }>('TransformerDecoder', ['norm'], rest, {
      norm: (v) => (v === null || v instanceof Module ? null : 'must be a Module or null'),
    });
    this.layers = this.module(
      'layers',
      new ModuleList(Array.from({ length: numLayers }, () => decoderLayer.clone())),
    );
    this.norm = norm ? this.module('norm', norm as NormModule) : null;
  }

  forward(tgt: Tensor, memory: Tensor, options: DecoderMasks = {}): Tensor {
    masks('TransformerDecoder.forward', options);
    let x = tgt;
    for (let i = 0; i < this.numLayers; i++)
      x = (this.layers.at(i) as TransformerDecoderLayer).forward(x, memory, options);
    return this.norm ? this.norm.forward(x) : x;
  }
}

export interface TransformerOptions extends TransformerEncoderLayerOptions {
  numEncoderLayers?: number;
  numDecoderLayers?: number;
}

export interface TransformerMasks extends DecoderMasks {
  srcMask?: Tensor | null;
  srcKeyPaddingMask?: Tensor | null;
}

/**
 * The encoder–decoder model (torch.nn.Transformer): an encoder and a decoder stack, each with a
 * final LayerNorm; every matrix parameter then re-drawn with xavier_uniform_, in order.
 */
export class Transformer extends Module {
  encoder: TransformerEncoder;
  decoder: TransformerDecoder;
  readonly dModel: number;
  readonly batchFirst: boolean;
  constructor(options?: TransformerOptions & { dModel?: number; nhead?: number });
  constructor(
    ...rest: PyRest<
      [
        dModel: number,
        nhead: number,
        numEncoderLayers: number,
        numDecoderLayers: number,
        dimFeedforward: number,
        dropout: number,
        activation: 'relu' | 'gelu' | ((x: Tensor) => Tensor),
      ],
      TransformerOptions & { dModel?: number; nhead?: number }
    >
  );
  constructor(...rest: unknown[]) {
    super();
    const names = [
      'dModel',
      'nhead',
      'numEncoderLayers',
      'numDecoderLayers',
      'dimFeedforward',
      'dropout',
      'activation',
    ];
    const all = [...names, 'layerNormEps', 'batchFirst', 'normFirst', 'bias', 'dtype'];
    const o = pyArgs<TransformerOptions & { dModel: number; nhead: number } & Record<string, unknown>>(
      'Transformer',
      all,
      rest,
      {
        dModel: is.positiveInt,
        nhead: is.positiveInt,
        numEncoderLayers: is.positiveInt,
        numDecoderLayers: is.positiveInt,
      },
      names.length,
    );
    const { dModel = 512, nhead = 8, numEncoderLayers = 6, numDecoderLayers = 6, ...layer } = o;
    this.dModel = dModel;
    this.batchFirst = layer.batchFirst ?? false;
    const { layerNormEps, bias, dtype } = layerOptions('Transformer', [layer]);
    const norm = () => new LayerNorm(dModel, { eps: layerNormEps, bias, dtype });
    this.encoder = this.module(
      'encoder',
      new TransformerEncoder(new TransformerEncoderLayer(dModel, nhead, layer), numEncoderLayers, {
        norm: norm(),
      }),
    );
    this.decoder = this.module(
      'decoder',
      new TransformerDecoder(new TransformerDecoderLayer(dModel, nhead, layer), numDecoderLayers, {
        norm: norm(),
      }),
    );
    for (const p of this.parameters()) if (p.ndim > 1) xavierUniform_(p);
  }

  forward(src: Tensor, tgt: Tensor, options: TransformerMasks = {}): Tensor {
    const {
      srcMask = null,
      srcKeyPaddingMask = null,
      ...decoderMasks
    } = pyArgs<Required<TransformerMasks> & Record<string, unknown>>(
      'Transformer.forward',
      ['srcMask', 'srcKeyPaddingMask', ...MASKS],
      [options],
      {},
    );
    const memory = this.encoder.forward(src, { mask: srcMask, srcKeyPaddingMask });
    return this.decoder.forward(tgt, memory, decoderMasks);
  }

  /** A causal mask for sz positions: 0 on and below the diagonal, −∞ above (PyTorch's). */
  static generateSquareSubsequentMask(sz: number): Tensor {
    return full([sz, sz], -Infinity).triu(1);
  }
}
