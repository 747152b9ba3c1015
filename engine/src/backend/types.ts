// The backend contract: the front end asks a backend to allocate, run a kernel and read back;
// it never touches a TypedArray or GPUBuffer itself. Every backend implements the whole
// KernelTable, so a missing kernel is a compile error.
import type { DType, TypedArray } from '../dtype.ts';
import type { Shape } from '../shape.ts';

export const DEVICES = ['cpu', 'webgpu'] as const;
export type Device = (typeof DEVICES)[number];

/** An opaque handle to backend memory. The CPU backend uses a TypedArray. */
export type BackendBuffer = unknown;

/** A strided window onto a buffer: how every kernel receives its inputs. */
export interface View {
  readonly buffer: BackendBuffer;
  readonly dtype: DType;
  readonly shape: Shape;
  readonly strides: readonly number[];
  readonly offset: number;
}

export const UNARY_OPS = [
  'neg',
  'abs',
  'sign',
  'exp',
  'log',
  'log1p',
  'expm1',
  'sqrt',
  'rsqrt',
  'reciprocal',
  'sin',
  'cos',
  'tanh',
  'sigmoid',
  'relu',
  'erf',
  'floor',
  'ceil',
  'round',
  'trunc',
  'isnan',
  'isinf',
  'isfinite',
  'logicalNot',
  'square',
  'tan',
  'asin',
  'acos',
  'atan',
  'sinh',
  'cosh',
  'asinh',
  'acosh',
  'atanh',
  'log2',
  'log10',
  'exp2',
  'bitwiseNot',
  'lgamma',
  'digamma',
  'trigamma',
  'erfinv',
  'erfc',
] as const;
export type UnaryOp = (typeof UNARY_OPS)[number];

export const BINARY_OPS = [
  'add',
  'sub',
  'mul',
  'div',
  'pow',
  'maximum',
  'minimum',
  'atan2',
  'remainder',
  'floorDivide',
  'eq',
  'ne',
  'lt',
  'le',
  'gt',
  'ge',
  'logicalAnd',
  'logicalOr',
  'logicalXor',
  'fmod',
  'truncDivide',
  'hypot',
  'copysign',
  'bitwiseAnd',
  'bitwiseOr',
  'bitwiseXor',
  'leftShift',
  'rightShift',
] as const;
export type BinaryOp = (typeof BINARY_OPS)[number];

export type ReduceOp = 'sum' | 'prod' | 'max' | 'min';
export type ArgReduceOp = 'argmax' | 'argmin';
export type CumulativeOp = 'cumsum' | 'cumprod';
export type ScatterMode = 'set' | 'add';

export interface KernelTable {
  /** Elementwise x → out (contiguous, x's shape), computed then stored as outDtype. */
  unary(op: UnaryOp, x: View, outDtype: DType): BackendBuffer;
  /** Elementwise with broadcasting: a and b are already viewed at outShape (stride 0 where broadcast). */
  binary(op: BinaryOp, a: View, b: View, outDtype: DType): BackendBuffer;
  /** cond ? a : b, all three viewed at the output shape. */
  where(cond: View, a: View, b: View, outDtype: DType): BackendBuffer;
  /** Reduces the listed dims away (output shape: x's shape without them). */
  reduce(op: ReduceOp, x: View, dims: readonly number[], outDtype: DType): BackendBuffer;
  /** Index (int64) of the first max/min along one dim; NaN counts as the extreme, like PyTorch. */
  argReduce(op: ArgReduceOp, x: View, dim: number): BackendBuffer;
  cumulative(op: CumulativeOp, x: View, dim: number, outDtype: DType): BackendBuffer;
  /** Batched matmul: a is [B, M, K], b is [B, K, N] (any strides, batch stride may be 0). */
  matmul(a: View, b: View, outDtype: DType): BackendBuffer;
  /** A contiguous copy of a strided view, cast to dtype. */
  copy(x: View, dtype: DType): BackendBuffer;
  /** Writes src (already viewed at dst's shape) into the strided destination, in place. */
  copyInto(dst: View, src: View): void;
  /** out[i][j][k] = x[i][index[i][j][k]][k] for dim 1, etc.; out has index's shape. */
  gather(x: View, dim: number, index: View): BackendBuffer;
  /** A copy of base (contiguous) with src scattered at index along dim (set or add). */
  scatter(base: View, dim: number, index: View, src: View, mode: ScatterMode): BackendBuffer;
}

export type KernelName = keyof KernelTable;

export interface Backend {
  readonly device: Device;
  readonly kernels: KernelTable;
  /** A zero-filled buffer. */
  alloc(dtype: DType, size: number): BackendBuffer;
  /** A buffer holding data, the storage array of dtype (see dtype.ts: int64 in a Float64Array, …). */
  fromTypedArray(data: TypedArray, dtype: DType): BackendBuffer;
  /** Contiguous values of the view; backends that cannot read synchronously throw. */
  readSync(view: View): TypedArray;
  read(view: View): Promise<TypedArray>;
  /** Number of live buffers this backend knows of (for leak tests); -1 when not tracked. */
  liveBuffers(): number;
  /** Frees a buffer now (backends whose memory the garbage collector does not manage). */
  release?(buffer: BackendBuffer): void;
  /**
   * Whether a buffer goes back to the backend's pool when its memory scope ends or it is
   * disposed (the CPU's large kernel outputs, see cpu/pool.ts); recycle() takes it back.
   */
  pools?(buffer: BackendBuffer): boolean;
  recycle?(buffer: BackendBuffer): void;
  /**
   * A fused optimizer update of dense float32 tensors, in place (see optim/fused.ts for the
   * flags and hyperparameters); backends without one get the composed ops.
   */
  optimizerStep?(
    kind: 'adam' | 'sgd',
    views: readonly [View, View, View | null, View | null],
    flags: number,
    hyper: readonly number[],
  ): void;
  /**
   * Softmax (or log-softmax) along the last dim of a dense float32 view, bit-identical to the
   * composed ops; null when the backend cannot (the caller composes ops instead).
   */
  softmaxRows?(x: View, log: boolean): BackendBuffer | null;
  /**
   * The batched product A·B with bias [n] added to every row (a Linear layer), float32,
   * bit-identical to matmul then add; null when the backend cannot (the caller composes ops).
   */
  matmulBias?(a: View, b: View, bias: View): BackendBuffer | null;
  /** A shared read-only buffer holding one value (wrapped numbers such as the 2 in x.mul(2)). */
  constant?(value: number, dtype: DType): BackendBuffer;
}
