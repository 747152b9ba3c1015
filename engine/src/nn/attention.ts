// MultiheadAttention with PyTorch's parameters (in_proj_weight, in_proj_bias, out_proj.*),
// masks (boolean "not allowed" or additive float) and head-averaged attention weights.
import { pyArgs, is, type PyRest } from '../args.ts';
import { zeros } from '../creation.ts';
import { formatShape } from '../shape.ts';
import type { Tensor } from '../tensor.ts';
import { where } from '../ops/where.ts';
import { dropout, linear } from './functional.ts';
import { constant_, xavierUniform_ } from './init.ts';
import { Linear } from './linear.ts';
import { Module } from './module.ts';
import type { Parameter } from './parameter.ts';

export interface AttentionOptions {
  keyPaddingMask?: Tensor | null;
  needWeights?: boolean;
  attnMask?: Tensor | null;
  averageAttnWeights?: boolean;
}

/** A boolean mask (true = masked out) becomes −∞; a float mask is added as it is. */
function additive(mask: Tensor, like: Tensor): Tensor {
  return mask.dtype === 'bool'
    ? where(mask, -Infinity, zeros([], { dtype: like.dtype, device: like.device }))
    : mask;
}

export interface MultiheadAttentionOptions {
  dropout?: number;
  bias?: boolean;
  /** Extra learned key/value biases: not supported (false only). */
  addBiasKv?: boolean;
  addZeroAttn?: boolean;
  kdim?: number | null;
  vdim?: number | null;
  batchFirst?: boolean;
  dtype?: 'float32' | 'float64';
}

export class MultiheadAttention extends Module {
  in_proj_weight: Parameter;
  in_proj_bias: Parameter | null;
  out_proj: Linear;
  readonly headDim: number;

  constructor(embedDim: number, numHeads: number, options?: MultiheadAttentionOptions);
  constructor(
    embedDim: number,
    numHeads: number,
    ...rest: PyRest<
      [
        dropout: number,
        bias: boolean,
        addBiasKv: boolean,
        addZeroAttn: boolean,
        kdim: number | null,
        vdim: number | null,
        batchFirst: boolean,
      ],
      MultiheadAttentionOptions
    >
  );
  constructor(
    readonly embedDim: number,
    readonly numHeads: number,
    ...rest: unknown[]
  ) {
    super();
    const o = pyArgs<MultiheadAttentionOptions & Record<string, unknown>>(
      'MultiheadAttention',
      ['dropout', 'bias', 'addBiasKv', 'addZeroAttn', 'kdim', 'vdim', 'batchFirst', 'dtype'],
      rest,
      {
        dropout: is.probability,
        bias: is.bool,
        addBiasKv: is.oneOf(false),
        addZeroAttn: is.oneOf(false),
        kdim: (v) =>
          v === null || v === embedDim ? null : `other than embed_dim (${embedDim}) is not supported yet`,
        vdim: (v) =>
          v === null || v === embedDim ? null : `other than embed_dim (${embedDim}) is not supported yet`,
        batchFirst: is.bool,
        dtype: is.oneOf('float32', 'float64'),
      },
    );
    const { dropout: p = 0, bias = true, batchFirst = false, dtype = 'float32' } = o;
    if (embedDim % numHeads !== 0)
      throw new Error(
        `MultiheadAttention: embed_dim (${embedDim}) must be divisible by num_heads (${numHeads})`,
      );
    this.headDim = embedDim / numHeads;
    this.dropoutP = p;
    this.batchFirst = batchFirst;
    this.in_proj_weight = this.param('in_proj_weight', zeros([3 * embedDim, embedDim], { dtype }));
    this.in_proj_bias = bias ? this.param('in_proj_bias', zeros([3 * embedDim], { dtype })) : null;
    // Same order of random draws as PyTorch: out_proj's Linear init, then in_proj's xavier.
    this.out_proj = this.module('out_proj', new Linear(embedDim, embedDim, { bias, dtype }));
    xavierUniform_(this.in_proj_weight);
    if (this.in_proj_bias) constant_(this.in_proj_bias, 0);
    if (this.out_proj.bias) constant_(this.out_proj.bias, 0);
  }
  readonly dropoutP: number;
  readonly batchFirst: boolean;

  /** Returns [attnOutput, attnWeights or null]; inputs are [L, N, E] ([N, L, E] with batchFirst) or unbatched [L, E]. */
  forward(
    query: Tensor,
    key: Tensor,
    value: Tensor,
    options: AttentionOptions = {},
  ): [Tensor, Tensor | null] {
    const { keyPaddingMask = null, needWeights = true, attnMask = null, averageAttnWeights = true } = options;
    const unbatched = query.ndim === 2;
    const prep = (t: Tensor) => (unbatched ? t.unsqueeze(1) : this.batchFirst ? t.transpose(0, 1) : t);
    const [q0, k0, v0] = [prep(query), prep(key), prep(value)];
    const E = this.embedDim;
    if (q0.shape[2] !== E)
      throw new Error(
        `MultiheadAttention: query ${formatShape(query.shape)} should have embed_dim ${E} in its last dim`,
      );
    const [tgtLen, batch] = q0.shape as [number, number];
    const srcLen = k0.shape[0]!;
    const [wq, wk, wv] = this.in_proj_weight.chunk(3, 0) as [Tensor, Tensor, Tensor];
    const [bq, bk, bv] = this.in_proj_bias
      ? (this.in_proj_bias.chunk(3, 0) as [Tensor, Tensor, Tensor])
      : [null, null, null];
    const h = this.numHeads;
    // [L, N, E] → [N·h, L, headDim]
    const heads = (t: Tensor, len: number) => t.reshape(len, batch * h, this.headDim).transpose(0, 1);
    const q = heads(linear(q0, wq, bq), tgtLen);
    const k = heads(linear(k0, wk, bk), srcLen);
    const v = heads(linear(v0, wv, bv), srcLen);
    let scores = q.div(Math.sqrt(this.headDim)).matmul(k.transpose(1, 2));
    if (attnMask)
      scores = scores.add(
        additive(attnMask, scores).reshape(
          attnMask.ndim === 2 ? [1, tgtLen, srcLen] : [batch * h, tgtLen, srcLen],
        ),
      );
    if (keyPaddingMask) {
      const pad = additive(keyPaddingMask, scores)
        .reshape(batch, 1, 1, srcLen)
        .expand(batch, h, 1, srcLen)
        .reshape(batch * h, 1, srcLen);
      scores = scores.add(pad);
    }
    let attn = scores.softmax(-1);
    const weightsForOutput = attn;
    if (this.dropoutP > 0) attn = dropout(attn, this.dropoutP, this.training);
    const context = attn
      .matmul(v)
      .transpose(0, 1)
      .reshape(tgtLen * batch, E);
    let out = this.out_proj.forward(context).reshape(tgtLen, batch, E);
    out = unbatched ? out.squeeze(1) : this.batchFirst ? out.transpose(0, 1) : out;
    if (!needWeights) return [out, null];
    let weights = weightsForOutput.reshape(batch, h, tgtLen, srcLen);
    if (averageAttnWeights) weights = weights.mean(1);
    return [out, unbatched ? weights.squeeze(0) : weights];
  }

  override extraRepr(): string {
    return '';
  }
}
