// Character-level text: a vocabulary of the characters present (sorted), encoding and
// decoding, and (input, next-character) windows for next-token prediction.
import { tensor } from '../creation.ts';
import type { Tensor } from '../tensor.ts';
import type { Dataset } from './dataset.ts';

export class CharTokenizer {
  readonly chars: string[];
  private readonly index: Map<string, number>;

  constructor(text: string) {
    this.chars = [...new Set(text)].sort();
    this.index = new Map(this.chars.map((c, i) => [c, i]));
  }

  get vocabSize(): number {
    return this.chars.length;
  }

  encode(text: string): number[] {
    return [...text].map((c) => {
      const id = this.index.get(c);
      if (id === undefined)
        throw new Error(`CharTokenizer: character ${JSON.stringify(c)} is not in the vocabulary`);
      return id;
    });
  }

  decode(ids: Iterable<number>): string {
    return Array.from(ids, (i) => this.chars[i] ?? '?').join('');
  }
}

/** Sequences of `seqLen` token ids and the same sequence shifted by one (the targets). */
export class NextTokenDataset implements Dataset<Tensor[]> {
  private readonly ids: Int32Array;

  constructor(
    readonly tokenizer: CharTokenizer,
    text: string,
    readonly seqLen: number,
  ) {
    this.ids = Int32Array.from(tokenizer.encode(text));
    if (this.ids.length <= seqLen)
      throw new Error(
        `NextTokenDataset: text of ${this.ids.length} tokens is too short for sequences of ${seqLen}`,
      );
  }

  get length(): number {
    return this.ids.length - this.seqLen;
  }

  get(i: number): Tensor[] {
    if (i < 0 || i >= this.length)
      throw new Error(`NextTokenDataset: index ${i} is out of range (length ${this.length})`);
    return [tensor(this.ids.slice(i, i + this.seqLen)), tensor(this.ids.slice(i + 1, i + 1 + this.seqLen))];
  }
}
