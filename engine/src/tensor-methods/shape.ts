// Views, shape changes and indexing (x.reshape(2, 3), x.index(0, sl(1))).
// Each method is written once here; tensor-methods.ts installs it on Tensor and merges its
// signature into the Tensor type.
import type { PyRest } from '../args.ts';
import { Tensor } from '../tensor.ts';
import type { TensorLike } from '../ops/make.ts';
import * as S from '../functional/shape.ts';
import * as X from '../functional/rearrange.ts';
import * as I from '../functional/indexing.ts';
import { filled } from '../ops/fill.ts';
import { shapeArgs } from './args.ts';
import type { Dims } from './args.ts';

export class ShapeMethods {
  view(this: Tensor, ...shape: number[] | [readonly number[]]): Tensor {
    return S.view(this, shapeArgs(shape));
  }

  reshape(this: Tensor, ...shape: number[] | [readonly number[]]): Tensor {
    return S.reshape(this, shapeArgs(shape));
  }

  flatten(this: Tensor, s?: number, e?: number): Tensor {
    return S.flatten(this, s, e);
  }

  unflatten(this: Tensor, dim: number, sizes: readonly number[]): Tensor {
    return S.unflatten(this, dim, sizes);
  }

  squeeze(this: Tensor, dim?: Dims): Tensor {
    return S.squeeze(this, dim);
  }

  unsqueeze(this: Tensor, dim: number): Tensor {
    return S.unsqueeze(this, dim);
  }

  transpose(this: Tensor, a: number, b: number): Tensor {
    return S.transpose(this, a, b);
  }

  permute(this: Tensor, ...dims: number[] | [readonly number[]]): Tensor {
    return S.permute(this, shapeArgs(dims));
  }

  t(this: Tensor): Tensor {
    return S.t(this);
  }

  /** The last two dims swapped (batched matrix transpose). */
  get mT(): Tensor {
    return S.mT(this as unknown as Tensor);
  }

  /** The dims reversed (a matrix's transpose), as PyTorch's x.T. */
  get T(): Tensor {
    const x = this as unknown as Tensor;
    return x.ndim < 2
      ? x
      : S.permute(
          x,
          x.shape.map((_, i) => x.ndim - 1 - i),
        );
  }

  repeatInterleave(this: Tensor, repeats: number | Tensor | readonly number[], dim?: number | null): Tensor {
    return X.repeatInterleave(this, repeats, dim);
  }

  diagonal(this: Tensor, offset?: number, dim1?: number, dim2?: number): Tensor {
    return X.diagonal(this, offset, dim1, dim2);
  }

  diag(this: Tensor, diagonal?: number): Tensor {
    return X.diag(this, diagonal);
  }

  /** Every window of `size` along `dim` (stepping by `step`), as a new last dim. */
  unfold(this: Tensor, dim: number, size: number, step: number): Tensor {
    return X.unfoldDim(this, dim, size, step);
  }

  movedim(this: Tensor, source: number | readonly number[], destination: number | readonly number[]): Tensor {
    return X.movedim(this, source, destination);
  }

  expand(this: Tensor, ...shape: number[] | [readonly number[]]): Tensor {
    return S.expand(this, shapeArgs(shape));
  }

  expandAs(this: Tensor, o: Tensor): Tensor {
    return S.expandAs(this, o);
  }

  broadcastTo(this: Tensor, shape: readonly number[]): Tensor {
    return S.broadcastTo(this, shape);
  }

  repeat(this: Tensor, ...r: number[] | [readonly number[]]): Tensor {
    return S.repeat(this, shapeArgs(r));
  }

  split(this: Tensor, size: number | readonly number[], dim?: number): Tensor[] {
    return S.split(this, size, dim);
  }

  chunk(this: Tensor, chunks: number, dim?: number): Tensor[] {
    return S.chunk(this, chunks, dim);
  }

  narrow(this: Tensor, dim: number, start: number, length: number): Tensor {
    return S.narrow(this, dim, start, length);
  }

  select(this: Tensor, dim: number, index: number): Tensor {
    return S.select(this, dim, index);
  }

  unbind(this: Tensor, dim?: number): Tensor[] {
    return S.unbind(this, dim);
  }

  flip(this: Tensor, dims: Dims): Tensor {
    return S.flip(this, dims);
  }

  roll(this: Tensor, shifts: Dims, dims?: Dims): Tensor {
    return S.roll(this, shifts, dims);
  }

  tril(this: Tensor, d?: number): Tensor {
    return S.tril(this, d);
  }

  triu(this: Tensor, d?: number): Tensor {
    return S.triu(this, d);
  }

  index(this: Tensor, ...items: I.IndexItem[]): Tensor {
    return I.index(this, ...items);
  }

  indexPut(this: Tensor, items: readonly I.IndexItem[], v: TensorLike, acc?: boolean): Tensor {
    return I.indexPut(
      this,
      items,
      v instanceof Tensor ? v : filled([], v, this.dtype, this.storage.backend),
      acc,
    );
  }

  gather(this: Tensor, dim: number, idx: Tensor): Tensor {
    return I.gather(this, dim, idx);
  }

  scatter(
    this: Tensor,
    dim: number,
    idx: Tensor,
    src: Tensor | number,
    ...rest: PyRest<[I.ScatterOptions['reduce']], I.ScatterOptions>
  ): Tensor {
    return I.scatter(this, dim, idx, src, ...rest);
  }

  scatterAdd(this: Tensor, dim: number, idx: Tensor, src: Tensor): Tensor {
    return I.scatterAdd(this, dim, idx, src);
  }

  indexSelect(this: Tensor, dim: number, idx: Tensor): Tensor {
    return I.indexSelect(this, dim, idx);
  }

  indexAdd(this: Tensor, dim: number, idx: Tensor, src: Tensor, o?: { alpha?: number }): Tensor {
    return I.indexAdd(this, dim, idx, src, o?.alpha);
  }

  take(this: Tensor, idx: Tensor): Tensor {
    return I.take(this, idx);
  }

  nonzero(this: Tensor): Tensor {
    return I.nonzero(this);
  }
}
