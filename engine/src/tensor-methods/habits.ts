// Methods PyTorch code calls out of habit, each a thin name over an existing op: new tensors
// like this one (newZeros, newFull, newTensor, …), shape and dtype borrowed from another tensor
// (typeAs, viewAs, reshapeAs), aliases (nelement, ndimension, ravel, moveaxis, swapaxes, sgn, …),
// clampMin/clampMax, and random in-place fills (uniform_, normal_, bernoulli_). tensor-methods.ts
// installs them on Tensor.
import type { Tensor } from '../tensor.ts';
import type { DType } from '../dtype.ts';
import type { Device } from '../backend/types.ts';
import { isFloating } from '../dtype.ts';
import { full, rand, randn, tensor, type TensorOptions } from '../creation.ts';
import { inplace } from '../inplace.ts';
import { where } from '../ops/where.ts';
import { clamp } from '../functional/activations.ts';
import { maskedSelect } from '../nn/functional-extra.ts';
import { movedim } from '../functional/rearrange.ts';
import type { Generator } from '../random.ts';

/** A new tensor's options: this tensor's dtype and device unless given. */
const like = (t: Tensor, o: TensorOptions = {}): TensorOptions => ({
  dtype: t.dtype,
  device: t.device,
  ...o,
});

export class HabitMethods {
  newZeros(this: Tensor, shape: readonly number[], options?: TensorOptions): Tensor {
    return full(shape, 0, like(this, options));
  }

  newOnes(this: Tensor, shape: readonly number[], options?: TensorOptions): Tensor {
    return full(shape, 1, like(this, options));
  }

  /** A new tensor (its values unspecified in PyTorch; zeros here). */
  newEmpty(this: Tensor, shape: readonly number[], options?: TensorOptions): Tensor {
    return full(shape, 0, like(this, options));
  }

  newFull(this: Tensor, shape: readonly number[], value: number | boolean, options?: TensorOptions): Tensor {
    return full(shape, value, like(this, options));
  }

  newTensor(this: Tensor, data: Parameters<typeof tensor>[0], options?: TensorOptions): Tensor {
    return tensor(data, like(this, options));
  }

  typeAs(this: Tensor, other: Tensor): Tensor {
    return this.to(other.dtype);
  }

  viewAs(this: Tensor, other: Tensor): Tensor {
    return this.view(other.shape);
  }

  reshapeAs(this: Tensor, other: Tensor): Tensor {
    return this.reshape(other.shape);
  }

  nelement(this: Tensor): number {
    return this.numel();
  }

  ndimension(this: Tensor): number {
    return this.ndim;
  }

  isFloatingPoint(this: Tensor): boolean {
    return isFloating(this.dtype);
  }

  cpu(this: Tensor): Tensor {
    return this.to('cpu' as Device);
  }

  ravel(this: Tensor): Tensor {
    return this.reshape(-1);
  }

  moveaxis(
    this: Tensor,
    source: number | readonly number[],
    destination: number | readonly number[],
  ): Tensor {
    return movedim(this, source, destination);
  }

  swapaxes(this: Tensor, dim0: number, dim1: number): Tensor {
    return this.transpose(dim0, dim1);
  }

  swapdims(this: Tensor, dim0: number, dim1: number): Tensor {
    return this.transpose(dim0, dim1);
  }

  /** The sign (for real tensors, torch.sgn is torch.sign). */
  sgn(this: Tensor): Tensor {
    return this.sign();
  }

  positive(this: Tensor): Tensor {
    return this;
  }

  /** The fractional part, x − trunc(x). */
  frac(this: Tensor): Tensor {
    return this.sub(this.trunc());
  }

  /** Sorted along dim 0 (values only). */
  msort(this: Tensor): Tensor {
    return this.sort(0).values;
  }

  clampMin(this: Tensor, min: number | Tensor): Tensor {
    return clamp(this, min, null);
  }

  clampMax(this: Tensor, max: number | Tensor): Tensor {
    return clamp(this, null, max);
  }

  maskedSelect(this: Tensor, mask: Tensor): Tensor {
    return maskedSelect(this, mask);
  }

  square_(this: Tensor): Tensor {
    return inplace('square_', this, (x) => x.square());
  }

  addcmul_(this: Tensor, t1: Tensor, t2: Tensor, options?: { value?: number }): Tensor {
    return inplace('addcmul_', this, (x) => x.addcmul(t1, t2, options));
  }

  addcdiv_(this: Tensor, t1: Tensor, t2: Tensor, options?: { value?: number }): Tensor {
    return inplace('addcdiv_', this, (x) => x.addcdiv(t1, t2, options));
  }

  /** Fills the diagonal of a matrix (or of every dim's equal-index entries) with `value`. */
  fillDiagonal_(this: Tensor, value: number): Tensor {
    if (this.ndim < 2 || (this.ndim > 2 && this.shape.some((d) => d !== this.shape[0])))
      throw new Error(
        `fillDiagonal_: expected a matrix, or all dims of equal length, got [${this.shape.join(', ')}]`,
      );
    const n = Math.min(...this.shape);
    // Row-major: the step between (i, i, …) and (i+1, i+1, …) is the sum of the strides.
    const step = this.shape.reduce(
      (sum, _, i) => sum + this.shape.slice(i + 1).reduce((a, b) => a * b, 1),
      0,
    );
    const flat = new Array<boolean>(this.numel()).fill(false);
    for (let i = 0; i < n; i++) flat[i * step] = true;
    const diagonal = tensor(flat, { dtype: 'bool', device: this.device }).reshape(this.shape);
    return inplace('fillDiagonal_', this, (x) => where(diagonal, value, x));
  }

  uniform_(this: Tensor, from = 0, to = 1, options: { generator?: Generator } = {}): Tensor {
    return inplace('uniform_', this, () =>
      rand(this.shape, randomLike(this, options))
        .mul(to - from)
        .add(from),
    );
  }

  normal_(this: Tensor, mean = 0, std = 1, options: { generator?: Generator } = {}): Tensor {
    return inplace('normal_', this, () => randn(this.shape, randomLike(this, options)).mul(std).add(mean));
  }

  /** 1 with probability p, else 0, in this tensor's dtype. */
  bernoulli_(this: Tensor, p = 0.5, options: { generator?: Generator } = {}): Tensor {
    if (!(p >= 0 && p <= 1)) throw new Error(`bernoulli_: p must be between 0 and 1, got ${p}`);
    return inplace('bernoulli_', this, () =>
      rand(this.shape, randomLike(this, options)).lt(p).to(this.dtype),
    );
  }
}

/** Random draws shaped like t, in its dtype when floating (float32 otherwise, cast after). */
function randomLike(
  t: Tensor,
  { generator }: { generator?: Generator },
): TensorOptions & { generator?: Generator } {
  const dtype: DType = isFloating(t.dtype) ? t.dtype : 'float32';
  return { dtype, device: t.device, ...(generator ? { generator } : {}) };
}
