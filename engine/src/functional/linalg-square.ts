// Square-matrix algebra over the last two dims, batched as torch.linalg's: inv, det, slogdet,
// logdet, solve, cholesky and matrix powers. Factorised on the CPU in float64 (lu.ts; PyTorch
// calls LAPACK), the results in the input's dtype. Each backward is PyTorch's formula written in
// differentiable ops (these ops among them), so gradients of gradients work.
import type { Tensor } from '../tensor.ts';
import { apply, defineOp } from '../autograd/function.ts';
import { broadcastShapes, formatShape } from '../shape.ts';
import { eye, zeros } from '../creation.ts';
import { tril } from './shape.ts';
import { is, pyArgs, type PyRest } from '../args.ts';
import { cholesky as choleskyFactor, cofactors, luDet, luFactor, luSlogdet, luSolve } from './lu.ts';
import { floatOf, fromFloat64, type Float } from './linalg-batch.ts';

interface Square {
  n: number;
  count: number;
  batch: number[];
  dtype: Float;
  values: ArrayLike<number>;
}

/** A's batch of square matrices, its values read once, checked as torch checks them. */
function square(op: string, a: Tensor): Square {
  const dtype = floatOf(op, a);
  const { n, count, batch } = squareShape(op, a);
  return { n, count, batch, dtype, values: a.contiguous().dataSync() };
}

/** The size and batch of A's square matrices (an error where A is not a batch of them). */
function squareShape(op: string, a: Tensor): { n: number; count: number; batch: number[] } {
  if (a.ndim < 2)
    throw new Error(`${op}: The input tensor A must have at least 2 dimensions. Got ${formatShape(a.shape)}`);
  const [rows, n] = a.shape.slice(-2) as [number, number];
  if (rows !== n)
    throw new Error(`${op}: A must be batches of square matrices, but they are ${rows} by ${n} matrices`);
  const batch = a.shape.slice(0, -2);
  return { n, count: batch.reduce((p, d) => p * d, 1), batch };
}

const make = fromFloat64;

const mT = (t: Tensor): Tensor => t.transpose(-2, -1);
/** A scalar per matrix as a [..., 1, 1] tensor, to scale its matrix. */
const perMatrix = (t: Tensor): Tensor => t.unsqueeze(-1).unsqueeze(-1);

function singular(count: number, b: number, column: number): Error {
  const where = count > 1 ? `(Batch element ${b}): ` : '';
  return new Error(
    `linalg.inv: ${where}The diagonal element ${column + 1} is zero, the inversion could not be completed because the input matrix is singular.`,
  );
}

const Inv = defineOp({
  name: 'LinalgInvEx',
  forward([a], _attrs, ctx) {
    const { n, count, dtype, values } = square('linalg.inv', a!);
    const out = new Float64Array(count * n * n);
    const identity = new Float64Array(n * n);
    for (let i = 0; i < n; i++) identity[i * n + i] = 1;
    for (let b = 0; b < count; b++) {
      const lu = luFactor(values, b * n * n, n);
      if (lu.zeroPivot >= 0) throw singular(count, b, lu.zeroPivot);
      luSolve(lu, identity, 0, n, out, b * n * n);
    }
    const y = make(a!, out, a!.shape, dtype);
    ctx.save(y);
    return y;
  },
  // d(A⁻¹) = −A⁻¹·dA·A⁻¹: the gradient is −A⁻ᵀ·g·A⁻ᵀ.
  backward: (g, { saved: [y] }) => [mT(y!).matmul(g).matmul(mT(y!)).neg()],
});

/** The inverse of each square matrix (torch.linalg.inv); a singular one is an error naming it. */
export const inv = (a: Tensor): Tensor => apply(Inv, [a], undefined);

const Det = defineOp({
  name: 'LinalgDet',
  forward([a], _attrs, ctx) {
    const { n, count, batch, dtype, values } = square('linalg.det', a!);
    const out = new Float64Array(count);
    for (let b = 0; b < count; b++) out[b] = n === 0 ? 1 : luDet(luFactor(values, b * n * n, n));
    const d = make(a!, out, batch, dtype);
    ctx.save(a!, d);
    return d;
  },
  // ∂det/∂A = det · A⁻ᵀ, the cofactor matrix; where some matrix is singular the cofactors are
  // formed directly (as constants: no second derivative through them). torch 1.13 gives zeros
  // there (its det · A⁻ᴴ through the LU factors, det being 0); the cofactors are the derivative
  // (what central differences measure) and differ from zeros where the rank is n − 1.
  backward: (g, { saved: [a, d] }) => {
    const dets = d!.dataSync();
    if (Array.prototype.every.call(dets, (v: number) => v !== 0))
      return [perMatrix(g.mul(d!)).mul(mT(inv(a!)))];
    const { n, count, dtype, values } = square('linalg.det', a!);
    const out = new Float64Array(count * n * n);
    for (let b = 0; b < count; b++) cofactors(values, b * n * n, n, out, b * n * n);
    return [perMatrix(g).mul(make(a!, out, a!.shape, dtype))];
  },
});

/** The determinant of each square matrix (torch.linalg.det, torch.det). */
export const det = (a: Tensor): Tensor => apply(Det, [a], undefined);

const LogAbsDet = defineOp({
  name: 'LinalgSlogdet',
  forward([a], _attrs, ctx) {
    const { n, count, batch, dtype, values } = square('linalg.slogdet', a!);
    const out = new Float64Array(count);
    for (let b = 0; b < count; b++) out[b] = luSlogdet(luFactor(values, b * n * n, n))[1];
    ctx.save(a!);
    return make(a!, out, batch, dtype);
  },
  // ∂log|det|/∂A = A⁻ᵀ (an error for a singular matrix, as torch's solve-based backward).
  backward: (g, { saved: [a] }) => [perMatrix(g).mul(mT(inv(a!)))],
});

/** The sign of each determinant: part of torch's slogdet node, through which no gradient flows. */
const SignOfDet = defineOp({
  name: 'LinalgSlogdet',
  forward([a]) {
    const { n, count, batch, dtype, values } = square('linalg.slogdet', a!);
    const signs = new Float64Array(count);
    for (let b = 0; b < count; b++) signs[b] = n === 0 ? 1 : luSlogdet(luFactor(values, b * n * n, n))[0];
    return make(a!, signs, batch, dtype);
  },
  backward: () => [null],
});

/** (sign, logabsdet), readable by name or, as in Python, by position. */
export interface SignLogAbsDet {
  sign: Tensor;
  logabsdet: Tensor;
  [Symbol.iterator](): Iterator<Tensor>;
}

/**
 * The sign and the log of the absolute value of each determinant (torch.linalg.slogdet): sign 0
 * and −∞ for a singular matrix. The gradient flows through logabsdet.
 */
export function slogdet(a: Tensor): SignLogAbsDet {
  const sign = apply(SignOfDet, [a], undefined);
  const logabsdet = apply(LogAbsDet, [a], undefined);
  return {
    sign,
    logabsdet,
    *[Symbol.iterator]() {
      yield sign;
      yield logabsdet;
    },
  };
}

/** log det(A) (torch.logdet): NaN where the determinant is negative, −∞ where it is zero. */
export function logdet(a: Tensor): Tensor {
  const { sign, logabsdet } = slogdet(a);
  return logabsdet.where(sign.ge(0), NaN);
}

const Solve = defineOp<{ vector: boolean }>({
  name: 'LinalgSolveEx',
  forward([a, b], { vector }, ctx) {
    const A = square('linalg.solve', a!);
    const { n, count } = A;
    // A vector right-hand side [..., n] is one column.
    const k = vector ? 1 : b!.shape[b!.ndim - 1]!;
    const B = b!.contiguous().dataSync();
    const out = new Float64Array(count * n * k);
    for (let m = 0; m < count; m++) {
      const lu = luFactor(A.values, m * n * n, n);
      if (lu.zeroPivot >= 0)
        throw new Error(
          `linalg.solve: ${count > 1 ? `(Batch element ${m}): ` : ''}The solver failed because the input matrix is singular.`,
        );
      luSolve(lu, B, m * n * k, k, out, m * n * k);
    }
    const x = make(a!, out, b!.shape, A.dtype);
    ctx.save(a!, x);
    return x;
  },
  // X = A⁻¹B: gB = A⁻ᵀ·g (a solve with Aᵀ), gA = −gB·Xᵀ.
  backward: (g, { saved: [a, x], needsInputGrad, attrs: { vector } }) => {
    const gb = solve(mT(a!), g);
    if (!needsInputGrad[0]) return [null, gb];
    const ga = vector ? gb.unsqueeze(-1).matmul(x!.unsqueeze(-2)) : gb.matmul(mT(x!));
    return [ga.neg(), gb];
  },
});

/**
 * X with A·X = B for square A (torch.linalg.solve): B a matrix (or batch) [..., n, k], or a
 * vector [n] or [..., n] (batch dims equal to A's) solved as one column; batch dims broadcast.
 */
export function solve(a: Tensor, b: Tensor): Tensor {
  const dtype = floatOf('linalg.solve', a);
  if (floatOf('linalg.solve', b) !== dtype)
    throw new TypeError(
      `linalg.solve: Expected A and B to have the same dtype, but found A of type ${dtype} and B of type ${b.dtype} instead`,
    );
  if (a.ndim < 2)
    throw new Error(
      `linalg.solve: The input tensor A must have at least 2 dimensions. Got ${formatShape(a.shape)}`,
    );
  const vector = b.ndim === 1 || (b.ndim === a.ndim - 1 && b.shape.every((d, i) => d === a.shape[i]));
  const n = a.shape[a.ndim - 1]!;
  const rows = vector ? b.shape[b.ndim - 1] : b.ndim >= 2 ? b.shape[b.ndim - 2] : undefined;
  if (rows !== n)
    throw new Error(
      `linalg.solve: Incompatible shapes of A and B for the equation AX = B (${formatShape(a.shape)} and ${formatShape(b.shape)})`,
    );
  const tail = vector ? 1 : 2;
  const batch = broadcastShapes('linalg.solve', a.shape.slice(0, -2), b.shape.slice(0, b.ndim - tail));
  return apply(
    Solve,
    [a.expand([...batch, ...a.shape.slice(-2)]), b.expand([...batch, ...b.shape.slice(b.ndim - tail)])],
    { vector },
  );
}

const Cholesky = defineOp({
  name: 'LinalgCholeskyEx',
  forward([a], _attrs, ctx) {
    const { n, count, dtype, values } = square('linalg.cholesky', a!);
    const out = new Float64Array(count * n * n);
    for (let m = 0; m < count; m++) {
      const order = choleskyFactor(values, m * n * n, n, out, m * n * n);
      if (order > 0)
        throw new Error(
          `linalg.cholesky: ${count > 1 ? `(Batch element ${m}): ` : ''}The factorization could not be completed because the input is not positive-definite (the leading minor of order ${order} is not positive-definite).`,
        );
    }
    const l = make(a!, out, a!.shape, dtype);
    ctx.save(l);
    return l;
  },
  // PyTorch's: Φ(Lᵀ·gL) (its lower triangle, the diagonal halved), then L⁻ᵀ·Φ·L⁻¹, symmetrised.
  backward: (g, { saved: [l] }) => {
    const n = l!.shape[l!.ndim - 1]!;
    const lInv = inv(l!);
    const m = mT(l!).matmul(g);
    const phi = tril(m).sub(m.mul(eye(n, { dtype: l!.dtype })).mul(0.5));
    const grad = mT(lInv).matmul(phi).matmul(lInv);
    return [grad.add(mT(grad)).mul(0.5)];
  },
});

/**
 * Cholesky's factor of each symmetric positive-definite matrix (torch.linalg.cholesky): lower, or
 * upper with `upper` (keyword-only, as torch's).
 */
export function cholesky(a: Tensor, ...rest: PyRest<[], { upper?: boolean }>): Tensor {
  const { upper = false } = pyArgs<{ upper: boolean }>(
    'linalg.cholesky',
    ['upper'],
    rest,
    { upper: is.bool },
    0,
  );
  const l = apply(Cholesky, [a], undefined);
  return upper ? mT(l) : l;
}

/** A⁰: identity matrices, with a zero gradient to A (torch copies the identity into a clone of A). */
const Identities = defineOp<{ shape: readonly number[]; dtype: Tensor['dtype']; device: Tensor['device'] }>({
  name: 'Copy',
  forward(_inputs, { shape, dtype, device }) {
    return eye(shape[shape.length - 1]!, { dtype, device })
      .expand(shape)
      .contiguous();
  },
  backward: (_g, { attrs: { shape, dtype, device } }) => [zeros([...shape], { dtype, device })],
});

/** A to the integer power k (torch.linalg.matrix_power): the identity for 0, inverses for k < 0. */
export function matrixPower(a: Tensor, k: number): Tensor {
  if (!Number.isInteger(k))
    throw new TypeError(`linalg.matrix_power: the exponent must be an integer, got ${k}`);
  squareShape('linalg.matrix_power', a);
  if (k === 0) return apply(Identities, [a], { shape: a.shape, dtype: a.dtype, device: a.device });
  let base = k < 0 ? inv(a) : a;
  // torch's own shortcuts for 2 and 3 (its products in this order).
  const e = Math.abs(k);
  if (e === 2) return base.matmul(base);
  if (e === 3) return base.matmul(base).matmul(base);
  // Binary powers, as torch's: the result accumulates the squares that k's bits select.
  let result: Tensor | null = null;
  for (let e = Math.abs(k); ;) {
    if (e & 1) result = result ? result.matmul(base) : base;
    e >>= 1;
    if (e === 0) break;
    base = base.matmul(base);
  }
  return result!;
}
