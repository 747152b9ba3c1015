// The backwards of ReLU, tanh and sigmoid from their saved output, as PyTorch's
// threshold_backward, tanh_backward and sigmoid_backward: one pass over float32 on the CPU
// (the per-timestep cells of an RNN and every ReLU layer run them each step), elsewhere the
// composed ops, which the fused loops equal bit for bit (each step rounded to float32 as the
// composed ops round it). Each is linear in g and differentiable again.
import type { Tensor } from '../tensor.ts';
import { apply, defineOp, type OpDef } from '../autograd/function.ts';
import { fromBufferLike } from './make.ts';
import { takeF32 } from '../backend/cpu/pool.ts';
import { wasmActivationGrad, wasmThreshold } from '../backend/wasm/elementwise.ts';
import { gt } from './compare.ts';
import { where } from './where.ts';
import { mul, sub } from './binary.ts';

interface Attrs {
  threshold: number;
}

const fused = (g: Tensor, out: Tensor): boolean =>
  g.device === 'cpu' &&
  g.dtype === 'float32' &&
  out.dtype === 'float32' &&
  g.isContiguous() &&
  out.isContiguous() &&
  g.shape.length === out.shape.length &&
  g.shape.every((d, i) => d === out.shape[i]);

function thresholdKernel(g: Tensor, out: Tensor, threshold: number): Tensor {
  const gv = g.view_();
  const ov = out.view_();
  const G = gv.buffer as Float32Array;
  const n = g.numel();
  const backend = g.storage.backend;
  // SIMD on WebAssembly: the copies in and out cost less than this scalar loop over 3 MB.
  const fast = wasmThreshold(G, gv.offset, ov.buffer as Float32Array, ov.offset, n, threshold);
  if (fast) return fromBufferLike(backend, backend.fromTypedArray(fast, 'float32'), g, 'float32');
  // Branch-free (signs of activations are a coin flip for the branch predictor): g's bits are
  // kept under an all-ones mask, so NaN and −0 pass exactly and a masked entry is +0, as where().
  const bits = new Int32Array(G.buffer, G.byteOffset + gv.offset * 4, n);
  const O = (ov.buffer as Float32Array).subarray(ov.offset, ov.offset + n);
  const values = takeF32(n);
  const r = new Int32Array(values.buffer, 0, n);
  for (let i = 0; i < n; i++) r[i] = bits[i]! & -(O[i]! > threshold);
  return fromBufferLike(backend, backend.fromTypedArray(values, 'float32'), g, 'float32');
}

/**
 * g laid out densely when it is a float32 CPU gradient of out's shape that is not (a sum's or a
 * mean's gradient arrives expanded from one value): one copy, then the one-pass kernel, instead
 * of a generic compare and select over every value.
 */
const denseGrad = (g: Tensor, out: Tensor): Tensor =>
  g.device === 'cpu' &&
  g.dtype === 'float32' &&
  !g.isContiguous() &&
  g.shape.length === out.shape.length &&
  g.shape.every((d, i) => d === out.shape[i])
    ? g.contiguous()
    : g;

const ThresholdBackward: OpDef<Attrs> = defineOp<Attrs>({
  name: 'ThresholdBackward',
  forward([g, out], { threshold }, ctx) {
    ctx.save(out!);
    const dense = denseGrad(g!, out!);
    return fused(dense, out!) ? thresholdKernel(dense, out!, threshold) : where(gt(out!, threshold), g!, 0);
  },
  // Linear in g; the output only selects (its gradient is zero almost everywhere).
  backward: (gg, { saved: [out], attrs }) => [apply(ThresholdBackward, [gg, out!], attrs), null],
});

/** g where out > threshold, else 0 (ReLU's backward with threshold 0). */
export function thresholdBackward(g: Tensor, out: Tensor, threshold = 0): Tensor {
  return apply(ThresholdBackward, [g, out], { threshold });
}

const f = Math.fround;

/**
 * tanh's or sigmoid's backward in one float32 pass over two dense operands of one shape:
 * WebAssembly SIMD from 1,024 values, else a loop per op (one call site per formula, so each
 * stays inlined).
 */
function activationGradKernel(op: 'tanh' | 'sigmoid', g: Tensor, y: Tensor): Tensor {
  const gv = g.view_();
  const yv = y.view_();
  const n = g.numel();
  const [G, Y] = [gv.buffer as Float32Array, yv.buffer as Float32Array];
  const backend = g.storage.backend;
  const fast = wasmActivationGrad(op, G, gv.offset, Y, yv.offset, n);
  if (fast) return fromBufferLike(backend, backend.fromTypedArray(fast, 'float32'), g, 'float32');
  const r = takeF32(n);
  const [a, b] = [gv.offset, yv.offset];
  // g·(1 − y²) and g·(y·(1 − y)), rounded as mul(g, sub(1, mul(y, y))) and
  // mul(g, mul(y, sub(1, y))) round.
  if (op === 'tanh') for (let i = 0; i < n; i++) r[i] = G[a + i]! * f(1 - f(Y[b + i]! * Y[b + i]!));
  else for (let i = 0; i < n; i++) r[i] = G[a + i]! * f(Y[b + i]! * f(1 - Y[b + i]!));
  return fromBufferLike(backend, backend.fromTypedArray(r, 'float32'), g, 'float32');
}

const TanhBackward: OpDef = defineOp({
  name: 'TanhBackward',
  forward([g, y], _attrs, ctx) {
    ctx.save(g!, y!);
    return fused(g!, y!) ? activationGradKernel('tanh', g!, y!) : mul(g!, sub(1, mul(y!, y!)));
  },
  // ∂/∂g: the same rule; ∂/∂y: −2·y·g.
  backward: (gg, { saved: [g, y] }) => [
    apply(TanhBackward, [gg, y!], undefined),
    mul(mul(gg, g!), mul(y!, -2)),
  ],
});

/** tanh's backward from its output y: g·(1 − y²). */
export const tanhBackward = (g: Tensor, y: Tensor): Tensor => apply(TanhBackward, [g, y], undefined);

const SigmoidBackward: OpDef = defineOp({
  name: 'SigmoidBackward',
  forward([g, y], _attrs, ctx) {
    ctx.save(g!, y!);
    return fused(g!, y!) ? activationGradKernel('sigmoid', g!, y!) : mul(g!, mul(y!, sub(1, y!)));
  },
  // ∂/∂g: the same rule; ∂/∂y: g·(1 − 2y).
  backward: (gg, { saved: [g, y] }) => [
    apply(SigmoidBackward, [gg, y!], undefined),
    mul(mul(gg, g!), sub(1, mul(y!, 2))),
  ],
});

/** sigmoid's backward from its output y: g·y·(1 − y). */
export const sigmoidBackward = (g: Tensor, y: Tensor): Tensor => apply(SigmoidBackward, [g, y], undefined);
