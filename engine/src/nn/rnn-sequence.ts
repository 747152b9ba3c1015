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

interface Attrs {
  relu: boolean;
  /** The backward direction of a bidirectional layer: steps run from the last to the first. */
  reverse: boolean;
}

const RnnSequence = defineOp<Attrs>({
  name: 'RnnSequence',
  forward([xi, h0, weight, bias], { relu, reverse }, ctx) {
    const steps = xi!.shape[0]!;
    const seq: Tensor[] = new Array(steps);
    let h = h0!;
    for (let s = 0; s < steps; s++) {
      const t = reverse ? steps - 1 - s : s;
      const pre = xi!.index(t).add(linear(h, weight!, bias ?? null));
      h = relu ? pre.relu() : pre.tanh();
      seq[t] = h;
    }
    const out = stack(seq, 0);
    ctx.save(out, h0!, weight!);
    return out;
  },
  backward(g, { saved: [out, h0, weight], attrs: { relu, reverse }, needsInputGrad }) {
    const [steps, batch, hidden] = out!.shape as [number, number, number];
    const gpre: Tensor[] = new Array(steps);
    let gh: Tensor | null = null;
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
    ];
    return grads.slice(0, needsInputGrad.length);
  },
});

/**
 * All hidden states [T, B, H] of a tanh (or ReLU) RNN layer from its input projections xi
 * [T, B, H] (x·W_ihᵀ + b_ih), initial state h0 [B, H], and W_hh, b_hh.
 */
export function rnnSequence(
  xi: Tensor,
  h0: Tensor,
  weightHh: Tensor,
  biasHh: Tensor | null,
  attrs: Attrs,
): Tensor {
  return apply(RnnSequence, biasHh ? [xi, h0, weightHh, biasHh] : [xi, h0, weightHh], attrs);
}
