// Argument helpers shared by the tensor methods: PyTorch's varargs shapes and alpha scaling.
import * as B from '../ops/binary.ts';
import type { Tensor } from '../tensor.ts';
import type { TensorLike } from '../ops/make.ts';

export type Dims = number | readonly number[];

/** x.reshape(2, 3) and x.reshape([2, 3]) both give [2, 3]. */
export const shapeArgs = (args: number[] | [readonly number[]]): number[] =>
  Array.isArray(args[0]) ? [...(args[0] as readonly number[])] : (args as number[]);

/** `other · alpha` for add/sub's alpha option (a plain number is scaled without a tensor op). */
export const scaled = (other: TensorLike, alpha: number | undefined): TensorLike =>
  alpha === undefined || alpha === 1
    ? other
    : typeof other === 'number'
      ? other * alpha
      : B.mul(other as Tensor, alpha);
