// Vector p-norm as one op, so that its gradient at the zero vector is 0 (as in PyTorch)
// instead of the 0·∞ = NaN that the composed sqrt(sum(x²)) would give.
import type { Tensor } from '../tensor.ts';
import { apply, defineOp } from '../autograd/function.ts';
import { abs, sign } from '../ops/unary.ts';
import { div, mul } from '../ops/binary.ts';
import { pow } from '../ops/pow.ts';
import { eq, ne } from '../ops/compare.ts';
import { amax, amin, sumRaw } from '../ops/reduce.ts';
import { cast } from '../ops/cast.ts';
import { where } from '../ops/where.ts';
import { expandRaw, reshapeRaw } from '../ops/views.ts';
import { normalizeDims } from '../shape.ts';

interface NormAttrs {
  p: number;
  dims: number[];
  keepdim: boolean;
}

const PNorm = defineOp<NormAttrs>({
  name: 'LinalgVectorNorm',
  forward([x], { p, dims, keepdim }, ctx) {
    const out = pow(sumRaw(pow(abs(x!), p), dims, keepdim), 1 / p);
    ctx.save(x!, out);
    return out;
  },
  // d‖x‖ₚ/dx = x·|x|^(p−2) / ‖x‖ₚ^(p−1), defined as 0 where the norm is 0.
  backward: (g, { attrs: { p, dims, keepdim }, saved: [x, out] }) => {
    const kept = x!.shape.map((d, i) => (dims.includes(i) ? 1 : d));
    const normFull = expandRaw(keepdim ? out! : reshapeRaw(out!, kept), x!.shape);
    const gFull = expandRaw(keepdim ? g : reshapeRaw(g, kept), x!.shape);
    const local = p === 2 ? div(x!, normFull) : div(mul(sign(x!), pow(abs(x!), p - 1)), pow(normFull, p - 1));
    return [where(eq(normFull, 0), 0, mul(gFull, local))];
  },
});

/** Vector p-norm over all elements or the given dims (p = 2 by default; Infinity for max-abs). */
export function norm(x: Tensor, p: number = 2, dim?: number | readonly number[], keepdim = false): Tensor {
  const dims =
    dim === undefined
      ? x.shape.map((_, i) => i)
      : normalizeDims('norm', typeof dim === 'number' ? [dim] : dim, x.ndim);
  if (p === Infinity) return amax(abs(x), dims, keepdim);
  if (p === -Infinity) return amin(abs(x), dims, keepdim);
  if (p === 0) return sumRaw(cast(ne(x, 0), x.dtype), dims, keepdim);
  if (p === 1) return sumRaw(abs(x), dims, keepdim);
  return apply(PNorm, [x], { p, dims, keepdim });
}
