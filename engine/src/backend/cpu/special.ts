// The gamma family and erfc in float64, for the CPU kernels (PyTorch computes them with Cephes'
// routines; these agree with them to about an ulp in float64 away from the poles).

const LANCZOS_G = 7;
const LANCZOS = [
  0.9999999999998099, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
  12.507343278686905, -0.13857109526572012, 0.000009984369578019572, 1.5056327351493116e-7,
];
const LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);

/** log|Γ(x)|: Lanczos (g = 7) above 0.5, the reflection formula below; +∞ at 0 and the negative integers. */
export function lgamma(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (!Number.isFinite(x)) return Infinity;
  if (x <= 0 && Number.isInteger(x)) return Infinity;
  // Γ(1) = Γ(2) = 1 exactly (the series would leave a few ulps there).
  if (x === 1 || x === 2) return 0;
  if (x < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - lgamma(1 - x);
  const z = x - 1;
  let a = LANCZOS[0]!;
  const t = z + LANCZOS_G + 0.5;
  for (let i = 1; i < LANCZOS.length; i++) a += LANCZOS[i]! / (z + i);
  return LOG_SQRT_2PI + (z + 0.5) * Math.log(t) - t + Math.log(a);
}

/** The asymptotic series of ψ in 1/x² (Cephes' A, highest power first). */
const PSI_SERIES = [
  0.08333333333333333, -0.021092796092796094, 0.007575757575757576, -0.004166666666666667,
  0.003968253968253968, -0.008333333333333333, 0.08333333333333333,
];
const PSI_10 = 2.251752589066721;

/**
 * ψ(x) = Γ′(x)/Γ(x), step for step as torch's calc_digamma (Cephes): the recurrence up to
 * x ≥ 10, then the asymptotic series; reflection below 0. −∞ at +0, +∞ at −0, NaN at the negative
 * integers.
 */
export function digamma(x: number): number {
  if (x === 0) return Object.is(x, -0) ? Infinity : -Infinity;
  if (Number.isNaN(x) || x === -Infinity) return NaN;
  if (x < 0) {
    if (x === Math.trunc(x)) return NaN;
    const r = x - Math.trunc(x);
    return digamma(1 - x) - Math.PI / Math.tan(Math.PI * r);
  }
  let result = 0;
  while (x < 10) {
    result -= 1 / x;
    x += 1;
  }
  if (x === 10) return result + PSI_10;
  let y = 0;
  if (x < 1e17) {
    const z = 1 / (x * x);
    let p = 0;
    for (const c of PSI_SERIES) p = p * z + c;
    y = z * p;
  }
  return result + Math.log(x) - 0.5 / x - y;
}

/**
 * ψ′(x) = polygamma(1, x), as torch's calc_trigamma: reflection below ½, six steps of the
 * recurrence, then three terms of the asymptotic series (so its values, which differ from the
 * exact ones by up to ~5e-10 relative near 1, are torch's).
 */
export function trigamma(x: number): number {
  let sign = 1;
  let result = 0;
  if (x < 0.5) {
    sign = -1;
    const s = Math.sin(Math.PI * x);
    result -= (Math.PI * Math.PI) / (s * s);
    x = 1 - x;
  }
  for (let i = 0; i < 6; i++) {
    result += 1 / (x * x);
    x += 1;
  }
  const ixx = 1 / (x * x);
  result += (1 + 1 / (2 * x) + ixx * (1 / 6 - ixx * (1 / 30 - ixx * (1 / 42)))) / x;
  return sign * result;
}

const ZETA_A = [
  12.0, -720.0, 30240.0, -1209600.0, 47900160.0, -1892437580.3183792, 7.47242496e10, -2950130727918.164,
  116467828143500.67, -4597978722407473, 181521054019435460, -7166165256175667000,
];
const MACHEP = 1.1102230246251565e-16;

/** The Hurwitz zeta ζ(x, q) = Σₖ (k + q)^(−x), as torch's zeta (Cephes: Euler–Maclaurin). */
export function hurwitzZeta(x: number, q: number): number {
  if (x === 1) return Infinity;
  if (x < 1) return NaN;
  if (q <= 0) {
    if (q === Math.floor(q)) return Infinity;
    if (x !== Math.floor(x)) return NaN;
  }
  let s = q ** -x;
  let a = q;
  let i = 0;
  let b = 0;
  while (i < 9 || a <= 9) {
    i += 1;
    a += 1;
    b = a ** -x;
    s += b;
    if (-MACHEP * s < b && b < MACHEP * s) return s;
  }
  const w = a;
  s += (b * w) / (x - 1);
  s -= 0.5 * b;
  let f = 1;
  let k = 0;
  for (let j = 0; j < 12; j++) {
    f *= x + k;
    b /= w;
    const t = (f * b) / ZETA_A[j]!;
    s += t;
    if (Math.abs(t / s) < MACHEP) return s;
    k += 1;
    f *= x + k;
    b /= w;
    k += 1;
  }
  return s;
}

/** polygamma(n, x), the n-th derivative of ψ, as torch: (−1)^(n+1) · e^(lgamma(n+1)) · ζ(n + 1, x) for n ≥ 2. */
export function polygamma(n: number, x: number): number {
  if (n === 0) return digamma(x);
  if (n === 1) return trigamma(x);
  return (n % 2 === 1 ? 1 : -1) * Math.exp(lgamma(n + 1)) * hurwitzZeta(n + 1, x);
}

/**
 * erfc(x) = 1 − erf(x) without the cancellation: 1 − erf below 0.5 (and for negative x), the
 * continued fraction e^(−x²)/√π · 1/(x + ½/(x + 1/(x + 3⁄2/(x + …)))) above.
 */
export function erfc(x: number, erf: (v: number) => number): number {
  if (Number.isNaN(x)) return NaN;
  if (x < 0.5) return 1 - erf(x);
  if (x > 27) return 0;
  // Modified Lentz on K = x + (1/2)/(x + (2/2)/(x + (3/2)/(x + …))).
  const tiny = 1e-300;
  let f = x;
  let C = x;
  let D = 0;
  for (let k = 1; k < 500; k++) {
    const a = k / 2;
    D = x + a * D;
    D = Math.abs(D) < tiny ? 1 / tiny : 1 / D;
    C = x + a / C;
    if (Math.abs(C) < tiny) C = tiny;
    const delta = C * D;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return Math.exp(-x * x) / Math.sqrt(Math.PI) / f;
}
