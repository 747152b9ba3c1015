// torch.linalg's spectral decompositions over the last two dims (batched): svd, svdvals, eigh,
// eigvalsh, and what they give: pinv, matrix_rank, cond, and the spectral and nuclear norms.
// Decomposed on the CPU in float64 by Jacobi rotations (jacobi.ts). Each factor is its own op
// whose backward is its part of PyTorch's formula (svd_backward, linalg_eig_backward), which is
// linear in the factors' gradients, so the parts add up to torch's. Singular vectors and
// eigenvectors are defined up to sign; LAPACK's choice of sign is not reproduced, so compare
// what does not depend on it (U·diag(S)·Vᴴ, |U|, pinv, …).
import type { Tensor } from '../tensor.ts';
import { apply, defineOp } from '../autograd/function.ts';
import { eye } from '../creation.ts';
import { is, pyArgs, type PyRest } from '../args.ts';
import { eighJacobi, svd as svdJacobi } from './jacobi.ts';
import { fromFloat64, matrices, type Float } from './linalg-batch.ts';

type Part = 'U' | 'S' | 'Vh';
const make = fromFloat64;

const mT = (t: Tensor): Tensor => t.transpose(-2, -1);

/** One factor of the reduced SVD of every matrix in the batch (U [.., m, k], S [.., k], Vh [.., k, n]). */
function svdPart(a: Tensor, part: Part): Tensor {
  const { m, n, count, batch, dtype, values } = matrices('linalg.svd', a);
  const k = Math.min(m, n);
  const size = part === 'U' ? m * k : part === 'S' ? k : k * n;
  const out = new Float64Array(count * size);
  for (let b = 0; b < count; b++) {
    const r = svdJacobi(values, b * m * n, m, n);
    const at = b * size;
    if (part === 'S') out.set(r.s, at);
    else if (part === 'U') out.set(r.u, at);
    else for (let i = 0; i < k; i++) for (let j = 0; j < n; j++) out[at + i * n + j] = r.v[j * k + i]!;
  }
  const shape = part === 'U' ? [...batch, m, k] : part === 'S' ? [...batch, k] : [...batch, k, n];
  return make(a, out, shape, dtype);
}

/**
 * torch's svd_backward (full_matrices=False, real), one factor's gradient at a time:
 *   gA = U [ (skew(UᵀgU)/E)·S + S·(skew(VᵀgV)/E) + diag(gS) ] Vᵀ
 *        + (I − UUᵀ) gU S⁻¹ Vᵀ + U S⁻¹ gVᵀ (I − VVᵀ),   E_jk = s_k² − s_j² (1 on the diagonal).
 */
function svdBackward(part: Part, g: Tensor, u: Tensor, s: Tensor, vh: Tensor): Tensor {
  const v = mT(vh);
  const [m, n] = [u.shape[u.ndim - 2]!, v.shape[v.ndim - 2]!];
  const k = s.shape[s.ndim - 1]!;
  if (part === 'S') return u.mul(g.unsqueeze(-2)).matmul(vh);
  const identity = eye(k, { dtype: s.dtype });
  const e = s.unsqueeze(-2).square().sub(s.unsqueeze(-1).square()).add(identity);
  const skew = (x: Tensor) => x.sub(mT(x));
  if (part === 'U') {
    const inner = skew(mT(u).matmul(g)).div(e).mul(s.unsqueeze(-2));
    let ga = u.matmul(inner).matmul(vh);
    if (m > k)
      ga = ga.add(
        g
          .sub(u.matmul(mT(u).matmul(g)))
          .div(s.unsqueeze(-2))
          .matmul(vh),
      );
    return ga;
  }
  const gv = mT(g);
  const inner = skew(mT(v).matmul(gv)).div(e).mul(s.unsqueeze(-1));
  let ga = u.matmul(inner).matmul(vh);
  if (n > k) ga = ga.add(u.div(s.unsqueeze(-2)).matmul(mT(gv.sub(v.matmul(mT(v).matmul(gv))))));
  return ga;
}

const SVD_OPS = Object.fromEntries(
  (['U', 'S', 'Vh'] as const).map((part) => [
    part,
    defineOp({
      name: 'LinalgSvd',
      forward([a], _attrs, ctx) {
        const out = svdPart(a!, part);
        ctx.save(a!);
        return out;
      },
      backward: (g, { saved: [a] }) => {
        // The factors as ops of A, so that with createGraph the gradient's own graph reaches A.
        const [u, s, vh] = (['U', 'S', 'Vh'] as const).map((p) => apply(SVD_OPS[p], [a!], undefined));
        return [svdBackward(part, g, u!, s!, vh!)];
      },
    }),
  ]),
) as Record<Part, ReturnType<typeof defineOp>>;

/** (U, S, Vh), readable by name or, as in Python, by position. */
export interface SvdResult {
  U: Tensor;
  S: Tensor;
  Vh: Tensor;
  [Symbol.iterator](): Iterator<Tensor>;
}

/**
 * The singular value decomposition A = U·diag(S)·Vh of each matrix (torch.linalg.svd). The
 * reduced one (fullMatrices: false); torch's default, full matrices, only where A is square (the
 * same then) — otherwise the completed factors are not computed here and the call says so.
 */
export function svd(
  a: Tensor,
  ...rest: PyRest<[fullMatrices: boolean], { fullMatrices?: boolean }>
): SvdResult {
  const { fullMatrices = true } = pyArgs<{ fullMatrices: boolean }>('linalg.svd', ['fullMatrices'], rest, {
    fullMatrices: is.bool,
  });
  const [m, n] = a.shape.slice(-2) as [number, number];
  if (fullMatrices && m !== n)
    throw new Error(
      `linalg.svd: full_matrices=True for a ${m} by ${n} matrix is not supported here; pass { fullMatrices: false } (the reduced SVD)`,
    );
  const [U, S, Vh] = (['U', 'S', 'Vh'] as const).map((p) => apply(SVD_OPS[p], [a], undefined)) as [
    Tensor,
    Tensor,
    Tensor,
  ];
  const triple = [U, S, Vh] as const;
  return { U, S, Vh, [Symbol.iterator]: () => triple[Symbol.iterator]() };
}

/** The singular values of each matrix, descending (torch.linalg.svdvals). */
export const svdvals = (a: Tensor): Tensor => apply(SVD_OPS.S, [a], undefined);

type EighPart = 'values' | 'vectors';

function eighPart(a: Tensor, part: EighPart): Tensor {
  const { m, n, count, batch, dtype, values } = matrices('linalg.eigh', a);
  if (m !== n)
    throw new Error(`linalg.eigh: A must be batches of square matrices, but they are ${m} by ${n} matrices`);
  const size = part === 'values' ? n : n * n;
  const out = new Float64Array(count * size);
  for (let b = 0; b < count; b++) {
    const r = eighJacobi(values, b * n * n, n);
    out.set(part === 'values' ? r.w : r.v, b * size);
  }
  return make(a, out, part === 'values' ? [...batch, n] : a.shape, dtype);
}

const EIGH_OPS = Object.fromEntries(
  (['values', 'vectors'] as const).map((part) => [
    part,
    defineOp({
      name: 'LinalgEigh',
      forward([a], _attrs, ctx) {
        ctx.save(a!);
        return eighPart(a!, part);
      },
      // torch's linalg_eig_backward (hermitian): gA = V·R·Vᵀ with R = diag(gL) for the values,
      // and for the vectors the skew part of VᵀgV divided by E_jk = λ_k − λ_j.
      backward: (g, { saved: [a] }) => {
        const [w, v] = [apply(EIGH_OPS.values, [a!], undefined), apply(EIGH_OPS.vectors, [a!], undefined)];
        if (part === 'values') return [v.mul(g.unsqueeze(-2)).matmul(mT(v))];
        const n = w.shape[w.ndim - 1]!;
        const e = w
          .unsqueeze(-2)
          .sub(w.unsqueeze(-1))
          .add(eye(n, { dtype: w.dtype }));
        const vhgv = mT(v).matmul(g);
        const r = vhgv.sub(mT(vhgv)).mul(0.5).div(e);
        return [v.matmul(r).matmul(mT(v))];
      },
    }),
  ]),
) as Record<EighPart, ReturnType<typeof defineOp>>;

/** (eigenvalues, eigenvectors), readable by name or position. */
export interface EighResult {
  eigenvalues: Tensor;
  eigenvectors: Tensor;
  [Symbol.iterator](): Iterator<Tensor>;
}

function checkUplo(op: string, rest: readonly unknown[]): void {
  const { UPLO = 'L' } = pyArgs<{ UPLO: 'L' | 'U' }>(op, ['UPLO'], rest, { UPLO: is.oneOf('L', 'U') });
  if (UPLO !== 'L')
    throw new Error(
      `${op}: UPLO='U' is not supported here: the lower triangle is read (symmetrise A, or transpose it)`,
    );
}

/** Eigenvalues (ascending) and eigenvectors of each symmetric matrix, from its lower triangle (torch.linalg.eigh). */
export function eigh(a: Tensor, ...rest: PyRest<[UPLO: 'L' | 'U'], { UPLO?: 'L' | 'U' }>): EighResult {
  checkUplo('linalg.eigh', rest);
  const eigenvalues = apply(EIGH_OPS.values, [a], undefined);
  const eigenvectors = apply(EIGH_OPS.vectors, [a], undefined);
  const pair = [eigenvalues, eigenvectors] as const;
  return { eigenvalues, eigenvectors, [Symbol.iterator]: () => pair[Symbol.iterator]() };
}

/** The eigenvalues of each symmetric matrix, ascending (torch.linalg.eigvalsh). */
export function eigvalsh(a: Tensor, ...rest: PyRest<[UPLO: 'L' | 'U'], { UPLO?: 'L' | 'U' }>): Tensor {
  checkUplo('linalg.eigvalsh', rest);
  return apply(EIGH_OPS.values, [a], undefined);
}

const EPS = { float32: 1.1920928955078125e-7, float64: 2.220446049250313e-16 } as const;

type TolOptions = { atol?: number | null; rtol?: number | null; hermitian?: boolean };

/** torch's cutoff: max(atol, rtol·σ₁), rtol defaulting to eps·max(m, n) when neither is given. */
function cutoff(op: string, a: Tensor, s: Tensor, rest: readonly unknown[]): Tensor {
  const {
    atol = null,
    rtol = null,
    hermitian = false,
  } = pyArgs<Required<TolOptions>>(
    op,
    ['atol', 'rtol', 'hermitian'],
    rest,
    { atol: is.orNull(is.nonNegative), rtol: is.orNull(is.nonNegative), hermitian: is.bool },
    0,
  );
  if (hermitian)
    throw new Error(`${op}: hermitian=True is not supported here; the SVD is used for every matrix`);
  const [m, n] = a.shape.slice(-2) as [number, number];
  const r = rtol ?? (atol === null || atol === 0 ? EPS[s.dtype as Float] * Math.max(m, n) : 0);
  const top = s.narrow(-1, 0, Math.min(1, s.shape[s.ndim - 1]!)).mul(r);
  return atol === null ? top : top.clamp(atol);
}

/** The pseudo-inverse V·diag(1/σ for σ above the cutoff)·Uᵀ of each matrix (torch.linalg.pinv). */
export function pinv(a: Tensor, ...rest: PyRest<[], TolOptions>): Tensor {
  const { U, S, Vh } = svd(a, { fullMatrices: false });
  const keep = S.gt(cutoff('linalg.pinv', a, S.detach(), rest));
  const inverse = S.where(keep, 1).reciprocal().where(keep, 0);
  return mT(Vh).mul(inverse.unsqueeze(-2)).matmul(mT(U));
}

/** How many singular values exceed the cutoff, per matrix (torch.linalg.matrix_rank, int64). */
export function matrixRank(a: Tensor, ...rest: PyRest<[], TolOptions>): Tensor {
  const s = svdvals(a.detach());
  return s
    .gt(cutoff('linalg.matrix_rank', a, s, rest))
    .to('int64')
    .sum(-1);
}

/** The condition number σ₁/σₙ in the 2-norm (torch.linalg.cond with p=None or 2; −2 gives σₙ/σ₁). */
export function cond(a: Tensor, p: number | null = null): Tensor {
  if (p !== null && p !== 2 && p !== -2)
    throw new Error(`linalg.cond: p=${p} is not supported here; use the 2-norm (p = None, 2 or -2)`);
  const s = svdvals(a);
  const k = s.shape[s.ndim - 1]!;
  const [first, last] = [s.narrow(-1, 0, 1), s.narrow(-1, k - 1, 1)];
  return (p === -2 ? last.div(first) : first.div(last)).squeeze(-1);
}
