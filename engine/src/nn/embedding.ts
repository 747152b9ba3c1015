// Embedding: a lookup table of shape [numEmbeddings, embeddingDim], N(0, 1)-initialised, with
// an optional padding row that is zero and receives no gradient.
import { pyArgs, is } from '../args.ts';
import { zeros } from '../creation.ts';
import { checkSizes } from './linear.ts';
import { noGrad } from '../autograd/grad-mode.ts';
import type { Tensor } from '../tensor.ts';
import { embedding } from './functional.ts';
import { normal_ } from './init.ts';
import { Module } from './module.ts';
import type { Parameter } from './parameter.ts';

export interface EmbeddingOptions {
  paddingIdx?: number | null;
  dtype?: 'float32' | 'float64';
}

export class Embedding extends Module {
  weight: Parameter;
  readonly paddingIdx: number | null;

  constructor(numEmbeddings: number, embeddingDim: number, options?: EmbeddingOptions);
  constructor(
    numEmbeddings: number,
    embeddingDim: number,
    paddingIdx?: number | null,
    options?: EmbeddingOptions,
  );
  constructor(
    readonly numEmbeddings: number,
    readonly embeddingDim: number,
    ...rest: unknown[]
  ) {
    super();
    checkSizes('Embedding', { num_embeddings: numEmbeddings, embedding_dim: embeddingDim });
    const o = pyArgs<EmbeddingOptions & Record<string, unknown>>('Embedding', ['paddingIdx', 'dtype'], rest, {
      paddingIdx: is.orNull(is.int),
      dtype: is.oneOf('float32', 'float64'),
    });
    const { paddingIdx = null, dtype = 'float32' } = o;
    if (paddingIdx !== null && (paddingIdx >= numEmbeddings || paddingIdx < -numEmbeddings))
      throw new Error(
        `Embedding: padding_idx must be within num_embeddings (got ${paddingIdx} for ${numEmbeddings})`,
      );
    this.paddingIdx = paddingIdx === null ? null : paddingIdx < 0 ? paddingIdx + numEmbeddings : paddingIdx;
    this.weight = this.param('weight', zeros([numEmbeddings, embeddingDim], { dtype }));
    normal_(this.weight);
    if (this.paddingIdx !== null) noGrad(() => this.weight.index(this.paddingIdx!).fill_(0));
  }

  forward(indices: Tensor): Tensor {
    return embedding(indices, this.weight, this.paddingIdx);
  }

  override extraRepr(): string {
    return `${this.numEmbeddings}, ${this.embeddingDim}${this.paddingIdx !== null ? `, padding_idx=${this.paddingIdx}` : ''}`;
  }
}
