// A tanh or ReLU RNN layer's time loop as one autograd op, as PyTorch's fused RNN runs it. The
// forward runs the cells h_t = act(xi_t + h_{t−1}·W_hhᵀ + b_hh) step by step; the backward runs
// backpropagation through time itself and forms the recurrent weight's and bias's gradients over
// all steps at once (one [H, T·B]·[T·B, H] product and one sum) instead of a small product, a
// bias sum and an accumulation per step, and without an autograd node per step. Its backward is
// made of differentiable ops, so gradients of gradients work.
import { apply, defineOp } from '../autograd/function.ts';
import type { Tensor } from '../tensor.ts';
import { cat, stack } from '../functional/shape.ts';
import { tanhBackward, thresholdBackward } from '../ops/activation-grad.ts';
import { linear } from './functional.ts';
import { isGradEnabled } from '../autograd/grad-mode.ts';
import { fromBuffer } from '../ops/make.ts';
import { values } from '../ops/im2col.ts';
import { rnnBackward, rnnForward, type Dense, type Rows } from '../backend/wasm/recurrent.ts';

interface Attrs {
  relu: boolean;
  /** The backward direction of a bidirectional layer: steps run from the last to the first. */
  reverse: boolean;
  /**
   * The layer is batch-first: its states (and xi's gradient) are stored [B, T, H] and seen
   * [T, B, H] through a transpose, so that the layer's output, transposed back, and the input
   * projection's gradient are contiguous without a copy. (Values are the same either way.)
   */
  batchFirst?: boolean;
}

const RnnSequence = defineOp<Attrs>({
  name: 'RnnSequence',
  forward([xi, h0, weight, bias, xBias], { relu, reverse, batchFirst = false }, ctx) {
    const fast = forwardLoop(xi!, xBias ?? null, h0!, weight!, bias ?? null, relu, reverse, batchFirst);
    if (fast) {
      ctx.save(fast, h0!, weight!);
      return fast;
    }
    const steps = xi!.shape[0]!;
    const seq: Tensor[] = new Array(steps);
    let h = h0!;
    for (let s = 0; s < steps; s++) {
      const t = reverse ? steps - 1 - s : s;
      const x = xBias ? xi!.index(t).add(xBias) : xi!.index(t);
      const pre = x.add(linear(h, weight!, bias ?? null));
      h = relu ? pre.relu() : pre.tanh();
      seq[t] = h;
    }
    const out = stack(seq, 0);
    ctx.save(out, h0!, weight!);
    return out;
  },
  backward(g, { saved: [out, h0, weight], attrs: { relu, reverse, batchFirst = false }, needsInputGrad }) {
    const [steps, batch, hidden] = out!.shape as [number, number, number];
    const fast = isGradEnabled()
      ? null
      : backwardLoop(g, out!, h0!, weight!, relu, reverse, needsInputGrad, batchFirst);
    if (fast) return fast.slice(0, needsInputGrad.length);
    let gh: Tensor | null = null;
    const gpre: Tensor[] = new Array(steps);
    for (let s = steps - 1; s >= 0; s--) {
      const t = reverse ? steps - 1 - s : s;
      const gt: Tensor = gh ? g.index(t).add(gh) : g.index(t);
      const ht = out!.index(t);
      gpre[t] = relu ? thresholdBackward(gt, ht) : tanhBackward(gt, ht);
      // The first step's product is the initial state's gradient: only when it is wanted.
      gh = s > 0 || needsInputGrad[1] ? gpre[t]!.matmul(weight!) : null;
    }
    const G = stack(gpre, 0);
    // Each step's previous state, in time order.
    const first = h0!.unsqueeze(0);
    const previous =
      steps === 1
        ? first
        : reverse
          ? cat([out!.narrow(0, 1, steps - 1), first], 0)
          : cat([first, out!.narrow(0, 0, steps - 1)], 0);
    const rows = G.reshape(steps * batch, hidden);
    const grads = [
      needsInputGrad[0] ? G : null,
      needsInputGrad[1] ? gh : null,
      needsInputGrad[2] ? rows.t().matmul(previous.reshape(steps * batch, hidden)) : null,
      needsInputGrad[3] ? G.sum([0, 1]) : null,
      needsInputGrad[4] ? G.sum([0, 1]) : null,
    ];
    return grads.slice(0, needsInputGrad.length);
  },
});

/** A dense float32 CPU tensor's values and where they start; null for anything else. */
function dense(t: Tensor): Dense | null {
  if (t.device !== 'cpu' || t.dtype !== 'float32' || !t.isContiguous()) return null;
  const v = t.view_();
  return { data: v.buffer as Float32Array, at: v.offset };
}

const wrap = (like: Tensor, values: Float32Array, shape: readonly number[]): Tensor =>
  fromBuffer(like.storage.backend, like.storage.backend.fromTypedArray(values, 'float32'), shape, 'float32');

/** [T, B, H] values stored time-major, or batch-first and seen through a transpose. */
function sequence(like: Tensor, values: Float32Array, batchFirst: boolean): Tensor {
  const [steps, batch, hidden] = like.shape as [number, number, number];
  return batchFirst
    ? wrap(like, values, [batch, steps, hidden]).transpose(0, 1)
    : wrap(like, values, like.shape);
}

/** A float32 CPU [T, B, H] tensor whose rows of H are contiguous (any other strides); else null. */
function rows(t: Tensor): Rows | null {
  if (t.device !== 'cpu' || t.dtype !== 'float32') return null;
  const v = t.view_();
  if (v.strides[2] !== 1 && t.shape[2] !== 1) return null;
  return { data: v.buffer as Float32Array, at: v.offset, strides: [v.strides[0]!, v.strides[1]!] };
}

/**
 * The forward loop on the CPU in WebAssembly (backend/wasm/recurrent.ts): per value
 * act(xi + (h·W_hhᵀ + b)), rounded as the composed ops round. Null where it does not apply.
 */
function forwardLoop(
  xi: Tensor,
  xBias: Tensor | null,
  h0: Tensor,
  w: Tensor,
  bias: Tensor | null,
  relu: boolean,
  reverse: boolean,
  batchFirst: boolean,
) {
  const [steps, batch, hidden] = xi.shape as [number, number, number];
  const [X, H0, B, XB] = [rows(xi), dense(h0), bias ? dense(bias) : null, xBias ? dense(xBias) : null];
  if (
    !X ||
    !H0 ||
    (bias && !B) ||
    (xBias && !XB) ||
    w.dtype !== 'float32' ||
    w.device !== 'cpu' ||
    steps === 0
  )
    return null;
  const out = rnnForward(X, XB, H0, w.t().view_(), B, steps, batch, hidden, relu, reverse, batchFirst);
  return out && sequence(xi, out, batchFirst);
}

/**
 * The backward on the CPU in WebAssembly (backend/wasm/recurrent.ts): per step the incoming
 * gradient plus the next step's, through the activation's derivative (as tanh_backward /
 * threshold_backward round it), times W_hh for the step before; then W_hh's and b_hh's
 * gradients over all steps. The gradients of [xi, h0, W_hh, b_hh] (null where not wanted), or
 * null where this path does not apply.
 */
function backwardLoop(
  g: Tensor,
  out: Tensor,
  h0: Tensor,
  w: Tensor,
  relu: boolean,
  reverse: boolean,
  needs: readonly boolean[],
  batchFirst: boolean,
): (Tensor | null)[] | null {
  const [steps, batch, hidden] = out.shape as [number, number, number];
  const [Y, H0] = [rows(out), dense(h0)];
  if (!Y || !H0 || w.dtype !== 'float32' || w.device !== 'cpu' || g.device !== 'cpu' || g.dtype !== 'float32')
    return null;
  const want = { h0: needs[1]!, weight: needs[2]!, bias: (needs[3] ?? false) || (needs[4] ?? false) };
  // g as it comes when its rows are contiguous (a batch-first layer's output gradient arrives
  // transposed: read row by row), else a contiguous copy.
  const G = rows(g) ?? { ...values(g), strides: [batch * hidden, hidden] as const };
  const r = rnnBackward(G, Y, H0, w.view_(), steps, batch, hidden, relu, reverse, want, batchFirst);
  if (!r) return null;
  return [
    needs[0] ? sequence(out, r.pre, batchFirst) : null,
    r.h0 && wrap(out, r.h0, [batch, hidden]),
    r.weight && wrap(out, r.weight, [hidden, hidden]),
    r.bias && needs[3] ? wrap(out, r.bias, [hidden]) : null,
    // b_ih's gradient is b_hh's (both add to every step's pre-activation): the same sums.
    r.bias && needs[4] ? wrap(out, r.bias.slice(), [hidden]) : null,
  ];
}

/**
 * All hidden states [T, B, H] of a tanh (or ReLU) RNN layer from its input projections xi
 * [T, B, H] (x·W_ihᵀ, plus b_ih: in xi, or given as biasIh, which the loop adds to each step as
 * the projection's add would, saving that op a pass over the sequence), initial state h0 [B, H],
 * and W_hh, b_hh.
 */
export function rnnSequence(
  xi: Tensor,
  h0: Tensor,
  weightHh: Tensor,
  biasHh: Tensor | null,
  attrs: Attrs,
  biasIh: Tensor | null = null,
): Tensor {
  if (biasIh && !biasHh) throw new Error('rnnSequence: b_ih without b_hh (nn.RNN has both or neither)');
  const inputs = biasHh ? [xi, h0, weightHh, biasHh] : [xi, h0, weightHh];
  return apply(RnnSequence, biasIh ? [...inputs, biasIh] : inputs, attrs);
}
