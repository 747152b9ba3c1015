// Copies: cast to another dtype, and clone (a contiguous copy with the same dtype).
// Gradients pass straight through (cast back to the input's dtype by the engine).
import { isFloating, type DType } from '../dtype.ts';
import type { Tensor } from '../tensor.ts';
import { apply, defineOp } from '../autograd/function.ts';
import { fromBuffer, kernelsOf } from './make.ts';

const Cast = defineOp<DType>({
  name: 'ToCopy',
  forward: ([x], dtype) =>
    fromBuffer(x!.storage.backend, kernelsOf(x!).copy(x!.view_(), dtype), x!.shape, dtype),
  backward: (g) => [g],
});

const Clone = defineOp({
  name: 'Clone',
  forward: ([x]) =>
    fromBuffer(x!.storage.backend, kernelsOf(x!).copy(x!.view_(), x!.dtype), x!.shape, x!.dtype),
  backward: (g) => [g],
});

export function cast(x: Tensor, dtype: DType): Tensor {
  if (x.dtype === dtype) return x;
  if (!isFloating(dtype) && x.requiresGrad) {
    // Integer results cannot carry gradients; PyTorch returns a tensor that does not require grad.
    return fromBuffer(x.storage.backend, kernelsOf(x).copy(x.view_(), dtype), x.shape, dtype);
  }
  return apply(Cast, [x], dtype);
}

export const clone = (x: Tensor): Tensor => apply(Clone, [x], undefined);

/** x itself when already contiguous, else a contiguous copy (differentiable). */
export const contiguous = (x: Tensor): Tensor => (x.isContiguous() ? x : clone(x));
