// Numeric helpers composed of primitives: cumprod (its gradient from a backward recurrence, so
// zeros in the input are fine), logcumsumexp, logaddexp, isclose/allclose, and std/var with the
// mean in one call.
import { pyArgs, is, type PyRest } from '../args.ts';
import { apply, defineOp } from '../autograd/function.ts';
import { isFloating } from '../dtype.ts';
import { normalizeDim } from '../shape.ts';
import type { Tensor } from '../tensor.ts';
import { fromBuffer, kernelsOf, type TensorLike } from '../ops/make.ts';
import { add, mul, sub } from '../ops/binary.ts';
import { abs, exp, log, log1p } from '../ops/unary.ts';
import { isinf, isnan, le, logicalAnd, logicalOr, eq } from '../ops/compare.ts';
import { where } from '../ops/where.ts';
import { cast } from '../ops/cast.ts';
import { amax } from '../ops/reduce.ts';
import { cumsumRaw } from '../ops/cumsum.ts';
import { cat, narrow } from './shape.ts';
import { mean, std, var_, type Dims } from './reductions.ts';
import { maximum } from '../ops/binary.ts';
import { onesLike } from '../ops/fill.ts';

/**
 * ∂/∂xᵢ of cumprod: Σ_{k≥i} g_k·Π_{j≤k, j≠i} x_j = (Π_{j<i} x_j)·T_i, with T the backward
 * recurrence T_i = g_i + x_{i+1}·T_{i+1}: no division, so zeros in x need no special case.
 */
const Cumprod = defineOp<{ dim: number }>({
  name: 'Cumprod',
  forward([x], { dim }, ctx) {
    const out = fromBuffer(
      x!.storage.backend,
      kernelsOf(x!).cumulative('cumprod', x!.view_(), dim, x!.dtype),
      x!.shape,
      x!.dtype,
    );
    ctx.save(x!, out);
    return out;
  },
  backward: (g, { attrs: { dim }, saved: [x, out] }) => {
    const n = x!.shape[dim] ?? 1;
    if (x!.ndim === 0 || n === 0) return [g];
    const terms: Tensor[] = new Array<Tensor>(n);
    terms[n - 1] = narrow(g, dim, n - 1, 1);
    for (let i = n - 2; i >= 0; i--)
      terms[i] = add(narrow(g, dim, i, 1), mul(narrow(x!, dim, i + 1, 1), terms[i + 1]!));
    const before = cat([onesLike(narrow(x!, dim, 0, 1)), narrow(out!, dim, 0, n - 1)], dim);
    return [mul(before, cat(terms, dim))];
  },
});

/** Running product along `dim` (integers stay integers; bool counts as int). */
export function cumprod(x: Tensor, dim: number): Tensor {
  const input = isFloating(x.dtype) ? x : cast(x, 'int64');
  return apply(Cumprod, [input], { dim: x.ndim === 0 ? 0 : normalizeDim('cumprod', dim, x.ndim) });
}

/** log(cumsum(exp(x))) along `dim`, shifted by the dim's maximum so that nothing overflows. */
export function logcumsumexp(x: Tensor, dim: number): Tensor {
  const d = x.ndim === 0 ? 0 : normalizeDim('logcumsumexp', dim, x.ndim);
  const m = amax(x.detach(), [d], true);
  const shift = where(isinf(m), 0, m);
  return add(log(cumsumRaw(exp(sub(x, shift)), d)), shift);
}

/** log(eᵃ + eᵇ) = max + log1p(e^(−|a − b|)), exact for equal infinities. */
export function logaddexp(a: Tensor, b: TensorLike): Tensor {
  const m = maximum(a, b);
  const both = logicalAnd(isinf(a), eq(a, b));
  const diff = where(both, 0, abs(sub(a, b)));
  return where(both, a, add(m, log1p(exp(mul(diff, -1)))));
}

/** log2(2ᵃ + 2ᵇ). */
export function logaddexp2(a: Tensor, b: TensorLike): Tensor {
  return mul(logaddexp(mul(a, Math.LN2), mul(b, Math.LN2)), 1 / Math.LN2);
}

export interface CloseOptions {
  rtol?: number;
  atol?: number;
  equalNan?: boolean;
}

/** |a − b| ≤ atol + rtol·|b| elementwise (equal infinities are close; NaN only with equalNan). */
export function isclose(
  a: Tensor,
  b: TensorLike,
  ...rest: PyRest<[rtol: number, atol: number, equalNan: boolean], CloseOptions>
): Tensor {
  const o = pyArgs<CloseOptions & Record<string, unknown>>('isclose', ['rtol', 'atol', 'equalNan'], rest, {
    rtol: is.nonNegative,
    atol: is.nonNegative,
    equalNan: is.bool,
  });
  const { rtol = 1e-5, atol = 1e-8, equalNan = false } = o;
  const other = typeof b === 'object' ? b : Number(b);
  const exact = eq(a, other);
  const bound = typeof other === 'number' ? Math.abs(other) * rtol + atol : add(mul(abs(other), rtol), atol);
  const finite = logicalOr(exact, le(abs(sub(a, other)), bound));
  if (!equalNan) return finite;
  const bothNan =
    typeof other === 'number'
      ? Number.isNaN(other)
        ? isnan(a)
        : eq(a, NaN)
      : logicalAnd(isnan(a), isnan(other));
  return logicalOr(finite, bothNan);
}

/** True when every element is close (isclose); a plain boolean, as torch.allclose returns. */
export function allclose(
  a: Tensor,
  b: TensorLike,
  ...rest: PyRest<[rtol: number, atol: number, equalNan: boolean], CloseOptions>
): boolean {
  const close = isclose(a, b, ...rest);
  return close.numel() === 0 || close.logicalNot().any().item() === 0;
}

interface VarMeanOptions {
  correction?: number;
  keepdim?: boolean;
}

/** [std, mean] over dims in one call (torch.std_mean). */
export function stdMean(x: Tensor, dim?: Dims, options: VarMeanOptions = {}): [Tensor, Tensor] {
  const { correction = 1, keepdim = false } = pyArgs<VarMeanOptions & Record<string, unknown>>(
    'stdMean',
    ['correction', 'keepdim'],
    [options],
    { correction: is.nonNegative, keepdim: is.bool },
  );
  return [std(x, dim, { correction, keepdim }), mean(x, dim, keepdim)];
}

/** [var, mean] over dims in one call (torch.var_mean). */
export function varMean(x: Tensor, dim?: Dims, options: VarMeanOptions = {}): [Tensor, Tensor] {
  const { correction = 1, keepdim = false } = pyArgs<VarMeanOptions & Record<string, unknown>>(
    'varMean',
    ['correction', 'keepdim'],
    [options],
    { correction: is.nonNegative, keepdim: is.bool },
  );
  return [var_(x, dim, { correction, keepdim }), mean(x, dim, keepdim)];
}
