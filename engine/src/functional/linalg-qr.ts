// torch.linalg.qr over the last two dims (batched): Householder reflections on the CPU in
// float64 with LAPACK's sign conventions (jacobi.ts), so Q and R are torch's own. Q and R are
// each an op whose backward is its part of torch's linalg_qr_backward (linear in gQ and gR):
//   gA = (gQ + Q·copyltu(M))·R⁻ᵀ,  M = triu(gR·Rᵀ − Qᵀ·gQ),  copyltu(M) = M + Mᵀ − diag(M),
// defined for m ≥ n (torch's condition for reduced mode).
import type { Tensor } from '../tensor.ts';
import { apply, defineOp } from '../autograd/function.ts';
import { is, pyArgs, type PyRest } from '../args.ts';
import { householderQr } from './jacobi.ts';
import { eye, zeros } from '../creation.ts';
import { solve } from './linalg-square.ts';
import { fromFloat64, matrices } from './linalg-batch.ts';

type Mode = 'reduced' | 'complete' | 'r';

function qrPart(a: Tensor, part: 'Q' | 'R', complete: boolean): Tensor {
  const { m, n, count, batch, dtype, values } = matrices('linalg.qr', a);
  const cols = complete ? m : Math.min(m, n);
  const size = part === 'Q' ? m * cols : cols * n;
  const out = new Float64Array(count * size);
  for (let b = 0; b < count; b++) {
    const { q, r } = householderQr(values, b * m * n, m, n, complete);
    out.set(part === 'Q' ? q : r, b * size);
  }
  return fromFloat64(a, out, part === 'Q' ? [...batch, m, cols] : [...batch, cols, n], dtype);
}

const mT = (t: Tensor): Tensor => t.transpose(-2, -1);

const QR_OPS = Object.fromEntries(
  (['Q', 'R'] as const).map((part) => [
    part,
    defineOp<{ complete: boolean; rOnly: boolean }>({
      name: 'LinalgQr',
      forward([a], { complete }, ctx) {
        ctx.save(a!);
        return qrPart(a!, part, complete);
      },
      backward: (g, { saved: [a], attrs: { complete, rOnly } }) => {
        if (rOnly)
          throw new Error(
            "linalg.qr: The derivative of linalg.qr depends on Q, which is not computed when mode='r'. Please use linalg.qr(A, mode='reduced') if you are going to differentiate through linalg.qr.",
          );
        const [m, n] = a!.shape.slice(-2) as [number, number];
        if (m < n || (complete && m > n))
          throw new Error(
            `linalg.qr: the derivative is implemented only for mode='reduced' with rows ≥ columns (or a square A), got a ${m} by ${n} A`,
          );
        const q = apply(QR_OPS.Q, [a!], { complete, rOnly });
        const r = apply(QR_OPS.R, [a!], { complete, rOnly });
        const m0 = part === 'R' ? g.matmul(mT(r)) : mT(q).matmul(g).neg();
        const upper = m0.triu();
        const sym = upper
          .add(mT(upper))
          .sub(upper.mul(eye(upper.shape[upper.ndim - 1]!, { dtype: upper.dtype })));
        const inner = part === 'Q' ? q.matmul(sym).add(g) : q.matmul(sym);
        // inner · R⁻ᵀ = (R⁻¹ · innerᵀ)ᵀ
        return [mT(solve(r, mT(inner)))];
      },
    }),
  ]),
) as Record<'Q' | 'R', ReturnType<typeof defineOp<{ complete: boolean; rOnly: boolean }>>>;

/** (Q, R), readable by name or position. */
export interface QrResult {
  Q: Tensor;
  R: Tensor;
  [Symbol.iterator](): Iterator<Tensor>;
}

/**
 * A = Q·R (torch.linalg.qr): mode 'reduced' (Q m×k, R k×n), 'complete' (Q m×m, R m×n) or 'r'
 * (R only; Q is then an empty tensor, as torch's).
 */
export function qr(a: Tensor, ...rest: PyRest<[mode: Mode], { mode?: Mode }>): QrResult {
  const { mode = 'reduced' } = pyArgs<{ mode: Mode }>('linalg.qr', ['mode'], rest, {
    mode: is.oneOf('reduced', 'complete', 'r'),
  });
  const complete = mode === 'complete';
  const R = apply(QR_OPS.R, [a], { complete, rOnly: mode === 'r' });
  const Q =
    mode === 'r'
      ? zeros([0], { dtype: a.dtype, device: a.device })
      : apply(QR_OPS.Q, [a], { complete, rOnly: false });
  const pair = [Q, R] as const;
  return { Q, R, [Symbol.iterator]: () => pair[Symbol.iterator]() };
}
