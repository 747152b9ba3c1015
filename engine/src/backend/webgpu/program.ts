// WebGPU programs are data: a cache key, a workgroup size and a function that writes the WGSL.
// Every program binds its uniform block (64 i32 values, read with m(i)) at binding 0 and its
// storage buffers from binding 1; the prelude below holds what the programs share.
import type { DType } from '../../dtype.ts';

export interface Program {
  /** Identifies the WGSL exactly: programs with equal keys share one pipeline. */
  readonly key: string;
  readonly workgroupSize: number;
  wgsl(): string;
}

/**
 * The WGSL element type that stores each dtype (bool as 0/1 in a u32). int64 lives in an i32 on
 * the GPU (WGSL has no 64-bit integers): exact for |x| < 2^31, the limit the README states.
 */
export function storageType(dtype: DType): 'f32' | 'i32' | 'u32' {
  switch (dtype) {
    case 'float32':
      return 'f32';
    case 'int32':
    case 'int64':
      return 'i32';
    case 'bool':
      return 'u32';
    case 'float64':
      throw new Error(
        "webgpu: float64 is not supported (WGSL has no 64-bit floats); convert with .float() or keep the tensor on 'cpu'",
      );
    case 'float16':
    case 'bfloat16':
    case 'uint8':
      throw new Error(
        `webgpu: ${dtype} tensors are not supported on the GPU yet; convert with ${dtype === 'uint8' ? '.int() or .float()' : '.float()'} or keep the tensor on 'cpu'`,
      );
  }
}

/** Converts a WGSL expression of type `from` to type `to` with PyTorch's cast rules. */
export function convert(expr: string, from: string, to: string): string {
  if (from === to) return expr;
  if (to === 'u32')
    return `select(0u, 1u, ${expr} != ${from === 'f32' ? '0.0' : from === 'i32' ? '0' : '0u'})`;
  if (to === 'i32' && from === 'f32') return `f32_to_i32(${expr})`;
  return `${to}(${expr})`;
}

/** The invocation's linear index, for dispatches laid out as (x, y) workgroups of `size`. */
export const linearIndex = (size: number): string => `i32(gid.x + gid.y * nwg.x * ${size}u)`;

export const MAIN_ARGS =
  '@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>, @builtin(workgroup_id) wid: vec3<u32>';

export const PRELUDE = /* wgsl */ `
struct Meta { v: array<vec4<i32>, 16> }
@group(0) @binding(0) var<uniform> u_meta: Meta;
fn m(i: i32) -> i32 { return u_meta.v[i / 4][i % 4]; }

// Bit tests: compilers may assume no NaN in x != x.
fn is_nan(x: f32) -> bool { return (bitcast<u32>(x) & 0x7fffffffu) > 0x7f800000u; }
fn is_inf(x: f32) -> bool { return (bitcast<u32>(x) & 0x7fffffffu) == 0x7f800000u; }
// Through a var: as constant expressions these bit patterns are rejected (not finite).
fn nan() -> f32 { var bits = 0x7fc00000u; return bitcast<f32>(bits); }
fn inf() -> f32 { var bits = 0x7f800000u; return bitcast<f32>(bits); }
fn f32_to_i32(x: f32) -> i32 { return i32(trunc(x)); }

fn exp_m1(x: f32) -> f32 {
  if (abs(x) < 0.5) {
    // Taylor series: no cancellation near 0.
    return x * (1.0 + x / 2.0 * (1.0 + x / 3.0 * (1.0 + x / 4.0 * (1.0 + x / 5.0 * (1.0 + x / 6.0 * (1.0 + x / 7.0 * (1.0 + x / 8.0 * (1.0 + x / 9.0))))))));
  }
  return exp(x) - 1.0;
}
fn log_1p(x: f32) -> f32 {
  if (x < -1.0 || is_nan(x)) { return nan(); }
  if (x == -1.0) { return -inf(); }
  let u = 1.0 + x;
  if (u == 1.0) { return x; }
  if (is_inf(u)) { return u; }
  return log(u) * x / (u - 1.0);
}
fn log_safe(x: f32) -> f32 {
  if (x < 0.0 || is_nan(x)) { return nan(); }
  if (x == 0.0) { return -inf(); }
  if (is_inf(x)) { return x; }
  return log(x);
}
fn sqrt_safe(x: f32) -> f32 {
  if (x < 0.0 || is_nan(x)) { return nan(); }
  if (is_inf(x)) { return x; }
  return sqrt(x);
}
fn exp_safe(x: f32) -> f32 {
  if (is_nan(x)) { return x; }
  if (x > 88.72284) { return inf(); }
  if (x < -103.97208) { return 0.0; }
  return exp(x);
}
fn tanh_safe(x: f32) -> f32 {
  if (is_nan(x)) { return x; }
  if (abs(x) < 0.55) { let e = exp_m1(2.0 * x); return e / (e + 2.0); }
  if (abs(x) > 9.1) { return sign(x); }
  return sign(x) * (1.0 - 2.0 / (exp(2.0 * abs(x)) + 1.0));
}
fn sigmoid(x: f32) -> f32 {
  if (is_nan(x)) { return x; }
  return 1.0 / (1.0 + exp_safe(-x));
}
// The gamma family in f32: lgamma by Lanczos (Numerical Recipes' gammln, g = 5) with the
// reflection formula below ½; digamma and trigamma as torch's CPU routines (recurrence, then the
// asymptotic series).
fn lgamma_pos(x: f32) -> f32 {
  var y = x;
  var tmp = x + 5.5;
  tmp = tmp - (x + 0.5) * log(tmp);
  var ser = 1.000000000190015;
  y = y + 1.0; ser = ser + 76.18009172947146 / y;
  y = y + 1.0; ser = ser - 86.50532032941677 / y;
  y = y + 1.0; ser = ser + 24.01409824083091 / y;
  y = y + 1.0; ser = ser - 1.231739572450155 / y;
  y = y + 1.0; ser = ser + 0.1208650973866179e-2 / y;
  y = y + 1.0; ser = ser - 0.5395239384953e-5 / y;
  return -tmp + log(2.5066282746310005 * ser / x);
}
fn lgamma_f(x: f32) -> f32 {
  if (is_nan(x)) { return x; }
  if (is_inf(x)) { return inf(); }
  if (x <= 0.0 && x == floor(x)) { return inf(); }
  if (x == 1.0 || x == 2.0) { return 0.0; }
  if (x < 0.5) { return log(3.14159265358979 / abs(sin(3.14159265358979 * x))) - lgamma_pos(1.0 - x); }
  return lgamma_pos(x);
}
fn digamma_f(x_in: f32) -> f32 {
  var x = x_in;
  if (is_nan(x)) { return x; }
  if (x == 0.0) { return select(-inf(), inf(), (bitcast<u32>(x) & 0x80000000u) != 0u); }
  if (is_inf(x)) { return select(nan(), x, x > 0.0); }
  var result = 0.0;
  if (x < 0.0) {
    if (x == floor(x)) { return nan(); }
    result = -3.14159265358979 / tan(3.14159265358979 * (x - trunc(x)));
    x = 1.0 - x;
  }
  loop {
    if (x >= 10.0) { break; }
    result = result - 1.0 / x;
    x = x + 1.0;
  }
  let z = 1.0 / (x * x);
  let y = z * (0.0833333333 + z * (-0.0083333333 + z * (0.0039682540 + z * (-0.0041666667 + z * 0.0075757576))));
  return result + log(x) - 0.5 / x - y;
}
fn trigamma_f(x_in: f32) -> f32 {
  var x = x_in;
  var sgn = 1.0;
  var result = 0.0;
  if (x < 0.5) {
    sgn = -1.0;
    let s = sin(3.14159265358979 * x);
    result = result - 9.8696044010894 / (s * s);
    x = 1.0 - x;
  }
  for (var i = 0; i < 6; i = i + 1) {
    result = result + 1.0 / (x * x);
    x = x + 1.0;
  }
  let ixx = 1.0 / (x * x);
  result = result + (1.0 + 1.0 / (2.0 * x) + ixx * (1.0 / 6.0 - ixx * (1.0 / 30.0 - ixx * (1.0 / 42.0)))) / x;
  return sgn * result;
}
// Giles' single-precision inverse erf.
fn erfinv_f(y: f32) -> f32 {
  if (is_nan(y) || y < -1.0 || y > 1.0) { return nan(); }
  if (y == 1.0) { return inf(); }
  if (y == -1.0) { return -inf(); }
  var w = -log((1.0 - y) * (1.0 + y));
  var p: f32;
  if (w < 5.0) {
    w = w - 2.5;
    p = 2.81022636e-08;
    p = 3.43273939e-07 + p * w; p = -3.5233877e-06 + p * w; p = -4.39150654e-06 + p * w;
    p = 0.00021858087 + p * w; p = -0.00125372503 + p * w; p = -0.00417768164 + p * w;
    p = 0.246640727 + p * w; p = 1.50140941 + p * w;
  } else {
    w = sqrt(w) - 3.0;
    p = -0.000200214257;
    p = 0.000100950558 + p * w; p = 0.00134934322 + p * w; p = -0.00367342844 + p * w;
    p = 0.00573950773 + p * w; p = -0.0076224613 + p * w; p = 0.00943887047 + p * w;
    p = 1.00167406 + p * w; p = 2.83297682 + p * w;
  }
  return p * y;
}
// Numerical Recipes' erfcc (fractional error below 1.2e-7 everywhere, no cancellation for large x).
fn erfc_f(x: f32) -> f32 {
  if (is_nan(x)) { return x; }
  let z = abs(x);
  let t = 1.0 / (1.0 + 0.5 * z);
  let r = t * exp_safe(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))));
  return select(2.0 - r, r, x >= 0.0);
}
fn erf_f(x: f32) -> f32 {
  if (is_nan(x)) { return x; }
  let a = abs(x);
  if (a < 0.5) {
    let x2 = x * x;
    return 1.1283791670955126 * x * (1.0 - x2 / 3.0 * (1.0 - x2 * 0.3 * (1.0 - x2 * 0.23809523809523808 * (1.0 - x2 * 0.18518518518518517 * (1.0 - x2 * 0.15151515151515152)))));
  }
  if (a > 4.0) { return sign(x); }
  // Abramowitz & Stegun 7.1.26 (absolute error below 1.5e-7).
  let t = 1.0 / (1.0 + 0.3275911 * a);
  let y = 1.0 - (((((1.061405429 * t - 1.453152027) * t) + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * exp(-a * a);
  return sign(x) * y;
}
fn sign_f(x: f32) -> f32 {
  if (x > 0.0) { return 1.0; }
  if (x < 0.0) { return -1.0; }
  return x;
}
fn sign_i(x: i32) -> i32 { return select(select(0, -1, x < 0), 1, x > 0); }
fn relu_f(x: f32) -> f32 { if (x > 0.0 || is_nan(x)) { return x; } return 0.0; }
fn max_f(a: f32, b: f32) -> f32 { if (is_nan(a) || is_nan(b)) { return nan(); } return select(b, a, a > b); }
fn min_f(a: f32, b: f32) -> f32 { if (is_nan(a) || is_nan(b)) { return nan(); } return select(b, a, a < b); }
fn round_even(x: f32) -> f32 {
  let r = floor(x + 0.5);
  if (r - x == 0.5 && (r - 2.0 * floor(r / 2.0)) != 0.0) { return r - 1.0; }
  return r;
}
fn pow_f(a: f32, b: f32) -> f32 {
  if (b == 0.0) { return 1.0; }
  if (is_nan(a) || is_nan(b)) { return nan(); }
  if (a == 0.0) { return select(0.0, inf(), b < 0.0); }
  let r = exp2(b * log2(abs(a)));
  if (a > 0.0) { return r; }
  if (floor(b) != b) { return nan(); }
  let odd = (b - 2.0 * floor(b / 2.0)) != 0.0;
  return select(r, -r, odd);
}
fn pow_i(a: i32, b: i32) -> i32 {
  if (b < 0) {
    if (a == 1) { return 1; }
    if (a == -1) { return select(1, -1, (b & 1) != 0); }
    return 0;
  }
  var r = 1;
  var base = a;
  var e = b;
  loop {
    if (e == 0) { break; }
    if ((e & 1) != 0) { r = r * base; }
    base = base * base;
    e = e >> 1u;
  }
  return r;
}
fn remainder_f(a: f32, b: f32) -> f32 {
  let r = a - trunc(a / b) * b;
  if (r != 0.0 && ((r < 0.0) != (b < 0.0))) { return r + b; }
  return r;
}
fn remainder_i(a: i32, b: i32) -> i32 {
  if (b == 0) { return 0; }
  let r = a % b;
  if (r != 0 && ((r < 0) != (b < 0))) { return r + b; }
  return r;
}
fn floordiv_i(a: i32, b: i32) -> i32 {
  if (b == 0) { return 0; }
  let q = a / b;
  if ((a % b != 0) && ((a < 0) != (b < 0))) { return q - 1; }
  return q;
}
`;
