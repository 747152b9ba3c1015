// Turns the operands of an elementwise op into tensors of one computation dtype, following
// PyTorch's type promotion (plain numbers and 0-d tensors rank below dimensioned tensors).
import { cpuBackend } from '../backend/cpu/index.ts';
import { resultType, type DType, type PromotionOperand } from '../dtype.ts';
import { Tensor } from '../tensor.ts';
import { cast } from './cast.ts';
import { scalarDtype, scalarTensor, type TensorLike } from './make.ts';

function operand(x: TensorLike): PromotionOperand {
  if (!(x instanceof Tensor)) return { dtype: scalarDtype(x), priority: 'scalar' };
  return { dtype: x.dtype, priority: x.isWrappedNumber ? 'wrapped' : x.ndim === 0 ? 'zeroDim' : 'dim' };
}

export function promotedDtype(...xs: TensorLike[]): DType {
  return resultType(xs.map(operand));
}

/** Every operand as a tensor of `dtype` (numbers become wrapped 0-d tensors on the same backend). */
export function asTensors(dtype: DType, ...xs: TensorLike[]): Tensor[] {
  const backend = xs.find((x): x is Tensor => x instanceof Tensor)?.storage.backend ?? cpuBackend;
  return xs.map((x) =>
    x instanceof Tensor ? (x.dtype === dtype ? x : cast(x, dtype)) : scalarTensor(x, dtype, backend),
  );
}
