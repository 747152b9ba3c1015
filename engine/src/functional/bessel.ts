// The modified Bessel functions of the first kind I₀ and I₁ and their exponentially scaled forms
// (torch.i0, torch.special.i0/i0e/i1/i1e), from differentiable ops: the power series (all its
// terms positive, so no cancellation) up to |x| = 30, then the asymptotic expansion
// e^|x|/√(2π|x|)·Σ aₖ/|x|ᵏ. Their gradients are the derivatives of the same sums.
import type { Tensor } from '../tensor.ts';
import { isFloating } from '../dtype.ts';

const SWITCH = 30;
const TERMS = 90;
const ASYMPTOTIC_TERMS = 12;

/** Σₖ (x/2)^(2k+ν) / (k!·(k+ν)!) for ν = 0 or 1, x ≥ 0 (inputs up to SWITCH). */
function series(x: Tensor, order: 0 | 1): Tensor {
  const q = x.mul(x).div(4);
  let term = order === 0 ? x.mul(0).add(1) : x.div(2);
  let sum = term;
  for (let k = 1; k < TERMS; k++) {
    term = term.mul(q).div(k * (k + order));
    sum = sum.add(term);
  }
  return sum;
}

/** Σₖ aₖ(ν)/xᵏ with aₖ = ∏ⱼ (4ν² − (2j−1)²) / (k!·8ᵏ)·(−1)ᵏ, x ≥ SWITCH: Iν(x)·√(2πx)·e^(−x). */
function asymptotic(x: Tensor, order: 0 | 1): Tensor {
  const mu = 4 * order * order;
  let coefficient = 1;
  let sum = x.mul(0).add(1);
  let power = x.mul(0).add(1);
  for (let k = 1; k < ASYMPTOTIC_TERMS; k++) {
    coefficient *= -(mu - (2 * k - 1) ** 2) / (k * 8);
    power = power.div(x);
    sum = sum.add(power.mul(coefficient));
  }
  return sum.div(x.mul(2 * Math.PI).sqrt());
}

function bessel(x: Tensor, order: 0 | 1, scaled: boolean): Tensor {
  const xf = isFloating(x.dtype) ? x : x.to('float32');
  const ax = xf.abs();
  const small = ax.le(SWITCH);
  // Each branch sees inputs in its own range, so that the other's gradient is never NaN or ∞.
  const near = ax.where(small, 0);
  const far = ax.where(small.logicalNot(), SWITCH + 1);
  const nearValue = scaled ? series(near, order).mul(near.neg().exp()) : series(near, order);
  const farValue = scaled ? asymptotic(far, order) : asymptotic(far, order).mul(far.exp());
  const magnitude = nearValue.where(small, farValue);
  // I₀ is even, I₁ odd.
  return order === 0 ? magnitude : magnitude.mul(xf.sign()).where(xf.ne(0), 0);
}

/** I₀(x) (torch.i0, torch.special.i0). */
export const i0 = (x: Tensor): Tensor => bessel(x, 0, false);
/** e^(−|x|)·I₀(x) (torch.special.i0e), finite for large |x|. */
export const i0e = (x: Tensor): Tensor => bessel(x, 0, true);
/** I₁(x) (torch.special.i1). */
export const i1 = (x: Tensor): Tensor => bessel(x, 1, false);
/** e^(−|x|)·I₁(x) (torch.special.i1e). */
export const i1e = (x: Tensor): Tensor => bessel(x, 1, true);
