// More of torch's elementwise functions: heaviside, signbit, fmax/fmin (NaN-ignoring), float_power,
// true_divide and sinc, each as torch computes it and differentiates it.
import type { Tensor } from '../tensor.ts';
import { apply, defineOp } from '../autograd/function.ts';
import { isFloating } from '../dtype.ts';
import { tensor } from '../creation.ts';

type Operand = Tensor | number;
const asTensor = (v: Operand, like: Tensor): Tensor =>
  typeof v === 'number' ? tensor(v, { dtype: like.dtype, device: like.device }) : v;

const Heaviside = defineOp({
  name: 'Heaviside',
  forward([x, values]) {
    return x!.gt(0).to(x!.dtype).where(x!.ne(0), values!.to(x!.dtype));
  },
  // torch: "the derivative for 'heaviside' is not implemented": say so rather than give zeros.
  backward: () => {
    throw new Error("heaviside: the derivative for 'heaviside' is not implemented.");
  },
});

/** 0 for x < 0, 1 for x > 0, `values` where x is 0 (torch.heaviside); not differentiable, as in torch. */
export function heaviside(x: Tensor, values: Operand): Tensor {
  const v = asTensor(values, x);
  if (v.dtype !== x.dtype)
    throw new TypeError(
      `heaviside is not yet implemented for tensors with different dtypes (${x.dtype} and ${v.dtype})`,
    );
  return apply(Heaviside, [x, v], undefined);
}

/** Whether the sign bit is set: true for negatives and −0 (torch.signbit). */
export function signbit(x: Tensor): Tensor {
  if (!isFloating(x.dtype)) return x.lt(0);
  // 1/−0 is −∞: the only way to see −0's sign with comparisons.
  return x.lt(0).logicalOr(x.eq(0).logicalAnd(x.reciprocal().lt(0)));
}

/** The larger of a and b, the number where one is NaN (torch.fmax); a tie's gradient goes to a, as torch's. */
export function fmax(a: Tensor, b: Operand): Tensor {
  const other = asTensor(b, a);
  return a.where(a.ge(other).logicalOr(other.isnan()), other);
}

/** The smaller of a and b, the number where one is NaN (torch.fmin). */
export function fmin(a: Tensor, b: Operand): Tensor {
  const other = asTensor(b, a);
  return a.where(a.le(other).logicalOr(other.isnan()), other);
}

/** a ** b in float64 (torch.float_power: both operands promoted to double). */
export function floatPower(a: Operand, b: Operand): Tensor {
  const base = typeof a === 'number' ? tensor(a, { dtype: 'float64' }) : a.to('float64');
  return base.pow(typeof b === 'number' ? b : b.to('float64'));
}

/** a / b, true division (torch.true_divide: div's alias). */
export const trueDivide = (a: Tensor, b: Operand): Tensor => a.div(b);

/** sin(πx)/(πx), 1 at 0 with a zero gradient there (torch.sinc). */
export function sinc(x: Tensor): Tensor {
  const xf = isFloating(x.dtype) ? x : x.to('float32');
  const zero = xf.eq(0);
  // Where x is 0 the quotient is not taken (its gradient would be 0/0), and the result is 1.
  const px = xf.where(zero.logicalNot(), 1).mul(Math.PI);
  return px.sin().div(px).where(zero.logicalNot(), 1);
}
