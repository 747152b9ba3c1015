// Division with rounding, remainder (Python's sign rule), fmod (C's), hypot and copysign: one
// kernel each for the values, PyTorch's formulas for the gradients; bitwise ops on integers and
// booleans (not differentiable). div(a, b, {roundingMode: 'trunc' | 'floor'}) keeps integer
// dtypes, as torch.div does.
import { isFloating } from '../dtype.ts';
import type { Tensor } from '../tensor.ts';
import type { BinaryOp } from '../backend/types.ts';
import { broadcastShapes } from '../shape.ts';
import { options as checkOptions, is } from '../args.ts';
import { arith, binaryDef, div as trueDivide, mul } from './binary.ts';
import { asTensors, promotedDtype } from './promote.ts';
import { broadcastView, fromBuffer, kernelsOf, type TensorLike } from './make.ts';
import { floor, neg, sign, trunc } from './unary.ts';

const Remainder = binaryDef('remainder', 'Remainder', 'inputs', (g, { saved: [a, b], needsInputGrad }) => [
  g,
  needsInputGrad[1] ? mul(neg(g), floor(trueDivide(a!, b!))) : null,
]);
const Fmod = binaryDef('fmod', 'Fmod', 'inputs', (g, { saved: [a, b], needsInputGrad }) => [
  g,
  needsInputGrad[1] ? mul(neg(g), trunc(trueDivide(a!, b!))) : null,
]);
// d hypot(a, b) = (a, b) / hypot(a, b): the saved inputs recompute the result.
const Hypot = binaryDef('hypot', 'Hypot', 'inputs', (g, { saved: [a, b] }) => {
  const h = hypot(a!, b!);
  return [mul(g, trueDivide(a!, h)), mul(g, trueDivide(b!, h))];
});
// |a| takes b's sign: da = g · sign(a) · sign(result) (0 where a = 0); b's gradient is 0.
const Copysign = binaryDef('copysign', 'Copysign', 'inputs', (g, { saved: [a, b] }) => [
  mul(g, mul(sign(a!), sign(copysign(a!, b!)))),
  mul(g, 0),
]);
// Rounded quotients are piecewise constant: their gradient is 0, as PyTorch defines it.
const zeroGrads = (g: Tensor): Tensor[] => [mul(g, 0), mul(g, 0)];
const TruncDivide = binaryDef('truncDivide', 'DivTrunc', 'nothing', zeroGrads);
const FloorDivide = binaryDef('floorDivide', 'DivFloor', 'nothing', zeroGrads);

/** Python's a % b: the result takes the divisor's sign. */
export const remainder = (a: TensorLike, b: TensorLike): Tensor => arith('remainder', a, b, Remainder);
/** C's fmod: the result takes the dividend's sign. */
export const fmod = (a: TensorLike, b: TensorLike): Tensor => arith('fmod', a, b, Fmod);
export const hypot = (a: TensorLike, b: TensorLike): Tensor => arith('hypot', a, b, Hypot);
export const copysign = (a: TensorLike, b: TensorLike): Tensor => arith('copysign', a, b, Copysign);

/** An elementwise kernel with promotion and broadcasting, and no gradient. */
function raw(op: BinaryOp, a: TensorLike, b: TensorLike): Tensor {
  const dtype = promotedDtype(a, b);
  const [x, y] = asTensors(dtype, a, b) as [Tensor, Tensor];
  const shape = broadcastShapes(op, x.shape, y.shape);
  const buffer = kernelsOf(x).binary(op, broadcastView(x, shape), broadcastView(y, shape), dtype);
  return fromBuffer(x.storage.backend, buffer, shape, dtype);
}

export interface DivOptions {
  /** undefined: true division; 'trunc': round toward zero; 'floor': round down (Python's //). */
  roundingMode?: 'trunc' | 'floor' | null;
}

/** torch.div: true division, or division rounded toward zero or down (integer dtypes stay integer). */
export function div(a: TensorLike, b: TensorLike, options?: DivOptions): Tensor {
  const { roundingMode } = checkOptions<DivOptions & Record<string, unknown>>(
    'div',
    options,
    ['roundingMode'],
    {
      roundingMode: is.orNull(is.oneOf('trunc', 'floor')),
    },
  );
  if (!roundingMode) return trueDivide(a, b);
  return roundingMode === 'trunc'
    ? arith('truncDivide', a, b, TruncDivide)
    : arith('floorDivide', a, b, FloorDivide);
}

/** Python's a // b. */
export const floorDivide = (a: TensorLike, b: TensorLike): Tensor => div(a, b, { roundingMode: 'floor' });

function integral(op: string, a: TensorLike, b: TensorLike): void {
  for (const v of [a, b])
    if (typeof v === 'number' ? !Number.isInteger(v) : typeof v !== 'boolean' && isFloating(v.dtype))
      throw new TypeError(`${op}: expected integer or boolean tensors, got a floating-point operand`);
}

export function bitwiseAnd(a: TensorLike, b: TensorLike): Tensor {
  integral('bitwiseAnd', a, b);
  return raw('bitwiseAnd', a, b);
}
export function bitwiseOr(a: TensorLike, b: TensorLike): Tensor {
  integral('bitwiseOr', a, b);
  return raw('bitwiseOr', a, b);
}
export function bitwiseXor(a: TensorLike, b: TensorLike): Tensor {
  integral('bitwiseXor', a, b);
  return raw('bitwiseXor', a, b);
}
export function bitwiseLeftShift(a: TensorLike, b: TensorLike): Tensor {
  integral('bitwiseLeftShift', a, b);
  return raw('leftShift', a, b);
}
export function bitwiseRightShift(a: TensorLike, b: TensorLike): Tensor {
  integral('bitwiseRightShift', a, b);
  return raw('rightShift', a, b);
}
export function bitwiseNot(x: Tensor): Tensor {
  integral('bitwiseNot', x, 0);
  // A boolean's bitwise not is its logical not.
  if (x.dtype === 'bool') return raw('bitwiseXor', x, true);
  return fromBuffer(
    x.storage.backend,
    kernelsOf(x).unary('bitwiseNot', x.view_(), x.dtype),
    x.shape,
    x.dtype,
  );
}
