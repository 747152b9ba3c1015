// torch.special as `hg.special`: its names for functions the engine has (gammaln is lgamma, psi
// and digamma, expit is sigmoid, …) and the few it adds: entr, ndtr, ndtri, log_ndtr, xlog1py,
// multigammaln.
import type { Tensor } from '../tensor.ts';
import { digamma, erf, erfc, erfinv, exp2, expm1, lgamma, log1p, polygamma, sigmoid } from '../ops/unary.ts';
import { logit, xlogy } from './numeric-extra.ts';
import { sinc } from './numeric-more.ts';
export { i0, i0e, i1, i1e } from './bessel.ts';
import { apply, defineOp } from '../autograd/function.ts';

export { digamma, digamma as psi, erf, erfc, erfinv, exp2, expm1, log1p, polygamma, logit, xlogy, sinc };
export { lgamma as gammaln, sigmoid as expit };

const Entr = defineOp({
  name: 'SpecialEntr',
  forward([x], _attrs, ctx) {
    ctx.save(x!);
    const positive = x!.gt(0);
    const safe = x!.where(positive, 1);
    // 0 at 0, −∞ below, NaN for NaN.
    const rest = x!.mul(0).where(x!.eq(0), -Infinity).where(x!.isnan().logicalNot(), NaN);
    return safe.mul(safe.log()).neg().where(positive, rest);
  },
  // torch's −(1 + ln x)·g: +∞ at 0 and NaN below, as there.
  backward: (g, { saved: [x] }) => [g.mul(x!.log().add(1).neg())],
});

/** −x·ln x for x > 0, 0 at 0, −∞ below (torch.special.entr). */
export function entr(x: Tensor): Tensor {
  return apply(Entr, [x.dtype === 'float64' ? x : x.to('float32')], undefined);
}

/** The standard normal CDF, (1 + erf(x/√2))/2 (torch.special.ndtr). */
export function ndtr(x: Tensor): Tensor {
  const xf = x.dtype === 'float64' ? x : x.to('float32');
  return erf(xf.mul(Math.SQRT1_2)).add(1).mul(0.5);
}

/** The standard normal quantile, √2·erfinv(2p − 1) (torch.special.ndtri). */
export function ndtri(p: Tensor): Tensor {
  return erfinv(p.mul(2).sub(1)).mul(Math.SQRT2);
}

/**
 * log of the normal CDF (torch.special.log_ndtr): through erfc down to x = −20 (erfc(−x/√2) is
 * still ~1e-88 there), then the asymptotic series −x²/2 − log(−x) − log √(2π) + log(1 − 1/x² +
 * 3/x⁴ − 15/x⁶ + 105/x⁸), whose next term is below 1e-10 of the value: finite where Φ underflows.
 */
export function logNdtr(x: Tensor): Tensor {
  const xf = x.dtype === 'float64' ? x : x.to('float32');
  const tail = xf.lt(-20);
  // Each branch sees inputs in its own range, so that the other's gradient is never NaN.
  const near = xf.where(tail.logicalNot(), 0);
  const far = xf.where(tail, -30);
  const direct = erfc(near.mul(-Math.SQRT1_2)).mul(0.5).log();
  const inv2 = far.mul(far).reciprocal();
  const poly = inv2.mul(105).sub(15).mul(inv2).add(3).mul(inv2).sub(1).mul(inv2).add(1);
  const series = far
    .mul(far)
    .mul(-0.5)
    .sub(far.neg().log())
    .sub(0.5 * Math.log(2 * Math.PI))
    .add(poly.log());
  return direct.where(tail.logicalNot(), series);
}

/** x·log1p(y), 0 where x is 0 (torch.special.xlog1py). */
export function xlog1py(x: Tensor, y: Tensor): Tensor {
  return x.mul(log1p(y)).where(x.ne(0), 0);
}

/** The multivariate log-gamma of dimension p (torch.special.multigammaln). */
export function multigammaln(a: Tensor, p: number): Tensor {
  if (!Number.isInteger(p) || p < 1)
    throw new Error(`multigammaln: p has to be greater than or equal to 1, got ${p}`);
  const terms = Array.from({ length: p }, (_, j) => lgamma(a.sub(j / 2)));
  return terms.reduce((s, t) => s.add(t)).add((p * (p - 1) * Math.log(Math.PI)) / 4);
}
