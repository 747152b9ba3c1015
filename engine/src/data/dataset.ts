// Datasets and the DataLoader: map-style datasets, seeded shuffling, batching by stacking
// (or a custom collate), dropLast, and for…of iteration.
import { pyArgs, is } from '../args.ts';
import { randperm, tensor } from '../creation.ts';
import { stack } from '../functional/shape.ts';
import { defaultGenerator, type Generator } from '../random.ts';
import { Tensor } from '../tensor.ts';

export interface Dataset<T> {
  length: number;
  get(index: number): T;
}

/** Rows of several tensors that share their first dim (features, labels, …). */
export class TensorDataset implements Dataset<Tensor[]> {
  readonly tensors: Tensor[];

  constructor(...tensors: Tensor[]) {
    if (tensors.length === 0) throw new Error('TensorDataset: needs at least one tensor');
    const n = tensors[0]!.shape[0];
    for (const t of tensors)
      if (t.shape[0] !== n)
        throw new Error(`TensorDataset: size mismatch between tensors (${n} vs ${t.shape[0]} rows)`);
    this.tensors = tensors;
  }

  get length(): number {
    return this.tensors[0]!.shape[0]!;
  }

  get(index: number): Tensor[] {
    if (index < 0 || index >= this.length)
      throw new Error(`TensorDataset: index ${index} is out of range (length ${this.length})`);
    return this.tensors.map((t) => t.index(index));
  }
}

export class Subset<T> implements Dataset<T> {
  constructor(
    readonly dataset: Dataset<T>,
    readonly indices: number[],
  ) {}
  get length(): number {
    return this.indices.length;
  }
  get(index: number): T {
    const i = this.indices[index];
    if (i === undefined) throw new Error(`Subset: index ${index} is out of range (length ${this.length})`);
    return this.dataset.get(i);
  }
}

/** Splits a dataset by lengths (or fractions summing to 1) with a seeded permutation. */
export function randomSplit<T>(
  dataset: Dataset<T>,
  lengths: number[],
  generator: Generator = defaultGenerator,
): Subset<T>[] {
  let sizes = lengths;
  if (lengths.every((l) => l > 0 && l < 1) && Math.abs(lengths.reduce((a, b) => a + b, 0) - 1) < 1e-9) {
    sizes = lengths.map((f) => Math.floor(f * dataset.length));
    for (let i = 0; sizes.reduce((a, b) => a + b, 0) < dataset.length; i++) sizes[i % sizes.length]!++;
  }
  if (sizes.reduce((a, b) => a + b, 0) !== dataset.length)
    throw new Error(
      `randomSplit: sum of input lengths (${sizes.reduce((a, b) => a + b, 0)}) does not equal the length of the dataset (${dataset.length})`,
    );
  const order = Array.from(randperm(dataset.length, { generator }).dataSync());
  let start = 0;
  return sizes.map((n) => {
    const subset = new Subset(dataset, order.slice(start, start + n));
    start += n;
    return subset;
  });
}

/** Stacks samples: tensors into a batch tensor, arrays element-wise, numbers into a tensor. */
export function defaultCollate(samples: unknown[]): unknown {
  const first = samples[0];
  if (first instanceof Tensor) return stack(samples as Tensor[], 0);
  if (Array.isArray(first))
    return first.map((_, i) => defaultCollate(samples.map((s) => (s as unknown[])[i])));
  throw new Error(
    'defaultCollate: samples must be tensors or arrays of tensors; pass collateFn for other kinds',
  );
}

export interface DataLoaderOptions<T, B> {
  batchSize?: number;
  shuffle?: boolean;
  dropLast?: boolean;
  generator?: Generator;
  collateFn?: (samples: T[]) => B;
}

export class DataLoader<T, B = T> implements Iterable<B> {
  readonly batchSize: number;
  private readonly shuffle: boolean;
  private readonly dropLast: boolean;
  private readonly generator: Generator;
  private readonly collate: (samples: T[]) => B;
  private readonly defaultCollateFn = (samples: T[]): B => defaultCollate(samples) as B;

  constructor(dataset: Dataset<T>, options?: DataLoaderOptions<T, B>);
  constructor(dataset: Dataset<T>, batchSize?: number, shuffle?: boolean, options?: DataLoaderOptions<T, B>);
  constructor(
    readonly dataset: Dataset<T>,
    ...rest: unknown[]
  ) {
    // PyTorch's DataLoader(dataset, batch_size, shuffle, …); drop_last and the rest by name.
    const options = pyArgs<DataLoaderOptions<T, B> & Record<string, unknown>>(
      'DataLoader',
      ['batchSize', 'shuffle', 'dropLast', 'generator', 'collateFn'],
      rest,
      {
        batchSize: is.positiveInt,
        shuffle: is.bool,
        dropLast: is.bool,
        generator: (v) =>
          v !== null && typeof v === 'object' && 'nextUint32' in v ? null : 'must be a Generator',
        collateFn: is.function,
      },
      2,
    );
    if (typeof dataset?.length !== 'number' || typeof (dataset as { get?: unknown }).get !== 'function')
      throw new TypeError('DataLoader: the first argument must be a dataset (with length and get(i))');
    this.batchSize = options.batchSize ?? 1;
    if (!Number.isInteger(this.batchSize) || this.batchSize < 1)
      throw new Error(`DataLoader: batchSize should be a positive integer, got ${this.batchSize}`);
    this.shuffle = options.shuffle ?? false;
    this.dropLast = options.dropLast ?? false;
    this.generator = options.generator ?? defaultGenerator;
    this.collate = options.collateFn ?? this.defaultCollateFn;
  }

  /** Number of batches per epoch. */
  get length(): number {
    const n = this.dataset.length / this.batchSize;
    return this.dropLast ? Math.floor(n) : Math.ceil(n);
  }

  /** The sample order of one epoch (advances the generator when shuffling). */
  epochOrder(): number[] {
    const n = this.dataset.length;
    return this.shuffle
      ? Array.from(randperm(n, { generator: this.generator }).dataSync())
      : Array.from({ length: n }, (_, i) => i);
  }

  *[Symbol.iterator](): Iterator<B> {
    const order = this.epochOrder();
    // Tensor datasets batch with one gather per tensor instead of stacking sample views.
    const fast = this.dataset instanceof TensorDataset && this.collate === this.defaultCollateFn;
    for (let start = 0; start < order.length; start += this.batchSize) {
      const indices = order.slice(start, start + this.batchSize);
      if (this.dropLast && indices.length < this.batchSize) return;
      if (fast) {
        const idx = tensor(indices, { dtype: 'int32' });
        yield (this.dataset as unknown as TensorDataset).tensors.map((t) => t.indexSelect(0, idx)) as B;
      } else yield this.collate(indices.map((i) => this.dataset.get(i)));
    }
  }
}
