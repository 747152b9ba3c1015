// Batch normalisation with the batch's own statistics (training mode) as one op on the CPU for
// float32 (WebAssembly over the arena: backend/wasm/batchnorm.ts), PyTorch's native_batch_norm.
// Composed from tensor ops it ran about ten passes over the input forward and fifteen back, with
// a full-size temporary for most: 40 ms of a 64×16×28×28 BatchNorm2d's forward and backward
// against PyTorch's 3. The forward's values (and the statistics the running averages take) are
// the composed ops' bit for bit; the backward is PyTorch's formula, in two passes. When a graph
// of the backward is wanted (create_graph), the same formula from differentiable ops serves.
// Also here: eval mode's normalisation with the running statistics (one pass where no gradient
// is wanted), and layer and group norm's statistics, which are batch norm's over another view.
import type { Tensor } from '../tensor.ts';
import { apply, defineOp } from '../autograd/function.ts';
import { isGradEnabled } from '../autograd/grad-mode.ts';
import { fromBuffer, fromBufferLike } from './make.ts';
import {
  batchNormStats,
  wasmBatchNormApply,
  wasmBatchNormAvailable,
  wasmBatchNormBackward,
  wasmBatchNormForward,
  type BatchNormSaved,
  type Block,
} from '../backend/wasm/batchnorm.ts';

interface Attrs {
  eps: number;
  /** Whether inputs 1 and 2 are there (x, then the weight and the bias when given). */
  weight: boolean;
  bias: boolean;
  /** What the forward's kernels left for the backward (null: the composed forward ran). */
  saved: BatchNormSaved | null;
  /** Each channel's mean and biased variance, [C] (set by the forward). */
  stats: Stats | null;
}

interface Stats {
  mean: Tensor;
  variance: Tensor;
}

/** t (dense float32 on the CPU, [n, C, …]) as the kernels' block. */
function blockOf(t: Tensor): Block {
  const v = t.view_();
  const [n, C] = [t.shape[0]!, t.shape[1]!];
  return { data: v.buffer as Float32Array, at: v.offset, n, C, L: n * C === 0 ? 0 : t.numel() / (n * C) };
}

/** A 1-D float32 tensor's values (C of them). */
const valuesOf = (t: Tensor | null): ArrayLike<number> | null => (t ? t.dataSync() : null);

const NativeBatchNorm = defineOp<Attrs>({
  name: 'NativeBatchNorm',
  forward(inputs, attrs, ctx) {
    const x = inputs[0]!;
    const weight = attrs.weight ? inputs[1]! : null;
    const bias = attrs.bias ? inputs[attrs.weight ? 2 : 1]! : null;
    ctx.save(x, weight);
    const result = wasmBatchNormForward(blockOf(x), valuesOf(weight), valuesOf(bias), attrs.eps);
    if (!result) {
      // No room in the arena: the composed ops (the same values).
      const { out, ...stats } = composedBatchNorm(x, weight, bias, attrs.eps);
      attrs.stats = stats;
      return out;
    }
    attrs.saved = result.saved;
    const backend = x.storage.backend;
    const C = x.shape[1]!;
    const { mean, variance } = batchNormStats(result.saved);
    attrs.stats = {
      mean: fromBuffer(backend, backend.fromTypedArray(mean, 'float32'), [C], 'float32'),
      variance: fromBuffer(backend, backend.fromTypedArray(variance, 'float32'), [C], 'float32'),
    };
    return fromBufferLike(backend, backend.fromTypedArray(result.out, 'float32'), x, 'float32');
  },
  backward(g, { attrs, saved: [x, weight], needsInputGrad }) {
    const fast = !isGradEnabled() && attrs.saved && fastGrads(g, x!, attrs.saved, needsInputGrad[0]!);
    const grads = fast || composedGrads(g, x!, weight ?? null, attrs.eps);
    const [input, weightGrad, biasGrad] = grads as [Tensor | null, Tensor, Tensor];
    return [input, ...(attrs.weight ? [weightGrad] : []), ...(attrs.bias ? [biasGrad] : [])];
  },
});

/** The three gradients (input, weight, bias) in two WebAssembly passes, or null. */
function fastGrads(g: Tensor, x: Tensor, saved: BatchNormSaved, input: boolean): (Tensor | null)[] | null {
  const dense = g.contiguous();
  const grads = wasmBatchNormBackward(blockOf(dense), blockOf(x), saved, input);
  if (!grads) return null;
  const backend = x.storage.backend;
  const C = x.shape[1]!;
  return [
    grads.input && fromBufferLike(backend, backend.fromTypedArray(grads.input, 'float32'), x, 'float32'),
    fromBuffer(backend, backend.fromTypedArray(grads.weight, 'float32'), [C], 'float32'),
    fromBuffer(backend, backend.fromTypedArray(grads.bias, 'float32'), [C], 'float32'),
  ];
}

/**
 * The same gradients from differentiable ops, the statistics recomputed from x:
 * dx = (g − ḡ − x̂·mean(g·x̂)) · weight / std, dweight = Σ g·x̂, dbias = Σ g.
 */
function composedGrads(g: Tensor, x: Tensor, weight: Tensor | null, eps: number): Tensor[] {
  const { dims, view } = layout(x);
  const count = x.numel() / x.shape[1]!;
  const std = x.var(dims, { correction: 0, keepdim: true }).add(eps).sqrt();
  const xhat = x.sub(x.mean(dims, true)).div(std);
  const sumG = g.sum(dims, true);
  const sumGX = g.mul(xhat).sum(dims, true);
  const scale = weight ? weight.reshape(view).div(std) : std.reciprocal();
  const input = g
    .sub(sumG.div(count))
    .sub(xhat.mul(sumGX.div(count)))
    .mul(scale);
  return [input, sumGX.reshape(-1), sumG.reshape(-1)];
}

/** Each channel's dims and x's shape with every other dim 1 (the statistics' view). */
function layout(x: Tensor): { dims: number[]; view: number[] } {
  return {
    dims: x.shape.map((_, i) => i).filter((i) => i !== 1),
    view: x.shape.map((d, i) => (i === 1 ? d : 1)),
  };
}

/** (x − mean) / sqrt(variance + eps) · weight + bias, mean and variance in the statistics' view. */
function normalizeBy(
  x: Tensor,
  mean: Tensor,
  variance: Tensor,
  weight: Tensor | null,
  bias: Tensor | null,
  eps: number,
): Tensor {
  const { view } = layout(x);
  let out = x.sub(mean).div(variance.add(eps).sqrt());
  if (weight) out = out.mul(weight.reshape(view));
  if (bias) out = out.add(bias.reshape(view));
  return out;
}

/** Batch normalisation with the batch's statistics from tensor ops, and the statistics ([C]). */
export function composedBatchNorm(
  x: Tensor,
  weight: Tensor | null,
  bias: Tensor | null,
  eps: number,
): { out: Tensor } & Stats {
  const { dims } = layout(x);
  const mean = x.mean(dims, true);
  const variance = x.var(dims, { correction: 0, keepdim: true });
  const out = normalizeBy(x, mean, variance, weight, bias, eps);
  return { out, mean: mean.reshape(-1), variance: variance.reshape(-1) };
}

/** Whether a 1-D parameter of C values can go with a fused x. */
const fitsParameter = (t: Tensor | null, C: number): boolean =>
  t === null || (t.device === 'cpu' && t.dtype === 'float32' && t.ndim === 1 && t.shape[0] === C);

/**
 * Batch normalisation of x ([n, C, …]) with the batch's statistics, and the statistics (each
 * channel's mean and biased variance, [C]) for the running averages: one op for float32 on the
 * CPU where WebAssembly and the arena are there, the composed ops elsewhere.
 */
export function batchNormTraining(
  x: Tensor,
  weight: Tensor | null,
  bias: Tensor | null,
  eps: number,
): { out: Tensor } & Stats {
  const C = x.shape[1]!;
  const fusable =
    x.device === 'cpu' &&
    x.dtype === 'float32' &&
    x.numel() > 0 &&
    fitsParameter(weight, C) &&
    fitsParameter(bias, C) &&
    wasmBatchNormAvailable();
  if (!fusable) return composedBatchNorm(x, weight, bias, eps);
  const attrs: Attrs = { eps, weight: weight !== null, bias: bias !== null, saved: null, stats: null };
  const inputs = [x.contiguous(), ...(weight ? [weight] : []), ...(bias ? [bias] : [])];
  const out = apply(NativeBatchNorm, inputs, attrs);
  return { out, ...attrs.stats! };
}

/**
 * Batch normalisation with given statistics ([C]: eval mode's running mean and variance). Where
 * no gradient is wanted (validation, inference), the normalising kernel on the CPU for float32
 * (the composed values bit for bit, one pass instead of four); else the composed ops.
 */
export function batchNormEval(
  x: Tensor,
  mean: Tensor,
  variance: Tensor,
  weight: Tensor | null,
  bias: Tensor | null,
  eps: number,
): Tensor {
  const C = x.shape[1]!;
  const operands = [x, mean, variance, weight, bias];
  const fusable =
    x.device === 'cpu' &&
    x.dtype === 'float32' &&
    x.numel() > 0 &&
    [mean, variance, weight, bias].every((t) => fitsParameter(t, C)) &&
    !(isGradEnabled() && operands.some((t) => t?.requiresGrad)) &&
    wasmBatchNormAvailable();
  const dense = fusable ? x.contiguous() : x;
  const out =
    fusable &&
    wasmBatchNormApply(
      blockOf(dense),
      mean.dataSync(),
      variance.dataSync(),
      valuesOf(weight),
      valuesOf(bias),
      eps,
    );
  if (!out) {
    const { view } = layout(x);
    return normalizeBy(x, mean.reshape(view), variance.reshape(view), weight, bias, eps);
  }
  const backend = x.storage.backend;
  return fromBufferLike(backend, backend.fromTypedArray(out, 'float32'), dense, 'float32');
}

/**
 * (x − mean) / sqrt(variance + eps) with the statistics over the trailing k dims (layer norm's;
 * group norm's over [n, groups, rest]):
 * on the CPU for float32, the batch-norm op on x viewed as one sample whose channels are the rows
 * (the same roundings, so the composed values bit for bit, and its two-pass backward); elsewhere
 * the composed ops.
 */
export function standardizeTrailing(x: Tensor, k: number, eps: number): Tensor {
  const N = x.shape.slice(x.ndim - k).reduce((a, b) => a * b, 1);
  const rows = N === 0 ? 0 : x.numel() / N;
  if (x.device === 'cpu' && x.dtype === 'float32' && rows > 0 && wasmBatchNormAvailable())
    return batchNormTraining(x.reshape([1, rows, N]), null, null, eps).out.reshape(x.shape);
  const dims = x.shape.map((_, i) => i).slice(x.ndim - k);
  const mean = x.mean(dims, true);
  const variance = x.var(dims, { correction: 0, keepdim: true });
  return x.sub(mean).div(variance.add(eps).sqrt());
}
