// Attaches the functional API to Tensor as methods (x.add(y) ≡ add(x, y)), PyTorch-style.
// The declarations merge into the Tensor class so that the methods are fully typed.
import { getBackend } from './backend/registry.ts';
import type { Device } from './backend/types.ts';
import { DTYPES, isFloating, type DType } from './dtype.ts';
import { Tensor, type Hook } from './tensor.ts';
import { backward, type BackwardOptions } from './autograd/engine.ts';
import { fromBuffer, type TensorLike } from './ops/make.ts';
import { cast, clone, contiguous } from './ops/cast.ts';
import { filled } from './ops/fill.ts';
import * as B from './ops/binary.ts';
import * as C from './ops/compare.ts';
import * as U from './ops/unary.ts';
import { where } from './ops/where.ts';
import * as A from './functional/activations.ts';
import * as R from './functional/reductions.ts';
import * as S from './functional/shape.ts';
import * as L from './functional/linalg.ts';
import * as I from './functional/indexing.ts';
import { inplace } from './inplace.ts';
import { formatTensor } from './print.ts';
import { dispose } from './scope.ts';
import { nestedList } from './tensor.ts';
import type { TypedArray } from './dtype.ts';

/** to()'s argument: a dtype name, a device name, or both as options. */
function toOptions(target: DType | Device | ToOptions): ToOptions {
  if (typeof target !== 'string') return target;
  return (DTYPES as readonly string[]).includes(target)
    ? { dtype: target as DType }
    : { device: target as Device };
}

/** A leaf copy of t's values on another device (it keeps requiresGrad; gradients stay per device). */
function moveTo(t: Tensor, device: Device, values: TypedArray): Tensor {
  const backend = getBackend(device);
  const moved = fromBuffer(backend, backend.fromTypedArray(values), t.shape, t.dtype);
  moved.requiresGrad = t.requiresGrad;
  return moved;
}

export interface ToOptions {
  dtype?: DType;
  device?: Device;
}

type Dims = number | readonly number[];

declare module './tensor.ts' {
  interface Tensor {
    add(other: TensorLike, options?: { alpha?: number }): Tensor;
    sub(other: TensorLike, options?: { alpha?: number }): Tensor;
    mul(other: TensorLike): Tensor;
    div(other: TensorLike): Tensor;
    pow(exponent: TensorLike): Tensor;
    maximum(other: TensorLike): Tensor;
    minimum(other: TensorLike): Tensor;
    atan2(other: TensorLike): Tensor;
    remainder(other: TensorLike): Tensor;
    floorDivide(other: TensorLike): Tensor;
    eq(other: TensorLike): Tensor;
    ne(other: TensorLike): Tensor;
    lt(other: TensorLike): Tensor;
    le(other: TensorLike): Tensor;
    gt(other: TensorLike): Tensor;
    ge(other: TensorLike): Tensor;
    logicalAnd(other: TensorLike): Tensor;
    logicalOr(other: TensorLike): Tensor;
    logicalXor(other: TensorLike): Tensor;
    logicalNot(): Tensor;
    isnan(): Tensor;
    isinf(): Tensor;
    isfinite(): Tensor;
    neg(): Tensor;
    abs(): Tensor;
    sign(): Tensor;
    reciprocal(): Tensor;
    exp(): Tensor;
    log(): Tensor;
    log1p(): Tensor;
    expm1(): Tensor;
    sqrt(): Tensor;
    rsqrt(): Tensor;
    square(): Tensor;
    sin(): Tensor;
    cos(): Tensor;
    tanh(): Tensor;
    sigmoid(): Tensor;
    relu(): Tensor;
    erf(): Tensor;
    floor(): Tensor;
    ceil(): Tensor;
    round(): Tensor;
    trunc(): Tensor;
    leakyRelu(negativeSlope?: number): Tensor;
    elu(alpha?: number): Tensor;
    gelu(approximate?: 'none' | 'tanh'): Tensor;
    silu(): Tensor;
    softplus(beta?: number, threshold?: number): Tensor;
    clamp(min?: TensorLike | null, max?: TensorLike | null): Tensor;
    clip(min?: TensorLike | null, max?: TensorLike | null): Tensor;
    lerp(end: TensorLike, weight: TensorLike): Tensor;
    /** x.where(cond, other): x where cond holds, else other. */
    where(condition: Tensor, other: TensorLike): Tensor;
    sum(dim?: Dims, keepdim?: boolean): Tensor;
    mean(dim?: Dims, keepdim?: boolean): Tensor;
    var(dim?: Dims, options?: R.VarOptions): Tensor;
    std(dim?: Dims, options?: R.VarOptions): Tensor;
    prod(dim?: Dims, keepdim?: boolean): Tensor;
    amax(dim?: Dims, keepdim?: boolean): Tensor;
    amin(dim?: Dims, keepdim?: boolean): Tensor;
    max(): Tensor;
    max(dim: number, keepdim?: boolean): R.ValuesIndices;
    min(): Tensor;
    min(dim: number, keepdim?: boolean): R.ValuesIndices;
    argmax(dim?: number, keepdim?: boolean): Tensor;
    argmin(dim?: number, keepdim?: boolean): Tensor;
    logsumexp(dim: Dims, keepdim?: boolean): Tensor;
    softmax(dim: number): Tensor;
    logSoftmax(dim: number): Tensor;
    norm(p?: number, dim?: Dims, keepdim?: boolean): Tensor;
    cumsum(dim: number): Tensor;
    all(dim?: number, keepdim?: boolean): Tensor;
    any(dim?: number, keepdim?: boolean): Tensor;
    matmul(other: Tensor): Tensor;
    mm(other: Tensor): Tensor;
    bmm(other: Tensor): Tensor;
    dot(other: Tensor): Tensor;
    outer(other: Tensor): Tensor;
    view(...shape: number[] | [readonly number[]]): Tensor;
    reshape(...shape: number[] | [readonly number[]]): Tensor;
    flatten(startDim?: number, endDim?: number): Tensor;
    unflatten(dim: number, sizes: readonly number[]): Tensor;
    squeeze(dim?: Dims): Tensor;
    unsqueeze(dim: number): Tensor;
    transpose(dim0: number, dim1: number): Tensor;
    permute(...dims: number[] | [readonly number[]]): Tensor;
    t(): Tensor;
    readonly mT: Tensor;
    expand(...shape: number[] | [readonly number[]]): Tensor;
    expandAs(other: Tensor): Tensor;
    broadcastTo(shape: readonly number[]): Tensor;
    repeat(...repeats: number[] | [readonly number[]]): Tensor;
    split(splitSize: number | readonly number[], dim?: number): Tensor[];
    chunk(chunks: number, dim?: number): Tensor[];
    narrow(dim: number, start: number, length: number): Tensor;
    flip(dims: Dims): Tensor;
    roll(shifts: Dims, dims?: Dims): Tensor;
    tril(diagonal?: number): Tensor;
    triu(diagonal?: number): Tensor;
    contiguous(): Tensor;
    clone(): Tensor;
    detach(): Tensor;
    detach_(): Tensor;
    requiresGrad_(requiresGrad?: boolean): Tensor;
    retainGrad(): void;
    registerHook(hook: Hook): { remove(): void };
    backward(gradient?: Tensor, options?: BackwardOptions): void;
    index(...items: I.IndexItem[]): Tensor;
    indexPut(indices: readonly I.IndexItem[], values: TensorLike, accumulate?: boolean): Tensor;
    indexPut_(indices: readonly I.IndexItem[], values: TensorLike, accumulate?: boolean): Tensor;
    gather(dim: number, index: Tensor): Tensor;
    scatter(dim: number, index: Tensor, src: Tensor | number): Tensor;
    scatter_(dim: number, index: Tensor, src: Tensor | number): Tensor;
    scatterAdd(dim: number, index: Tensor, src: Tensor): Tensor;
    scatterAdd_(dim: number, index: Tensor, src: Tensor): Tensor;
    indexSelect(dim: number, index: Tensor): Tensor;
    indexAdd(dim: number, index: Tensor, src: Tensor, options?: { alpha?: number }): Tensor;
    indexAdd_(dim: number, index: Tensor, src: Tensor, options?: { alpha?: number }): Tensor;
    maskedFill(mask: Tensor, value: TensorLike): Tensor;
    maskedFill_(mask: Tensor, value: TensorLike): Tensor;
    take(index: Tensor): Tensor;
    nonzero(): Tensor;
    to(target: DType | Device | ToOptions): Tensor;
    /** Like to(), and also reads a GPU tensor back to the CPU. */
    toAsync(target: DType | Device | ToOptions): Promise<Tensor>;
    /** tolist() for tensors on any device. */
    tolistAsync(): Promise<unknown>;
    /** Frees the tensor's memory now on devices with explicit memory (WebGPU); a no-op on the CPU. */
    dispose(): void;
    float(): Tensor;
    double(): Tensor;
    int(): Tensor;
    bool(): Tensor;
    add_(other: TensorLike, options?: { alpha?: number }): Tensor;
    sub_(other: TensorLike, options?: { alpha?: number }): Tensor;
    mul_(other: TensorLike): Tensor;
    div_(other: TensorLike): Tensor;
    pow_(exponent: TensorLike): Tensor;
    zero_(): Tensor;
    fill_(value: TensorLike): Tensor;
    copy_(src: Tensor): Tensor;
    clamp_(min?: TensorLike | null, max?: TensorLike | null): Tensor;
    relu_(): Tensor;
    neg_(): Tensor;
    abs_(): Tensor;
    exp_(): Tensor;
    log_(): Tensor;
    sqrt_(): Tensor;
    sigmoid_(): Tensor;
    tanh_(): Tensor;
    lerp_(end: TensorLike, weight: TensorLike): Tensor;
    toString(): string;
  }
}

const proto = Tensor.prototype;
const shapeArgs = (args: number[] | [readonly number[]]): number[] =>
  Array.isArray(args[0]) ? [...(args[0] as readonly number[])] : (args as number[]);
const scaled = (other: TensorLike, alpha: number | undefined): TensorLike =>
  alpha === undefined || alpha === 1
    ? other
    : typeof other === 'number'
      ? other * alpha
      : B.mul(other as Tensor, alpha);

Object.assign(proto, {
  add(this: Tensor, o: TensorLike, opts?: { alpha?: number }) {
    return B.add(this, scaled(o, opts?.alpha));
  },
  sub(this: Tensor, o: TensorLike, opts?: { alpha?: number }) {
    return B.sub(this, scaled(o, opts?.alpha));
  },
  mul(this: Tensor, o: TensorLike) {
    return B.mul(this, o);
  },
  div(this: Tensor, o: TensorLike) {
    return B.div(this, o);
  },
  pow(this: Tensor, o: TensorLike) {
    return B.pow(this, o);
  },
  maximum(this: Tensor, o: TensorLike) {
    return B.maximum(this, o);
  },
  minimum(this: Tensor, o: TensorLike) {
    return B.minimum(this, o);
  },
  atan2(this: Tensor, o: TensorLike) {
    return B.atan2(this, o);
  },
  remainder(this: Tensor, o: TensorLike) {
    return C.remainder(this, o);
  },
  floorDivide(this: Tensor, o: TensorLike) {
    return C.floorDivide(this, o);
  },
  eq(this: Tensor, o: TensorLike) {
    return C.eq(this, o);
  },
  ne(this: Tensor, o: TensorLike) {
    return C.ne(this, o);
  },
  lt(this: Tensor, o: TensorLike) {
    return C.lt(this, o);
  },
  le(this: Tensor, o: TensorLike) {
    return C.le(this, o);
  },
  gt(this: Tensor, o: TensorLike) {
    return C.gt(this, o);
  },
  ge(this: Tensor, o: TensorLike) {
    return C.ge(this, o);
  },
  logicalAnd(this: Tensor, o: TensorLike) {
    return C.logicalAnd(this, o);
  },
  logicalOr(this: Tensor, o: TensorLike) {
    return C.logicalOr(this, o);
  },
  logicalXor(this: Tensor, o: TensorLike) {
    return C.logicalXor(this, o);
  },
  logicalNot(this: Tensor) {
    return C.logicalNot(this);
  },
  isnan(this: Tensor) {
    return C.isnan(this);
  },
  isinf(this: Tensor) {
    return C.isinf(this);
  },
  isfinite(this: Tensor) {
    return C.isfinite(this);
  },
  leakyRelu(this: Tensor, slope?: number) {
    return A.leakyRelu(this, slope);
  },
  elu(this: Tensor, alpha?: number) {
    return A.elu(this, alpha);
  },
  gelu(this: Tensor, approximate?: 'none' | 'tanh') {
    return A.gelu(this, approximate);
  },
  silu(this: Tensor) {
    return A.silu(this);
  },
  softplus(this: Tensor, beta?: number, threshold?: number) {
    return A.softplus(this, beta, threshold);
  },
  clamp(this: Tensor, min?: TensorLike | null, max?: TensorLike | null) {
    return A.clamp(this, min, max);
  },
  clip(this: Tensor, min?: TensorLike | null, max?: TensorLike | null) {
    return A.clamp(this, min, max);
  },
  lerp(this: Tensor, end: TensorLike, weight: TensorLike) {
    return A.lerp(this, end, weight);
  },
  where(this: Tensor, cond: Tensor, other: TensorLike) {
    return where(cond, this, other);
  },
  sum(this: Tensor, dim?: Dims, keepdim?: boolean) {
    return R.sum(this, dim, keepdim);
  },
  mean(this: Tensor, dim?: Dims, keepdim?: boolean) {
    return R.mean(this, dim, keepdim);
  },
  var(this: Tensor, dim?: Dims, opts?: R.VarOptions) {
    return R.var_(this, dim, opts);
  },
  std(this: Tensor, dim?: Dims, opts?: R.VarOptions) {
    return R.std(this, dim, opts);
  },
  prod(this: Tensor, dim?: Dims, keepdim?: boolean) {
    return R.prod(this, dim, keepdim);
  },
  amax(this: Tensor, dim?: Dims, keepdim?: boolean) {
    return R.amax(this, dim, keepdim);
  },
  amin(this: Tensor, dim?: Dims, keepdim?: boolean) {
    return R.amin(this, dim, keepdim);
  },
  max(this: Tensor, dim?: number, keepdim?: boolean) {
    return dim === undefined ? R.max(this) : R.max(this, dim, keepdim);
  },
  min(this: Tensor, dim?: number, keepdim?: boolean) {
    return dim === undefined ? R.min(this) : R.min(this, dim, keepdim);
  },
  argmax(this: Tensor, dim?: number, keepdim?: boolean) {
    return R.argmax(this, dim, keepdim);
  },
  argmin(this: Tensor, dim?: number, keepdim?: boolean) {
    return R.argmin(this, dim, keepdim);
  },
  logsumexp(this: Tensor, dim: Dims, keepdim?: boolean) {
    return R.logsumexp(this, dim, keepdim);
  },
  softmax(this: Tensor, dim: number) {
    return R.softmax(this, dim);
  },
  logSoftmax(this: Tensor, dim: number) {
    return R.logSoftmax(this, dim);
  },
  norm(this: Tensor, p?: number, dim?: Dims, keepdim?: boolean) {
    return R.norm(this, p, dim, keepdim);
  },
  cumsum(this: Tensor, dim: number) {
    return R.cumsum(this, dim);
  },
  all(this: Tensor, dim?: number, keepdim?: boolean) {
    return R.all(this, dim, keepdim);
  },
  any(this: Tensor, dim?: number, keepdim?: boolean) {
    return R.any(this, dim, keepdim);
  },
  matmul(this: Tensor, o: Tensor) {
    return L.matmul(this, o);
  },
  mm(this: Tensor, o: Tensor) {
    return L.mm(this, o);
  },
  bmm(this: Tensor, o: Tensor) {
    return L.bmm(this, o);
  },
  dot(this: Tensor, o: Tensor) {
    return L.dot(this, o);
  },
  outer(this: Tensor, o: Tensor) {
    return L.outer(this, o);
  },
  view(this: Tensor, ...shape: number[] | [readonly number[]]) {
    return S.view(this, shapeArgs(shape));
  },
  reshape(this: Tensor, ...shape: number[] | [readonly number[]]) {
    return S.reshape(this, shapeArgs(shape));
  },
  flatten(this: Tensor, s?: number, e?: number) {
    return S.flatten(this, s, e);
  },
  unflatten(this: Tensor, dim: number, sizes: readonly number[]) {
    return S.unflatten(this, dim, sizes);
  },
  squeeze(this: Tensor, dim?: Dims) {
    return S.squeeze(this, dim);
  },
  unsqueeze(this: Tensor, dim: number) {
    return S.unsqueeze(this, dim);
  },
  transpose(this: Tensor, a: number, b: number) {
    return S.transpose(this, a, b);
  },
  permute(this: Tensor, ...dims: number[] | [readonly number[]]) {
    return S.permute(this, shapeArgs(dims));
  },
  t(this: Tensor) {
    return S.t(this);
  },
  expand(this: Tensor, ...shape: number[] | [readonly number[]]) {
    return S.expand(this, shapeArgs(shape));
  },
  expandAs(this: Tensor, o: Tensor) {
    return S.expandAs(this, o);
  },
  broadcastTo(this: Tensor, shape: readonly number[]) {
    return S.broadcastTo(this, shape);
  },
  repeat(this: Tensor, ...r: number[] | [readonly number[]]) {
    return S.repeat(this, shapeArgs(r));
  },
  split(this: Tensor, size: number | readonly number[], dim?: number) {
    return S.split(this, size, dim);
  },
  chunk(this: Tensor, chunks: number, dim?: number) {
    return S.chunk(this, chunks, dim);
  },
  narrow(this: Tensor, dim: number, start: number, length: number) {
    return S.narrow(this, dim, start, length);
  },
  flip(this: Tensor, dims: Dims) {
    return S.flip(this, dims);
  },
  roll(this: Tensor, shifts: Dims, dims?: Dims) {
    return S.roll(this, shifts, dims);
  },
  tril(this: Tensor, d?: number) {
    return S.tril(this, d);
  },
  triu(this: Tensor, d?: number) {
    return S.triu(this, d);
  },
  contiguous(this: Tensor) {
    return contiguous(this);
  },
  clone(this: Tensor) {
    return clone(this);
  },
  index(this: Tensor, ...items: I.IndexItem[]) {
    return I.index(this, ...items);
  },
  gather(this: Tensor, dim: number, idx: Tensor) {
    return I.gather(this, dim, idx);
  },
  scatter(this: Tensor, dim: number, idx: Tensor, src: Tensor | number) {
    return I.scatter(this, dim, idx, src);
  },
  scatterAdd(this: Tensor, dim: number, idx: Tensor, src: Tensor) {
    return I.scatterAdd(this, dim, idx, src);
  },
  indexSelect(this: Tensor, dim: number, idx: Tensor) {
    return I.indexSelect(this, dim, idx);
  },
  indexAdd(this: Tensor, dim: number, idx: Tensor, src: Tensor, o?: { alpha?: number }) {
    return I.indexAdd(this, dim, idx, src, o?.alpha);
  },
  maskedFill(this: Tensor, mask: Tensor, value: TensorLike) {
    return where(mask, value, this);
  },
  take(this: Tensor, idx: Tensor) {
    return I.take(this, idx);
  },
  nonzero(this: Tensor) {
    return I.nonzero(this);
  },
  toString(this: Tensor) {
    return formatTensor(this);
  },
});

for (const op of Object.keys(U.UNARY) as (keyof typeof U.UNARY)[])
  (proto as unknown as Record<string, unknown>)[op] = function (this: Tensor) {
    return U.unary(op, this);
  };

Object.defineProperty(proto, 'mT', {
  get(this: Tensor) {
    return S.mT(this);
  },
});

// ---- autograd-related methods
Object.assign(proto, {
  detach(this: Tensor) {
    // Shares storage and version counter, but not the autograd history (nor a view base).
    return new Tensor(this.storage, [...this.shape], [...this.strides], this.offset);
  },
  detach_(this: Tensor) {
    this.gradFn = null;
    this.requiresGrad = false;
    return this;
  },
  requiresGrad_(this: Tensor, requiresGrad = true) {
    if (!this.isLeaf && !requiresGrad)
      throw new Error('requiresGrad_: you can only change requires_grad flags of leaf variables.');
    if (requiresGrad && !isFloating(this.dtype))
      throw new Error(`Only Tensors of floating point dtype can require gradients (got ${this.dtype})`);
    this.requiresGrad = requiresGrad;
    return this;
  },
  retainGrad(this: Tensor) {
    if (!this.requiresGrad)
      throw new Error("retainGrad: can't retain_grad on Tensor that has requires_grad=False");
    if (this.isLeaf || this.retainsGrad) return;
    this.retainsGrad = true;
    (this.gradFn!.retained ??= []).push(this);
  },
  registerHook(this: Tensor, hook: Hook) {
    if (!this.requiresGrad)
      throw new Error("registerHook: cannot register a hook on a tensor that doesn't require gradient");
    const list = this.gradFn ? (this.gradFn.preHooks ??= []) : (this.leafHooks ??= []);
    list.push(hook);
    return { remove: () => void list.splice(list.indexOf(hook) >>> 0, 1) };
  },
  backward(this: Tensor, gradient?: Tensor, options?: BackwardOptions) {
    backward(this, gradient, options);
  },
  to(this: Tensor, target: DType | Device | ToOptions) {
    const opts = toOptions(target);
    let out = opts.dtype ? cast(this, opts.dtype) : this;
    if (opts.device && opts.device !== out.device) {
      if (out.device !== 'cpu')
        throw new Error(
          `to('${opts.device}'): this tensor is on '${out.device}', whose memory can only be read asynchronously: use \`await t.toAsync('${opts.device}')\``,
        );
      out = moveTo(out, opts.device, out.dataSync());
    }
    return out;
  },
  async toAsync(this: Tensor, target: DType | Device | ToOptions) {
    const opts = toOptions(target);
    let out = opts.dtype ? cast(this, opts.dtype) : this;
    if (opts.device && opts.device !== out.device) out = moveTo(out, opts.device, await out.data());
    return out;
  },
  async tolistAsync(this: Tensor) {
    return nestedList(this, await this.data());
  },
  dispose(this: Tensor) {
    dispose(this);
  },
  float(this: Tensor) {
    return cast(this, 'float32');
  },
  double(this: Tensor) {
    return cast(this, 'float64');
  },
  int(this: Tensor) {
    return cast(this, 'int32');
  },
  bool(this: Tensor) {
    return cast(this, 'bool');
  },
});

// ---- in-place variants
Object.assign(proto, {
  add_(this: Tensor, o: TensorLike, opts?: { alpha?: number }) {
    return inplace('add_', this, (x) => B.add(x, scaled(o, opts?.alpha)));
  },
  sub_(this: Tensor, o: TensorLike, opts?: { alpha?: number }) {
    return inplace('sub_', this, (x) => B.sub(x, scaled(o, opts?.alpha)));
  },
  mul_(this: Tensor, o: TensorLike) {
    return inplace('mul_', this, (x) => B.mul(x, o));
  },
  div_(this: Tensor, o: TensorLike) {
    return inplace('div_', this, (x) => B.div(x, o));
  },
  pow_(this: Tensor, o: TensorLike) {
    return inplace('pow_', this, (x) => B.pow(x, o));
  },
  zero_(this: Tensor) {
    return inplace('zero_', this, (x) => filled([], 0, x.dtype, x.storage.backend));
  },
  fill_(this: Tensor, v: TensorLike) {
    return inplace('fill_', this, (x) =>
      v instanceof Tensor ? v : filled([], v, x.dtype, x.storage.backend),
    );
  },
  copy_(this: Tensor, src: Tensor) {
    return inplace('copy_', this, (x) => (src.dtype === x.dtype ? src : cast(src, x.dtype)));
  },
  clamp_(this: Tensor, min?: TensorLike | null, max?: TensorLike | null) {
    return inplace('clamp_', this, (x) => A.clamp(x, min, max));
  },
  lerp_(this: Tensor, end: TensorLike, weight: TensorLike) {
    return inplace('lerp_', this, (x) => A.lerp(x, end, weight));
  },
  indexPut(this: Tensor, items: readonly I.IndexItem[], v: TensorLike, acc?: boolean) {
    return I.indexPut(
      this,
      items,
      v instanceof Tensor ? v : filled([], v, this.dtype, this.storage.backend),
      acc,
    );
  },
  indexPut_(this: Tensor, items: readonly I.IndexItem[], v: TensorLike, acc?: boolean) {
    const values = v instanceof Tensor ? v : filled([], v, this.dtype, this.storage.backend);
    return inplace('indexPut_', this, (x) => I.indexPut(x, items, values, acc));
  },
  scatter_(this: Tensor, dim: number, idx: Tensor, src: Tensor | number) {
    return inplace('scatter_', this, (x) => I.scatter(x, dim, idx, src));
  },
  scatterAdd_(this: Tensor, dim: number, idx: Tensor, src: Tensor) {
    return inplace('scatterAdd_', this, (x) => I.scatterAdd(x, dim, idx, src));
  },
  indexAdd_(this: Tensor, dim: number, idx: Tensor, src: Tensor, o?: { alpha?: number }) {
    return inplace('indexAdd_', this, (x) => I.indexAdd(x, dim, idx, src, o?.alpha));
  },
  maskedFill_(this: Tensor, mask: Tensor, value: TensorLike) {
    return inplace('maskedFill_', this, (x) => where(mask, value, x));
  },
});

for (const op of ['relu', 'neg', 'abs', 'exp', 'log', 'sqrt', 'sigmoid', 'tanh'] as const)
  (proto as unknown as Record<string, unknown>)[`${op}_`] = function (this: Tensor) {
    return inplace(`${op}_`, this, (x) => U.unary(op, x));
  };
