// Activation and clamping functions composed from primitives; their gradients follow.
import type { Tensor } from '../tensor.ts';
import { add, mul, div, sub } from '../ops/binary.ts';
import { gt, lt, isnan } from '../ops/compare.ts';
import { erf, exp, expm1, log1p, sigmoid, tanh } from '../ops/unary.ts';
import { where } from '../ops/where.ts';
import { Tensor as TensorClass } from '../tensor.ts';
import type { TensorLike } from '../ops/make.ts';

export function leakyRelu(x: Tensor, negativeSlope = 0.01): Tensor {
  return where(gt(x, 0), x, mul(x, negativeSlope));
}

export function elu(x: Tensor, alpha = 1): Tensor {
  return where(gt(x, 0), x, mul(expm1(x), alpha));
}

/** GELU: exact (erf) by default, or PyTorch's approximate: 'tanh' form. */
export function gelu(x: Tensor, approximate: 'none' | 'tanh' = 'none'): Tensor {
  if (approximate === 'tanh') {
    const inner = mul(add(x, mul(mul(mul(x, x), x), 0.044715)), Math.sqrt(2 / Math.PI));
    return mul(mul(x, 0.5), add(tanh(inner), 1));
  }
  return mul(mul(x, 0.5), add(erf(mul(x, Math.SQRT1_2)), 1));
}

export const silu = (x: Tensor): Tensor => mul(x, sigmoid(x));

/** log(1 + e^(βx))/β, switching to the identity above `threshold` where the two agree. */
export function softplus(x: Tensor, beta = 1, threshold = 20): Tensor {
  const bx = mul(x, beta);
  return where(gt(bx, threshold), x, div(log1p(exp(bx)), beta));
}

export const logSigmoid = (x: Tensor): Tensor => mul(softplus(mul(x, -1)), -1);

/** clamp keeps the gradient where min ≤ x ≤ max (inclusive), and propagates NaN, like PyTorch. */
export function clamp(x: Tensor, min?: TensorLike | null, max?: TensorLike | null): Tensor {
  if ((min === undefined || min === null) && (max === undefined || max === null))
    throw new Error("clamp: at least one of 'min' or 'max' must not be None");
  let out = x;
  if (min !== undefined && min !== null) out = where(lt(out, min), min, out);
  if (max !== undefined && max !== null) out = where(gt(out, max), max, out);
  // where() picks x for NaN comparisons, so NaN inputs stay NaN; NaN bounds make NaN, as in PyTorch.
  for (const bound of [min, max])
    if (bound instanceof TensorClass) out = where(isnan(bound), bound, out);
    else if (typeof bound === 'number' && Number.isNaN(bound)) out = where(isnan(x), x, NaN);
  return out;
}

export const hardtanh = (x: Tensor, minVal = -1, maxVal = 1): Tensor => clamp(x, minVal, maxVal);

/** start + weight · (end − start). */
export function lerp(start: Tensor, end: TensorLike, weight: TensorLike): Tensor {
  return add(start, mul(weight, sub(end, start)));
}
