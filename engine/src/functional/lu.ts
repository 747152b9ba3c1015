// LU factorisation with partial pivoting (as LAPACK's getrf), in float64 on the CPU, and what it
// gives: determinants, solves and inverses of square matrices. Plain arrays in and out; the
// tensor ops over batches live in linalg-square.ts.

/** One n×n matrix factorised in place: L below the diagonal (unit), U on and above it. */
export interface Lu {
  /** The factors, row-major. */
  a: Float64Array;
  n: number;
  /** Row i of the factors is row perm[i] of the matrix. */
  perm: Int32Array;
  /** The permutation's sign (±1). */
  sign: number;
  /** The first column (0-based) whose pivot is exactly zero, or −1: the matrix is singular. */
  zeroPivot: number;
}

/** Factorises a copy of the n×n matrix at `at` of `values` (row-major). */
export function luFactor(values: ArrayLike<number>, at: number, n: number): Lu {
  const a = new Float64Array(n * n);
  for (let i = 0; i < n * n; i++) a[i] = values[at + i]!;
  const perm = Int32Array.from({ length: n }, (_, i) => i);
  let sign = 1;
  let zeroPivot = -1;
  for (let k = 0; k < n; k++) {
    let p = k;
    for (let i = k + 1; i < n; i++) if (Math.abs(a[i * n + k]!) > Math.abs(a[p * n + k]!)) p = i;
    if (p !== k) {
      for (let j = 0; j < n; j++) {
        const t = a[k * n + j]!;
        a[k * n + j] = a[p * n + j]!;
        a[p * n + j] = t;
      }
      [perm[k], perm[p]] = [perm[p]!, perm[k]!];
      sign = -sign;
    }
    const pivot = a[k * n + k]!;
    // A zero pivot: the column below it is zero too (it was the largest); LAPACK goes on.
    if (pivot === 0) {
      if (zeroPivot < 0) zeroPivot = k;
      continue;
    }
    for (let i = k + 1; i < n; i++) {
      const l = (a[i * n + k] = a[i * n + k]! / pivot);
      if (l !== 0) for (let j = k + 1; j < n; j++) a[i * n + j] = a[i * n + j]! - l * a[k * n + j]!;
    }
  }
  return { a, n, perm, sign, zeroPivot };
}

/** The determinant from the factors: the sign times U's diagonal. */
export function luDet(lu: Lu): number {
  let d = lu.sign;
  for (let k = 0; k < lu.n; k++) d *= lu.a[k * lu.n + k]!;
  return d;
}

/** (sign, log |det|) from the factors; (0, −∞) for a singular matrix. */
export function luSlogdet(lu: Lu): [number, number] {
  if (lu.zeroPivot >= 0) return [0, -Infinity];
  let sign = lu.sign;
  let log = 0;
  for (let k = 0; k < lu.n; k++) {
    const u = lu.a[k * lu.n + k]!;
    if (u < 0) sign = -sign;
    log += Math.log(Math.abs(u));
  }
  return [sign, log];
}

/**
 * Solves A·X = B for the n×k matrix B at `at` of `b` (row-major), writing X into `out` at `to`.
 * The matrix must not be singular.
 */
export function luSolve(
  lu: Lu,
  b: ArrayLike<number>,
  at: number,
  k: number,
  out: Float64Array,
  to: number,
): void {
  const { a, n, perm } = lu;
  for (let i = 0; i < n; i++) for (let j = 0; j < k; j++) out[to + i * k + j] = b[at + perm[i]! * k + j]!;
  // L·Y = P·B (unit diagonal), then U·X = Y.
  for (let i = 1; i < n; i++)
    for (let m = 0; m < i; m++) {
      const l = a[i * n + m]!;
      if (l !== 0)
        for (let j = 0; j < k; j++) out[to + i * k + j] = out[to + i * k + j]! - l * out[to + m * k + j]!;
    }
  for (let i = n - 1; i >= 0; i--) {
    for (let m = i + 1; m < n; m++) {
      const u = a[i * n + m]!;
      if (u !== 0)
        for (let j = 0; j < k; j++) out[to + i * k + j] = out[to + i * k + j]! - u * out[to + m * k + j]!;
    }
    const d = a[i * n + i]!;
    for (let j = 0; j < k; j++) out[to + i * k + j] = out[to + i * k + j]! / d;
  }
}

/**
 * The cofactor matrix C (C[i][j] = (−1)^(i+j) · the minor without row i and column j) of the n×n
 * matrix at `at`: the gradient of the determinant, which stays defined where the matrix is
 * singular (there det · A⁻ᵀ cannot be formed). n² determinants of order n − 1.
 */
export function cofactors(
  values: ArrayLike<number>,
  at: number,
  n: number,
  out: Float64Array,
  to: number,
): void {
  if (n === 1) {
    out[to] = 1;
    return;
  }
  const minor = new Float64Array((n - 1) * (n - 1));
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) {
      let w = 0;
      for (let r = 0; r < n; r++) {
        if (r === i) continue;
        for (let c = 0; c < n; c++) if (c !== j) minor[w++] = values[at + r * n + c]!;
      }
      out[to + i * n + j] = ((i + j) % 2 === 0 ? 1 : -1) * luDet(luFactor(minor, 0, n - 1));
    }
}

/**
 * Cholesky's factor L (lower, L·Lᵀ = A) of the symmetric n×n matrix at `at` (only its lower
 * triangle is read, as LAPACK's potrf), written into `out` at `to`; returns the order of the
 * first leading minor that is not positive-definite (1-based), or 0.
 */
export function cholesky(
  values: ArrayLike<number>,
  at: number,
  n: number,
  out: Float64Array,
  to: number,
): number {
  for (let j = 0; j < n; j++) {
    let d = values[at + j * n + j]!;
    for (let m = 0; m < j; m++) d -= out[to + j * n + m]! ** 2;
    if (!(d > 0)) return j + 1;
    const ljj = Math.sqrt(d);
    out[to + j * n + j] = ljj;
    for (let i = j + 1; i < n; i++) {
      let s = values[at + i * n + j]!;
      for (let m = 0; m < j; m++) s -= out[to + i * n + m]! * out[to + j * n + m]!;
      out[to + i * n + j] = s / ljj;
    }
    for (let i = 0; i < j; i++) out[to + i * n + j] = 0;
  }
  return 0;
}
