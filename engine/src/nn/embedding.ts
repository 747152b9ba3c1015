// Embedding: a lookup table of shape [numEmbeddings, embeddingDim], N(0, 1)-initialised, with
// an optional padding row that is zero and receives no gradient; and EmbeddingBag, its rows
// summed, averaged or maxed per bag.
import { pyArgs, is } from '../args.ts';
import { full, tensor, zeros } from '../creation.ts';
import { where } from '../ops/where.ts';
import { cat } from '../functional/shape.ts';
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

export type BagMode = 'sum' | 'mean' | 'max';

export interface EmbeddingBagOptions {
  offsets?: Tensor | null;
  mode?: BagMode;
  perSampleWeights?: Tensor | null;
  includeLastOffset?: boolean;
  paddingIdx?: number | null;
}

/**
 * The sum, mean or max of each bag of embedding rows (torch's embedding_bag): bags are the rows
 * of a 2-D `indices`, or runs of a 1-D one starting at `offsets`. Entries equal to paddingIdx are
 * left out (of the count too); an empty bag gives zeros; perSampleWeights scale rows ('sum' only).
 */
export function embeddingBag(indices: Tensor, weight: Tensor, options: EmbeddingBagOptions = {}): Tensor {
  const o = pyArgs<EmbeddingBagOptions & Record<string, unknown>>(
    'embeddingBag',
    ['offsets', 'mode', 'perSampleWeights', 'includeLastOffset', 'paddingIdx'],
    [options],
    {
      offsets: is.tensorOrNull,
      mode: is.oneOf('sum', 'mean', 'max'),
      perSampleWeights: is.tensorOrNull,
      includeLastOffset: is.bool,
      paddingIdx: is.orNull(is.int),
    },
  );
  const { offsets = null, mode = 'mean', perSampleWeights = null, includeLastOffset = false } = o;
  const n = weight.shape[0]!;
  const paddingIdx = o.paddingIdx == null ? null : o.paddingIdx < 0 ? o.paddingIdx + n : o.paddingIdx;
  if (perSampleWeights && mode !== 'sum')
    throw new Error(`embeddingBag: perSampleWeights is only supported for mode='sum', got mode='${mode}'`);
  if (indices.ndim === 2 && offsets)
    throw new Error('embeddingBag: offsets must be null when indices are 2-D (each row is a bag)');
  if (indices.ndim !== 1 && indices.ndim !== 2)
    throw new Error(`embeddingBag: expected 1-D or 2-D indices, got ${indices.ndim}-D`);
  if (indices.ndim === 1 && !offsets) throw new Error('embeddingBag: 1-D indices need offsets');
  if (perSampleWeights && perSampleWeights.shape.join() !== indices.shape.join())
    throw new Error('embeddingBag: perSampleWeights must have the shape of indices');
  // Each entry's bag, from the rows of 2-D indices or from the offsets.
  const flat = indices.reshape(-1);
  const ids = Array.from(flat.dataSync(), Number);
  const bagOf = new Int32Array(ids.length);
  let bags: number;
  if (indices.ndim === 2) {
    const [b, width] = indices.shape as [number, number];
    bags = b;
    for (let i = 0; i < ids.length; i++) bagOf[i] = Math.floor(i / width);
  } else {
    const starts = Array.from(offsets!.dataSync(), Number);
    bags = includeLastOffset ? starts.length - 1 : starts.length;
    if (starts[0] !== 0 || starts.some((s, i) => s > ids.length || (i > 0 && s < starts[i - 1]!)))
      throw new Error(`embeddingBag: offsets must start at 0 and not decrease, within ${ids.length} indices`);
    for (let bag = 0; bag < bags; bag++) {
      const end = bag + 1 < starts.length ? starts[bag + 1]! : ids.length;
      for (let i = starts[bag]!; i < end; i++) bagOf[i] = bag;
    }
    if (includeLastOffset && starts[starts.length - 1] !== ids.length)
      throw new Error('embeddingBag: with includeLastOffset the last offset must be the number of indices');
  }
  const keep = ids.map((v) => v !== paddingIdx);
  const kept = keep.map((k, i) => (k ? i : -1)).filter((i) => i >= 0);
  const dim = weight.shape[1]!;
  const rowsAt = tensor(
    kept.map((i) => ids[i]!),
    { dtype: 'int64' },
  );
  let rows = embedding(rowsAt, weight);
  if (perSampleWeights)
    rows = rows.mul(
      perSampleWeights
        .reshape(-1)
        .index(tensor(kept, { dtype: 'int64' }))
        .unsqueeze(-1),
    );
  const target = tensor(
    kept.map((i) => bagOf[i]!),
    { dtype: 'int64' },
  );
  if (mode === 'max') {
    // Each bag's rows side by side, short bags filled with −∞ (a row appended to the rows), then
    // the max over them; an empty bag is zeros, as in PyTorch.
    const slots: number[][] = Array.from({ length: bags }, () => []);
    kept.forEach((i, k) => slots[bagOf[i]!]!.push(k));
    const width = Math.max(1, ...slots.map((s) => s.length));
    const table = slots.flatMap((s) => [...s, ...new Array<number>(width - s.length).fill(kept.length)]);
    const withFloor = cat([rows, full([1, dim], -Infinity, { dtype: weight.dtype })], 0);
    const maxed = withFloor
      .index(tensor(table, { dtype: 'int64' }))
      .reshape([bags, width, dim])
      .amax(1);
    const emptyBag = tensor(
      slots.map((s) => s.length === 0),
      { dtype: 'bool' },
    ).unsqueeze(-1);
    return where(emptyBag, 0, maxed);
  }
  const sums = zeros([bags, dim], { dtype: weight.dtype }).indexAdd(0, target, rows);
  if (mode === 'sum') return sums;
  const counts = new Array<number>(bags).fill(0);
  for (const i of kept) counts[bagOf[i]!]! += 1;
  return sums.div(
    tensor(
      counts.map((c) => Math.max(c, 1)),
      { dtype: weight.dtype },
    ).unsqueeze(-1),
  );
}

/** Embedding rows reduced per bag (torch.nn.EmbeddingBag): forward(indices, offsets?, perSampleWeights?). */
export class EmbeddingBag extends Module {
  weight: Parameter;
  readonly mode: BagMode;
  readonly paddingIdx: number | null;
  readonly includeLastOffset: boolean;

  constructor(
    readonly numEmbeddings: number,
    readonly embeddingDim: number,
    options: {
      mode?: BagMode;
      includeLastOffset?: boolean;
      paddingIdx?: number | null;
      dtype?: 'float32' | 'float64';
    } = {},
  ) {
    super();
    checkSizes('EmbeddingBag', { num_embeddings: numEmbeddings, embedding_dim: embeddingDim });
    const o = pyArgs<{
      mode: BagMode;
      includeLastOffset: boolean;
      paddingIdx: number | null;
      dtype: 'float32' | 'float64';
    }>('EmbeddingBag', ['mode', 'includeLastOffset', 'paddingIdx', 'dtype'], [options], {
      mode: is.oneOf('sum', 'mean', 'max'),
      includeLastOffset: is.bool,
      paddingIdx: is.orNull(is.int),
      dtype: is.oneOf('float32', 'float64'),
    });
    this.mode = o.mode ?? 'mean';
    this.includeLastOffset = o.includeLastOffset ?? false;
    const p = o.paddingIdx ?? null;
    this.paddingIdx = p === null ? null : p < 0 ? p + numEmbeddings : p;
    this.weight = this.param('weight', zeros([numEmbeddings, embeddingDim], { dtype: o.dtype ?? 'float32' }));
    normal_(this.weight);
    if (this.paddingIdx !== null) noGrad(() => this.weight.index(this.paddingIdx!).fill_(0));
  }

  forward(indices: Tensor, offsets: Tensor | null = null, perSampleWeights: Tensor | null = null): Tensor {
    return embeddingBag(indices, this.weight, {
      offsets,
      perSampleWeights,
      mode: this.mode,
      includeLastOffset: this.includeLastOffset,
      paddingIdx: this.paddingIdx,
    });
  }

  override extraRepr(): string {
    return `${this.numEmbeddings}, ${this.embeddingDim}, mode='${this.mode}'`;
  }
}
