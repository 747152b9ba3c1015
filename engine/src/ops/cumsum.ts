// Cumulative sum along a dim. Its adjoint is the reversed cumulative sum of the gradient.
import { isFloating } from '../dtype.ts';
import type { Tensor } from '../tensor.ts';
import { apply, defineOp } from '../autograd/function.ts';
import { fromBuffer, kernelsOf } from './make.ts';
import { sliceRaw } from './views.ts';
import { contiguous } from './cast.ts';

const Cumsum = defineOp<{ dim: number }>({
  name: 'Cumsum',
  forward([x], { dim }) {
    const dtype = isFloating(x!.dtype) ? x!.dtype : 'int64';
    return fromBuffer(
      x!.storage.backend,
      kernelsOf(x!).cumulative('cumsum', x!.view_(), dim, dtype),
      x!.shape,
      dtype,
    );
  },
  backward: (g, { attrs: { dim } }) => [flipDim(cumsumRaw(flipDim(g, dim), dim), dim)],
});

export const cumsumRaw = (x: Tensor, dim: number): Tensor => apply(Cumsum, [x], { dim });

function flipDim(x: Tensor, dim: number): Tensor {
  if (x.ndim === 0) return x;
  const n = x.shape[dim]!;
  return contiguous(sliceRaw(x, { dim, start: n - 1, length: n, step: -1 }));
}
