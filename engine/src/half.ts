// float16 and bfloat16: their bit patterns (for files) and rounding float32 values onto their grids.
// Half tensors are stored as float32 values that lie on the half grid and computed in float32,
// then rounded back, as PyTorch's CPU kernels do; only files hold the 16-bit patterns.

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** IEEE binary16 bits of x, rounded to nearest even (overflow → ±inf, NaN stays NaN). */
export function float16Bits(x: number): number {
  f32[0] = x;
  const b = u32[0]!;
  const sign = (b >>> 16) & 0x8000;
  const exp = (b >>> 23) & 0xff;
  const mant = b & 0x7fffff;
  if (exp === 0xff) return sign | 0x7c00 | (mant ? 0x200 | (mant >>> 13) : 0);
  const e = exp - 112; // rebias 127 → 15
  if (e >= 0x1f) return sign | 0x7c00;
  if (e <= 0) {
    // Subnormal half: value = m · 2⁻²⁴; below half the smallest one it rounds to zero.
    if (e < -10) return sign;
    const full = mant | 0x800000;
    const shift = 14 - e;
    const m = full >>> shift;
    const rest = full & ((1 << shift) - 1);
    const halfway = 1 << (shift - 1);
    return sign | (rest > halfway || (rest === halfway && m & 1) ? m + 1 : m);
  }
  const m = mant >>> 13;
  const rest = mant & 0x1fff;
  const h = sign | (e << 10) | m;
  // A carry out of the mantissa moves into the exponent (up to inf), which is the right rounding.
  return rest > 0x1000 || (rest === 0x1000 && m & 1) ? h + 1 : h;
}

/** The value of binary16 bits. */
export function float16Value(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const e = (h >>> 10) & 0x1f;
  const m = h & 0x3ff;
  if (e === 0) return sign * m * 2 ** -24;
  if (e === 31) return m ? NaN : sign * Infinity;
  return sign * (1 + m / 1024) * 2 ** (e - 15);
}

/** bfloat16 bits of x: float32's top half, rounded to nearest even. */
export function bfloat16Bits(x: number): number {
  f32[0] = x;
  const b = u32[0]!;
  if ((b & 0x7fffffff) > 0x7f800000) return (b >>> 16) | 0x40; // NaN stays a (quiet) NaN
  return ((b + 0x7fff + ((b >>> 16) & 1)) >>> 16) & 0xffff;
}

export function bfloat16Value(h: number): number {
  u32[0] = (h & 0xffff) << 16;
  return f32[0]!;
}

export type HalfDType = 'float16' | 'bfloat16';

/** Rounds every value of a float32 array onto the dtype's grid, in place. */
export function roundToHalf(data: Float32Array, dtype: HalfDType): Float32Array {
  if (dtype === 'float16')
    for (let i = 0; i < data.length; i++) data[i] = float16Value(float16Bits(data[i]!));
  else for (let i = 0; i < data.length; i++) data[i] = bfloat16Value(bfloat16Bits(data[i]!));
  return data;
}

/** One number rounded onto the dtype's grid. */
export const roundScalarToHalf = (x: number, dtype: HalfDType): number =>
  dtype === 'float16' ? float16Value(float16Bits(x)) : bfloat16Value(bfloat16Bits(x));
