// @hgrad/engine: a PyTorch-like tensor library with reverse-mode autograd.
import './tensor-methods.ts';

export { Tensor, type Hook } from './tensor.ts';
export type { DType, TypedArray } from './dtype.ts';
export { promoteTypes, DTYPES } from './dtype.ts';
export type { Backend, Device, KernelTable, KernelName, View } from './backend/types.ts';
export { getBackend, registerBackend, setDefaultDevice, getDefaultDevice } from './backend/registry.ts';
export {
  initWebGPU,
  webgpuBackend,
  WebGPUBackend,
  WebGPUUnavailableError,
  type GpuInfo,
} from './backend/webgpu/index.ts';
export { tidy, keep, dispose, release, startScope, endScope } from './scope.ts';
export { cpuBackend } from './backend/cpu/index.ts';
export { matmulKernel, setMatmulKernel } from './backend/cpu/matmul.ts';
export { computeMode } from './compute-mode.ts';
export { sgemmStats, wasmSimdAvailable } from './backend/wasm/sgemm.ts';
export { setWasmElementwise, wasmElementwiseStats } from './backend/wasm/elementwise.ts';
export { drainPool, poolStats } from './backend/cpu/pool.ts';
export {
  keepMatmulSingleThreaded,
  matmulThreadMode,
  matmulThreadStats,
  runMatmulHelper,
  startMatmulThreads,
  stopMatmulThreads,
  type HelperInit,
} from './backend/wasm/threads.ts';
export { backward, grad, type BackwardOptions, type GradOptions } from './autograd/engine.ts';
export {
  noGrad,
  enableGrad,
  isGradEnabled,
  setGradEnabled,
  setDetectAnomaly,
  detectAnomaly,
  isAnomalyEnabled,
} from './autograd/grad-mode.ts';
export { defineOp, apply, type OpDef } from './autograd/function.ts';
export * from './creation.ts';
export { Generator, manualSeed, defaultGenerator, type GeneratorState } from './random.ts';
export { add, sub, mul, maximum, minimum, atan2 } from './ops/binary.ts';
export { div } from './ops/modulo.ts';
export { pow } from './ops/pow.ts';
export {
  eq,
  ne,
  lt,
  le,
  gt,
  ge,
  logicalAnd,
  logicalOr,
  logicalXor,
  logicalNot,
  isnan,
  isinf,
  isfinite,
} from './ops/compare.ts';
export {
  div as divide,
  remainder,
  fmod,
  floorDivide,
  hypot,
  copysign,
  bitwiseAnd,
  bitwiseOr,
  bitwiseXor,
  bitwiseNot,
  bitwiseLeftShift,
  bitwiseRightShift,
  type DivOptions,
} from './ops/modulo.ts';
export {
  neg,
  abs,
  sign,
  exp,
  log,
  log1p,
  expm1,
  sqrt,
  rsqrt,
  reciprocal,
  square,
  sin,
  cos,
  tanh,
  sigmoid,
  relu,
  erf,
  floor,
  ceil,
  round,
  trunc,
  tan,
  asin,
  acos,
  atan,
  sinh,
  cosh,
  asinh,
  acosh,
  atanh,
  log2,
  log10,
  exp2,
  lgamma,
  digamma,
  polygamma,
  erfinv,
  erfc,
} from './ops/unary.ts';
export * as special from './functional/special.ts';
export {
  cumprod,
  logcumsumexp,
  logaddexp,
  logaddexp2,
  isclose,
  allclose,
  stdMean,
  varMean,
  type CloseOptions,
} from './functional/numeric.ts';
export {
  sort,
  argsort,
  topk,
  kthvalue,
  median,
  mode,
  unique,
  cummax,
  cummin,
  type ValuesIndices,
  type UniqueOptions,
} from './functional/sorting.ts';
export { repeatInterleave, diagonal, diag, meshgrid, movedim } from './functional/rearrange.ts';
export { addmm, baddbmm, addcmul, addcdiv, trace, cross, tensordot, cdist } from './functional/products.ts';
export {
  nanToNum,
  logit,
  xlogy,
  nansum,
  nanmean,
  diff,
  deg2rad,
  rad2deg,
} from './functional/numeric-extra.ts';
export {
  atleast1d,
  atleast2d,
  atleast3d,
  hstack,
  vstack,
  dstack,
  columnStack,
  tile,
  rot90,
  fliplr,
  flipud,
} from './functional/stacking.ts';
export { where } from './ops/where.ts';
export { cast, clone, contiguous } from './ops/cast.ts';
export * from './functional/activations.ts';
export * from './functional/reductions.ts';
export * from './functional/shape.ts';
export * from './functional/linalg.ts';
export {
  inv as inverse,
  det,
  logdet,
  slogdet,
  matrixPower,
  type SignLogAbsDet,
} from './functional/linalg-square.ts';
export * as linalg from './functional/linalg-namespace.ts';
export * from './functional/builders.ts';
export * from './functional/statistics.ts';
export * from './functional/numeric-more.ts';
export * from './functional/aliases.ts';
export * from './functional/bits.ts';
export { i0 } from './functional/bessel.ts';
export { maskedSelect, scatterReduce } from './nn/functional-extra.ts';
export {
  index,
  indexPut,
  indexSelect,
  indexAdd,
  gather,
  scatter,
  scatterAdd,
  take,
  nonzero,
  sl,
  Slice,
  type IndexItem,
} from './functional/indexing.ts';
export { gradcheck, gradgradcheck, type GradcheckOptions } from './gradcheck.ts';
export { formatTensor } from './print.ts';
export { einsum } from './functional/einsum.ts';
export * as nn from './nn/index.ts';
export * as F from './nn/functional-index.ts';
export * as init from './nn/init.ts';
export * as optim from './optim/index.ts';
export * as data from './data/index.ts';
export * from './io/index.ts';
