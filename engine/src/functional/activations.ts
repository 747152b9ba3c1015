// Activation and clamping functions composed from primitives; their gradients follow. Where a
// where() selects between branches, the branch not taken is fed a safe input (never an overflow),
// because its gradient is multiplied by 0 and 0 · ∞ would poison the result with NaN.
import type { Tensor } from '../tensor.ts';
import { apply, defineOp } from '../autograd/function.ts';
import { add, mul, div, minimum, sub } from '../ops/binary.ts';
import { ge, gt, le, lt, isnan, logicalAnd } from '../ops/compare.ts';
import { abs, erf, exp, expm1, log1p, sigmoid, tanh } from '../ops/unary.ts';
import { where } from '../ops/where.ts';
import { Tensor as TensorClass } from '../tensor.ts';
import type { TensorLike } from '../ops/make.ts';

export function leakyRelu(x: Tensor, negativeSlope = 0.01): Tensor {
  return where(gt(x, 0), x, mul(x, negativeSlope));
}

/** Feeds the negative branch only non-positive values (exp of a large x would overflow). */
const negativePart = (x: Tensor): Tensor => where(gt(x, 0), 0, x);

export function elu(x: Tensor, alpha = 1): Tensor {
  return where(gt(x, 0), x, mul(expm1(negativePart(x)), alpha));
}

/** CELU: max(0, x) + min(0, α·(e^(x/α) − 1)). */
export function celu(x: Tensor, alpha = 1): Tensor {
  if (alpha === 0) throw new Error('celu: ZeroDivisionError: alpha cannot be 0 for CELU');
  return where(gt(x, 0), x, mul(expm1(div(negativePart(x), alpha)), alpha));
}

const SELU_ALPHA = 1.6732632423543772;
const SELU_SCALE = 1.0507009873554805;
/** SELU: scale · (max(0, x) + min(0, α·(eˣ − 1))) with the self-normalising constants. */
export const selu = (x: Tensor): Tensor => mul(elu(x, SELU_ALPHA), SELU_SCALE);

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
  const above = gt(bx, threshold);
  // The log branch sees βx ≤ threshold only: e^(βx) never overflows, so its gradient stays finite.
  return where(above, x, div(log1p(exp(where(above, threshold, bx))), beta));
}

/**
 * log σ(x) = min(x, 0) − log1p(e^(−|x|)), finite for any x; forward and backward are PyTorch's
 * own formulas (its log_sigmoid kernels), so the gradient rounds alike in float64 too.
 */
const LogSigmoid = defineOp<undefined>({
  name: 'LogSigmoid',
  forward([x], _attrs, ctx) {
    ctx.save(x!);
    return sub(minimum(x!, 0), log1p(exp(mul(abs(x!), -1))));
  },
  backward: (g, { saved: [x] }) => {
    const negative = lt(x!, 0);
    const z = exp(mul(abs(x!), -1));
    const ratio = div(z, add(z, 1));
    return [mul(g, where(negative, sub(1, ratio), ratio))];
  },
});
export const logSigmoid = (x: Tensor): Tensor => apply(LogSigmoid, [x], undefined);
/** PyTorch's own spelling (torch.nn.functional.logsigmoid). */
export const logsigmoid = logSigmoid;

/** Mish: x · tanh(softplus(x)). */
export const mish = (x: Tensor): Tensor => mul(x, tanh(softplus(x)));

/** Softsign: x / (1 + |x|). */
export const softsign = (x: Tensor): Tensor => div(x, add(abs(x), 1));

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

export function hardtanh(x: Tensor, minVal = -1, maxVal = 1): Tensor {
  if (maxVal < minVal)
    throw new Error(`hardtanh: max_val (${maxVal}) cannot be less than min_val (${minVal})`);
  return clamp(x, minVal, maxVal);
}

/** ReLU6: min(max(0, x), 6). */
export const relu6 = (x: Tensor): Tensor => hardtanh(x, 0, 6);

/**
 * Hardsigmoid: min(max(x + 3, 0), 6) / 6, with PyTorch's gradient g · (1/6) strictly inside
 * (−3, 3), else 0. One op, because its forward divides by 6 and its backward multiplies by 1/6,
 * which round differently: a composition could match only one of the two.
 */
const Hardsigmoid = defineOp<undefined>({
  name: 'Hardsigmoid',
  forward([x], _attrs, ctx) {
    ctx.save(x!);
    return div(clamp(add(x!, 3), 0, 6), 6);
  },
  // PyTorch's kernel multiplies by 1/6 as a float32 constant, in every dtype.
  backward: (g, { saved: [x] }) => [where(logicalAnd(gt(x!, -3), lt(x!, 3)), mul(g, Math.fround(1 / 6)), 0)],
});
export const hardsigmoid = (x: Tensor): Tensor => apply(Hardsigmoid, [x], undefined);

/** Hardswish: x · relu6(x + 3) / 6, with PyTorch's gradient (x/3 + 1/2 on [−3, 3]). */
export function hardswish(x: Tensor): Tensor {
  const inside = logicalAnd(ge(x, -3), le(x, 3));
  return where(inside, mul(x, add(div(x, 6), 0.5)), where(gt(x, 3), x, 0));
}

/** start + weight · (end − start). */
export function lerp(start: Tensor, end: TensorLike, weight: TensorLike): Tensor {
  return add(start, mul(weight, sub(end, start)));
}
