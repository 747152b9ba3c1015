// Jacobi rotations in float64 on the CPU: the singular value decomposition (one-sided, Hestenes)
// and the eigen-decomposition of a symmetric matrix (cyclic). Slower than LAPACK's divide and
// conquer but accurate to a few ulps relative in the small singular values and simple; plain
// arrays in and out (the tensor ops live in linalg-spectral.ts).

const EPS = 2.220446049250313e-16;
const MAX_SWEEPS = 60;

export interface Svd {
  /** m × k, row-major (k = min(m, n)). */
  u: Float64Array;
  /** k, descending. */
  s: Float64Array;
  /** n × k, row-major: A = U·diag(S)·Vᵀ. */
  v: Float64Array;
  k: number;
}

/** The reduced SVD of the m × n matrix at `at` of `values` (row-major). */
export function svd(values: ArrayLike<number>, at: number, m: number, n: number): Svd {
  if (m < n) {
    // Aᵀ = V S Uᵀ: decompose the transpose and swap the factors.
    const t = new Float64Array(m * n);
    for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) t[j * m + i] = values[at + i * n + j]!;
    const r = svd(t, 0, n, m);
    return { u: r.v, s: r.s, v: r.u, k: r.k };
  }
  // m ≥ n: rotate pairs of A's columns until they are orthogonal; V accumulates the rotations.
  const a = new Float64Array(m * n);
  for (let i = 0; i < m * n; i++) a[i] = values[at + i]!;
  const v = new Float64Array(n * n);
  for (let i = 0; i < n; i++) v[i * n + i] = 1;
  for (let sweep = 0; sweep < MAX_SWEEPS; sweep++) {
    let rotated = false;
    for (let p = 0; p < n - 1; p++)
      for (let q = p + 1; q < n; q++) {
        let alpha = 0;
        let beta = 0;
        let gamma = 0;
        for (let i = 0; i < m; i++) {
          const x = a[i * n + p]!;
          const y = a[i * n + q]!;
          alpha += x * x;
          beta += y * y;
          gamma += x * y;
        }
        if (gamma === 0 || Math.abs(gamma) <= EPS * Math.sqrt(alpha * beta)) continue;
        rotated = true;
        const zeta = (beta - alpha) / (2 * gamma);
        const t = (zeta >= 0 ? 1 : -1) / (Math.abs(zeta) + Math.sqrt(1 + zeta * zeta));
        const c = 1 / Math.sqrt(1 + t * t);
        const s = c * t;
        for (let i = 0; i < m; i++) {
          const x = a[i * n + p]!;
          const y = a[i * n + q]!;
          a[i * n + p] = c * x - s * y;
          a[i * n + q] = s * x + c * y;
        }
        for (let i = 0; i < n; i++) {
          const x = v[i * n + p]!;
          const y = v[i * n + q]!;
          v[i * n + p] = c * x - s * y;
          v[i * n + q] = s * x + c * y;
        }
      }
    if (!rotated) break;
  }
  // Singular values are the column norms; sort them (and the columns) descending.
  const norms = Array.from({ length: n }, (_, j) => {
    let sum = 0;
    for (let i = 0; i < m; i++) sum += a[i * n + j]! ** 2;
    return Math.sqrt(sum);
  });
  const order = norms.map((_, j) => j).sort((x, y) => norms[y]! - norms[x]!);
  const k = n;
  const u = new Float64Array(m * k);
  const s = new Float64Array(k);
  const vs = new Float64Array(n * k);
  order.forEach((j, c) => {
    s[c] = norms[j]!;
    for (let i = 0; i < n; i++) vs[i * k + c] = v[i * n + j]!;
    if (norms[j]! > 0) for (let i = 0; i < m; i++) u[i * k + c] = a[i * n + j]! / norms[j]!;
  });
  completeColumns(u, m, k, s);
  return { u, s, v: vs, k };
}

/**
 * Gives the columns of U whose singular value is 0 (no direction from A) unit vectors orthogonal
 * to the others, by Gram–Schmidt on the standard basis, so that U stays orthonormal.
 */
function completeColumns(u: Float64Array, m: number, k: number, s: Float64Array): void {
  for (let c = 0; c < k; c++) {
    if (s[c]! > 0) continue;
    for (let e = 0; e < m; e++) {
      const w = new Float64Array(m);
      w[e] = 1;
      for (let o = 0; o < k; o++) {
        if (o === c || (s[o]! === 0 && o > c)) continue;
        let dot = 0;
        for (let i = 0; i < m; i++) dot += w[i]! * u[i * k + o]!;
        for (let i = 0; i < m; i++) w[i] = w[i]! - dot * u[i * k + o]!;
      }
      let norm = 0;
      for (let i = 0; i < m; i++) norm += w[i]! ** 2;
      norm = Math.sqrt(norm);
      if (norm > 1e-8) {
        for (let i = 0; i < m; i++) u[i * k + c] = w[i]! / norm;
        break;
      }
    }
  }
}

/**
 * The eigenvalues (ascending, as LAPACK's syevd) and eigenvectors (columns of an n × n row-major
 * matrix) of the symmetric n × n matrix at `at`, reading its lower triangle as torch does.
 */
export function eighJacobi(
  values: ArrayLike<number>,
  at: number,
  n: number,
): { w: Float64Array; v: Float64Array } {
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++)
    for (let j = 0; j <= i; j++) a[i * n + j] = a[j * n + i] = values[at + i * n + j]!;
  const v = new Float64Array(n * n);
  for (let i = 0; i < n; i++) v[i * n + i] = 1;
  for (let sweep = 0; sweep < MAX_SWEEPS; sweep++) {
    let off = 0;
    let scale = 0;
    for (let i = 0; i < n; i++)
      for (let j = 0; j < n; j++) {
        if (i !== j) off += a[i * n + j]! ** 2;
        scale += a[i * n + j]! ** 2;
      }
    if (off <= EPS * EPS * scale) break;
    for (let p = 0; p < n - 1; p++)
      for (let q = p + 1; q < n; q++) {
        const apq = a[p * n + q]!;
        if (apq === 0) continue;
        const theta = (a[q * n + q]! - a[p * n + p]!) / (2 * apq);
        const t = (theta >= 0 ? 1 : -1) / (Math.abs(theta) + Math.sqrt(1 + theta * theta));
        const c = 1 / Math.sqrt(1 + t * t);
        const s = t * c;
        for (let k = 0; k < n; k++) {
          const akp = a[k * n + p]!;
          const akq = a[k * n + q]!;
          a[k * n + p] = c * akp - s * akq;
          a[k * n + q] = s * akp + c * akq;
        }
        for (let k = 0; k < n; k++) {
          const apk = a[p * n + k]!;
          const aqk = a[q * n + k]!;
          a[p * n + k] = c * apk - s * aqk;
          a[q * n + k] = s * apk + c * aqk;
        }
        for (let k = 0; k < n; k++) {
          const vkp = v[k * n + p]!;
          const vkq = v[k * n + q]!;
          v[k * n + p] = c * vkp - s * vkq;
          v[k * n + q] = s * vkp + c * vkq;
        }
      }
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((x, y) => a[x * n + x]! - a[y * n + y]!);
  const w = new Float64Array(n);
  const vs = new Float64Array(n * n);
  order.forEach((j, c) => {
    w[c] = a[j * n + j]!;
    for (let i = 0; i < n; i++) vs[i * n + c] = v[i * n + j]!;
  });
  return { w, v: vs };
}

/**
 * The QR decomposition of the m × n matrix at `at` by Householder reflections, with LAPACK's
 * conventions (geqrf then orgqr): each reflector makes R's diagonal entry −sign(a)·‖x‖, and a
 * column already zero below the diagonal is left alone, so Q and R are torch's. Q is m × q
 * (q = min(m, n), or m with `complete`), R is q × n.
 */
export function householderQr(
  values: ArrayLike<number>,
  at: number,
  m: number,
  n: number,
  complete: boolean,
): { q: Float64Array; r: Float64Array; cols: number } {
  const a = new Float64Array(m * n);
  for (let i = 0; i < m * n; i++) a[i] = values[at + i]!;
  const k = Math.min(m, n);
  const vs: Float64Array[] = [];
  const taus: number[] = [];
  for (let j = 0; j < k; j++) {
    const alpha = a[j * n + j]!;
    let below = 0;
    for (let i = j + 1; i < m; i++) below += a[i * n + j]! ** 2;
    const v = new Float64Array(m);
    if (below === 0) {
      // dlarfg: nothing to annihilate, H = I (tau = 0).
      vs.push(v);
      taus.push(0);
      continue;
    }
    const norm = Math.sqrt(alpha * alpha + below);
    const beta = alpha >= 0 ? -norm : norm;
    const tau = (beta - alpha) / beta;
    const scale = 1 / (alpha - beta);
    v[j] = 1;
    for (let i = j + 1; i < m; i++) v[i] = a[i * n + j]! * scale;
    // A ← (I − τ v vᵀ) A on columns j…n−1.
    for (let c = j; c < n; c++) {
      let dot = 0;
      for (let i = j; i < m; i++) dot += v[i]! * a[i * n + c]!;
      dot *= tau;
      for (let i = j; i < m; i++) a[i * n + c] = a[i * n + c]! - dot * v[i]!;
    }
    for (let i = j + 1; i < m; i++) a[i * n + j] = 0;
    a[j * n + j] = beta;
    vs.push(v);
    taus.push(tau);
  }
  const cols = complete ? m : k;
  // Q = H₀ H₁ … applied to the first `cols` columns of I, last reflector first (orgqr).
  const q = new Float64Array(m * cols);
  for (let i = 0; i < Math.min(m, cols); i++) q[i * cols + i] = 1;
  for (let j = k - 1; j >= 0; j--) {
    const v = vs[j]!;
    const tau = taus[j]!;
    if (tau === 0) continue;
    for (let c = 0; c < cols; c++) {
      let dot = 0;
      for (let i = j; i < m; i++) dot += v[i]! * q[i * cols + c]!;
      dot *= tau;
      for (let i = j; i < m; i++) q[i * cols + c] = q[i * cols + c]! - dot * v[i]!;
    }
  }
  const rows = complete ? m : k;
  const r = new Float64Array(rows * n);
  for (let i = 0; i < Math.min(rows, m); i++) for (let c = i; c < n; c++) r[i * n + c] = a[i * n + c]!;
  return { q, r, cols };
}
