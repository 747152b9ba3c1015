// torch.linalg.lstsq and torch.linalg.matrix_exp, spelled from the engine's differentiable ops.
import type { Tensor } from '../tensor.ts';
import { formatShape } from '../shape.ts';
import { eye, zeros } from '../creation.ts';
import { is, pyArgs, type PyRest } from '../args.ts';
import { pinv, matrixRank } from './linalg-spectral.ts';

/** (solution, residuals, rank, singular_values), readable by name or position. */
export interface LstsqResult {
  solution: Tensor;
  residuals: Tensor;
  rank: Tensor;
  singularValues: Tensor;
  [Symbol.iterator](): Iterator<Tensor>;
}

/**
 * The least-squares (minimum-norm where A is rank-deficient) solution X of A·X ≈ B
 * (torch.linalg.lstsq with its CPU default, the 'gelsy' driver): X = pinv(A)·B with the same
 * relative cutoff (`rcond`, eps·max(m, n) by default). As with gelsy, residuals and
 * singular_values are empty tensors and rank is A's numerical rank.
 */
export function lstsq(
  a: Tensor,
  b: Tensor,
  ...rest: PyRest<[rcond: number | null], { rcond?: number | null; driver?: 'gelsy' | null }>
): LstsqResult {
  const { rcond = null, driver = null } = pyArgs<{ rcond: number | null; driver: 'gelsy' | null }>(
    'linalg.lstsq',
    ['rcond', 'driver'],
    rest,
    { rcond: is.orNull(is.nonNegative), driver: is.orNull(is.oneOf('gelsy')) },
    1,
  );
  void driver;
  const vector = b.ndim === a.ndim - 1;
  const bm = vector ? b.unsqueeze(-1) : b;
  if (a.ndim < 2 || bm.shape[bm.ndim - 2] !== a.shape[a.ndim - 2])
    throw new Error(
      `linalg.lstsq: input.size(-2) should match other.size(-2), got ${formatShape(a.shape)} and ${formatShape(b.shape)}`,
    );
  const options = rcond === null ? {} : { rtol: rcond };
  const x = pinv(a, options).matmul(bm);
  const solution = vector ? x.squeeze(-1) : x;
  const rank = matrixRank(a, options);
  const residuals = zeros([0], { dtype: a.dtype, device: a.device });
  const singularValues = zeros([0], { dtype: a.dtype, device: a.device });
  const all = [solution, residuals, rank, singularValues] as const;
  return { solution, residuals, rank, singularValues, [Symbol.iterator]: () => all[Symbol.iterator]() };
}

/**
 * e^A of each square matrix (torch.linalg.matrix_exp): scaled by 2^−s until its 1-norm is at most
 * ½, the Taylor series to degree 18 (its remainder below 1e-23 there), then squared s times.
 * All matmuls, so its gradient is the derivative of the same computation. The scaling reads A's
 * norm, so A must be on the CPU.
 */
export function matrixExp(a: Tensor): Tensor {
  if (a.ndim < 2 || a.shape[a.ndim - 1] !== a.shape[a.ndim - 2])
    throw new Error(`linalg.matrix_exp: A must be batches of square matrices, got ${formatShape(a.shape)}`);
  if (a.dtype !== 'float32' && a.dtype !== 'float64')
    throw new TypeError(`linalg.matrix_exp: Expected a floating point tensor as input. Got ${a.dtype}`);
  if (a.device !== 'cpu')
    throw new Error(
      `linalg.matrix_exp: the scaling reads a '${a.device}' tensor's norm on the CPU: use (await A.toAsync('cpu'))`,
    );
  const n = a.shape[a.ndim - 1]!;
  const identity = eye(n, { dtype: a.dtype });
  if (n === 0 || a.numel() === 0) return a.add(0);
  const norm = a.detach().abs().sum(-2).amax().item();
  const s = norm > 0.5 ? Math.ceil(Math.log2(norm / 0.5)) : 0;
  const scaled = s > 0 ? a.div(2 ** s) : a;
  // Horner's rule on I + X(I + X/2(I + X/3(…))).
  let result = identity.expand(a.shape);
  for (let k = 18; k >= 1; k--) result = identity.add(scaled.matmul(result).div(k));
  for (let i = 0; i < s; i++) result = result.matmul(result);
  return result;
}
