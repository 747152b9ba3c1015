// nn.init: in-place initialisers drawing from the engine's seeded generator, with PyTorch's
// formulas (so that the same seed gives the same weights as torch for the same layer order).
import { noGrad } from '../autograd/grad-mode.ts';
import { options, is } from '../args.ts';
import { rand, randn, tensor } from '../creation.ts';
import { erf, erfinv } from '../backend/cpu/math.ts';
import { defaultGenerator, type Generator } from '../random.ts';
import type { Tensor } from '../tensor.ts';

export type Nonlinearity =
  'linear' | 'conv1d' | 'conv2d' | 'sigmoid' | 'tanh' | 'relu' | 'leaky_relu' | 'selu';

export function calculateGain(nonlinearity: Nonlinearity, param?: number): number {
  switch (nonlinearity) {
    case 'tanh':
      return 5 / 3;
    case 'relu':
      return Math.SQRT2;
    case 'leaky_relu': {
      const slope = param ?? 0.01;
      return Math.sqrt(2 / (1 + slope * slope));
    }
    case 'selu':
      return 3 / 4;
    default:
      return 1;
  }
}

/** fan_in and fan_out as PyTorch computes them (dims beyond 2 are the receptive field). */
export function calculateFans(t: Tensor): { fanIn: number; fanOut: number } {
  if (t.ndim < 2)
    throw new Error('init: fan in and fan out can not be computed for tensor with fewer than 2 dimensions');
  const receptive = t.shape.slice(2).reduce((a, b) => a * b, 1);
  return { fanIn: t.shape[1]! * receptive, fanOut: t.shape[0]! * receptive };
}

export function uniform_(t: Tensor, a = 0, b = 1, generator: Generator = defaultGenerator): Tensor {
  return noGrad(() =>
    t.copy_(
      rand(t.shape, { dtype: t.dtype, generator })
        .mul(b - a)
        .add(a),
    ),
  );
}

export function normal_(t: Tensor, mean = 0, std = 1, generator: Generator = defaultGenerator): Tensor {
  return noGrad(() => t.copy_(randn(t.shape, { dtype: t.dtype, generator }).mul(std).add(mean)));
}

export const constant_ = (t: Tensor, value: number): Tensor => noGrad(() => t.fill_(value));
export const zeros_ = (t: Tensor): Tensor => constant_(t, 0);
export const ones_ = (t: Tensor): Tensor => constant_(t, 1);

export function xavierUniform_(t: Tensor, gain = 1, generator?: Generator): Tensor {
  const { fanIn, fanOut } = calculateFans(t);
  const bound = gain * Math.sqrt(6 / (fanIn + fanOut));
  return uniform_(t, -bound, bound, generator);
}

export function xavierNormal_(t: Tensor, gain = 1, generator?: Generator): Tensor {
  const { fanIn, fanOut } = calculateFans(t);
  return normal_(t, 0, gain * Math.sqrt(2 / (fanIn + fanOut)), generator);
}

export interface KaimingOptions {
  a?: number;
  mode?: 'fan_in' | 'fan_out';
  nonlinearity?: Nonlinearity;
  generator?: Generator;
}

const KAIMING_CHECKS = {
  a: is.number,
  mode: is.oneOf('fan_in', 'fan_out'),
  nonlinearity: is.oneOf('linear', 'conv1d', 'conv2d', 'sigmoid', 'tanh', 'relu', 'leaky_relu', 'selu'),
};

function kaimingStd(t: Tensor, given: KaimingOptions, fn: string): number {
  const {
    a = 0,
    mode = 'fan_in',
    nonlinearity = 'leaky_relu',
  } = options<KaimingOptions & Record<string, unknown>>(
    fn,
    given,
    ['a', 'mode', 'nonlinearity', 'generator'],
    KAIMING_CHECKS,
  );
  const fans = calculateFans(t);
  const fan = mode === 'fan_in' ? fans.fanIn : fans.fanOut;
  return calculateGain(nonlinearity, a) / Math.sqrt(fan);
}

export function kaimingUniform_(t: Tensor, options: KaimingOptions = {}): Tensor {
  const bound = Math.sqrt(3) * kaimingStd(t, options, 'kaimingUniform_');
  return uniform_(t, -bound, bound, options.generator);
}

export function kaimingNormal_(t: Tensor, options: KaimingOptions = {}): Tensor {
  return normal_(t, 0, kaimingStd(t, options, 'kaimingNormal_'), options.generator);
}

export interface TruncNormalOptions {
  mean?: number;
  std?: number;
  a?: number;
  b?: number;
  generator?: Generator;
}

/**
 * Normal values truncated to [a, b], PyTorch's way: uniform between the bounds' CDF values
 * (mapped to (−1, 1)), then erfinv, scaled, shifted and clamped.
 */
export function truncNormal_(t: Tensor, given: TruncNormalOptions = {}): Tensor {
  const o = options<TruncNormalOptions & Record<string, unknown>>(
    'truncNormal_',
    given,
    ['mean', 'std', 'a', 'b', 'generator'],
    {
      mean: is.number,
      std: is.positive,
      a: is.number,
      b: is.number,
    },
  );
  const { mean = 0, std = 1, a = -2, b = 2, generator } = o;
  const cdf = (x: number) => (1 + erf(x / Math.SQRT2)) / 2;
  const [l, u] = [cdf((a - mean) / std), cdf((b - mean) / std)];
  return noGrad(() => {
    uniform_(t, 2 * l - 1, 2 * u - 1, generator);
    const values = Float64Array.from(t.dataSync(), (v) => erfinv(Number(v)));
    return t.copy_(
      tensor(Array.from(values), { dtype: t.dtype })
        .reshape(t.shape)
        .mul(std * Math.SQRT2)
        .add(mean)
        .clamp(a, b),
    );
  });
}

/**
 * A (semi-)orthogonal matrix from the QR factorisation of normal values, as torch.nn.init
 * .orthogonal_ (Q's columns signed by R's diagonal), scaled by gain; dims after the first are
 * flattened.
 */
export function orthogonal_(t: Tensor, gain = 1, generator: Generator = defaultGenerator): Tensor {
  if (t.ndim < 2) throw new Error('orthogonal_: only tensors with 2 or more dimensions are supported');
  if (t.numel() === 0) return t;
  const rows = t.shape[0]!;
  const cols = t.numel() / rows;
  const normal = Float64Array.from(randn([rows, cols], { dtype: t.dtype, generator }).dataSync(), Number);
  // QR of the tall one of the matrix and its transpose.
  const [m, n] = rows < cols ? [cols, rows] : [rows, cols];
  const A = new Float64Array(m * n);
  for (let i = 0; i < rows; i++)
    for (let j = 0; j < cols; j++) A[rows < cols ? j * n + i : i * n + j] = normal[i * cols + j]!;
  const q = signedQ(A, m, n);
  const out = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++)
    for (let j = 0; j < cols; j++) out[i * cols + j] = gain * q[rows < cols ? j * n + i : i * n + j]!;
  return noGrad(() => t.copy_(tensor(Array.from(out), { dtype: t.dtype }).reshape(t.shape)));
}

/**
 * Q (m × n, m ≥ n) of A = QR by Householder reflections in float64, each column times the sign of
 * R's diagonal entry (LAPACK's R may have either sign; the product Q·sign is unique).
 */
function signedQ(A: Float64Array, m: number, n: number): Float64Array {
  const R = Float64Array.from(A);
  const vs: Float64Array[] = [];
  for (let k = 0; k < n; k++) {
    let norm = 0;
    for (let i = k; i < m; i++) norm += R[i * n + k]! ** 2;
    norm = Math.sqrt(norm);
    const v = new Float64Array(m);
    const alpha = R[k * n + k]! >= 0 ? -norm : norm;
    for (let i = k; i < m; i++) v[i] = R[i * n + k]!;
    v[k] = v[k]! - alpha;
    const vv = v.reduce((s, x) => s + x * x, 0);
    vs.push(v);
    if (vv === 0) continue;
    for (let j = k; j < n; j++) {
      let dot = 0;
      for (let i = k; i < m; i++) dot += v[i]! * R[i * n + j]!;
      const f = (2 * dot) / vv;
      for (let i = k; i < m; i++) R[i * n + j] = R[i * n + j]! - f * v[i]!;
    }
  }
  // Q = H₀·H₁·…·H_{n−1} applied to the first n columns of the identity.
  const Q = new Float64Array(m * n);
  for (let j = 0; j < n; j++) Q[j * n + j] = 1;
  for (let k = n - 1; k >= 0; k--) {
    const v = vs[k]!;
    const vv = v.reduce((s, x) => s + x * x, 0);
    if (vv === 0) continue;
    for (let j = 0; j < n; j++) {
      let dot = 0;
      for (let i = k; i < m; i++) dot += v[i]! * Q[i * n + j]!;
      const f = (2 * dot) / vv;
      for (let i = k; i < m; i++) Q[i * n + j] = Q[i * n + j]! - f * v[i]!;
    }
  }
  for (let j = 0; j < n; j++) {
    const sign = Math.sign(R[j * n + j]!);
    for (let i = 0; i < m; i++) Q[i * n + j] = Q[i * n + j]! * sign;
  }
  return Q;
}

/** The identity in a 2-D tensor (ones on the main diagonal). */
export function eye_(t: Tensor): Tensor {
  if (t.ndim !== 2) throw new Error('eye_: only 2-D tensors are supported');
  const [r, c] = t.shape as [number, number];
  const values = new Array<number>(r * c).fill(0);
  for (let i = 0; i < Math.min(r, c); i++) values[i * c + i] = 1;
  return noGrad(() => t.copy_(tensor(values, { dtype: t.dtype }).reshape([r, c])));
}

/**
 * A convolution weight ([out, in/groups, …kernel]) that passes its input through: in each group,
 * output channel d takes input channel d at the kernel's centre (torch's dirac_).
 */
export function dirac_(t: Tensor, groups = 1): Tensor {
  if (t.ndim < 3 || t.ndim > 5)
    throw new Error('dirac_: only tensors with 3, 4, or 5 dimensions are supported');
  const [out, inn] = [t.shape[0]!, t.shape[1]!];
  if (!Number.isInteger(groups) || groups < 1 || out % groups !== 0)
    throw new Error(`dirac_: dim 0 (${out}) must be divisible by groups (${groups})`);
  const perGroup = out / groups;
  const kernel = t.shape.slice(2);
  const size = kernel.reduce((a, b) => a * b, 1);
  const centre = kernel.reduce((at, k) => at * k + Math.floor(k / 2), 0);
  const values = new Array<number>(t.numel()).fill(0);
  for (let g = 0; g < groups; g++)
    for (let d = 0; d < Math.min(perGroup, inn); d++)
      values[((g * perGroup + d) * inn + d) * size + centre] = 1;
  return noGrad(() => t.copy_(tensor(values, { dtype: t.dtype }).reshape(t.shape)));
}
