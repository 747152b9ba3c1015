// Seeded random numbers: a Mersenne Twister (mt19937) with PyTorch's CPU sampling recipes, so
// that manualSeed(s) followed by rand/randn/randint/randperm reproduces torch's values.

const N = 624;
const M = 397;

export interface GeneratorState {
  seed: number;
  state: number[];
  index: number;
  nextNormal: number | null;
}

export class Generator {
  private mt = new Uint32Array(N);
  private index = N;
  private seedValue = 0;
  /** Box–Muller makes two normals at a time; PyTorch caches the second for the next call. */
  private nextNormal: number | null = null;

  constructor(seed = 67280421310721) {
    this.manualSeed(seed);
  }

  manualSeed(seed: number): this {
    this.seedValue = seed;
    // PyTorch seeds its mt19937 with the low 32 bits of the 64-bit seed.
    const mt = this.mt;
    mt[0] = Number(BigInt.asUintN(32, BigInt(Math.trunc(seed))));
    for (let i = 1; i < N; i++) {
      const prev = mt[i - 1]! ^ (mt[i - 1]! >>> 30);
      mt[i] = (Math.imul(1812433253, prev) + i) >>> 0;
    }
    this.index = N;
    this.nextNormal = null;
    return this;
  }

  initialSeed(): number {
    return this.seedValue;
  }

  /** A uniformly random 32-bit unsigned integer. */
  nextUint32(): number {
    if (this.index >= N) this.twist();
    let y = this.mt[this.index++]!;
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y >>> 0;
  }

  /** Uniform in [0, 1) with 24 random bits (PyTorch's float32 recipe). */
  nextFloat32(): number {
    return (this.nextUint32() & 0xffffff) * 2 ** -24;
  }

  /** Uniform in [0, 1) with 53 random bits from two draws (PyTorch's float64 recipe). */
  nextFloat64(): number {
    const hi = this.nextUint32();
    const lo = this.nextUint32();
    // ((hi << 32) | lo) & (2^53 - 1), scaled by 2^-53.
    return ((hi & 0x1fffff) * 2 ** 32 + lo) * 2 ** -53;
  }

  /** One standard normal sample by PyTorch's scalar path (used for fewer than 16 values). */
  nextNormalScalar(): number {
    if (this.nextNormal !== null) {
      const cached = this.nextNormal;
      this.nextNormal = null;
      return cached;
    }
    const u1 = this.nextFloat64();
    const u2 = this.nextFloat64();
    const r = Math.sqrt(-2 * Math.log1p(-u2));
    const theta = 2 * Math.PI * u1;
    this.nextNormal = r * Math.sin(theta);
    return r * Math.cos(theta);
  }

  getState(): GeneratorState {
    return {
      seed: this.seedValue,
      state: Array.from(this.mt),
      index: this.index,
      nextNormal: this.nextNormal,
    };
  }

  setState(state: GeneratorState): this {
    if (state.state.length !== N)
      throw new Error(`Generator.setState: expected ${N} state words, got ${state.state.length}`);
    this.seedValue = state.seed;
    this.mt.set(state.state);
    this.index = state.index;
    this.nextNormal = state.nextNormal;
    return this;
  }

  private twist(): void {
    const mt = this.mt;
    for (let i = 0; i < N; i++) {
      const y = (mt[i]! & 0x80000000) | (mt[(i + 1) % N]! & 0x7fffffff);
      mt[i] = mt[(i + M) % N]! ^ (y >>> 1) ^ (y & 1 ? 0x9908b0df : 0);
    }
    this.index = 0;
  }
}

export const defaultGenerator = new Generator();

/** torch.manual_seed: reseeds the default generator. */
export function manualSeed(seed: number): Generator {
  return defaultGenerator.manualSeed(seed);
}

/** Fills `out` with standard normals the way PyTorch's normal_ does for 16 or more values. */
export function fillNormal(out: Float32Array | Float64Array, gen: Generator): void {
  const n = out.length;
  const uniform = out instanceof Float32Array ? () => gen.nextFloat32() : () => gen.nextFloat64();
  if (n < 16) {
    for (let i = 0; i < n; i++) out[i] = gen.nextNormalScalar();
    return;
  }
  for (let i = 0; i < n; i++) out[i] = uniform();
  for (let i = 0; i + 16 <= n; i += 16) boxMuller16(out, i);
  if (n % 16 !== 0) {
    // PyTorch redraws the last 16 values and transforms them together.
    for (let i = n - 16; i < n; i++) out[i] = uniform();
    boxMuller16(out, n - 16);
  }
}

function boxMuller16(data: Float32Array | Float64Array, start: number): void {
  for (let j = 0; j < 8; j++) {
    const u1 = 1 - data[start + j]!;
    const u2 = data[start + j + 8]!;
    const radius = Math.sqrt(-2 * Math.log(u1));
    const theta = 2 * Math.PI * u2;
    data[start + j] = radius * Math.cos(theta);
    data[start + j + 8] = radius * Math.sin(theta);
  }
}
