// The negative log-likelihood of class indices over [N, C] float32 log-probabilities on the CPU,
// reduced by mean or sum, as one op. Composed (nn/losses.ts: gather, where, neg, mul, two sums,
// a division, and as many backwards) it was a dozen ops: most of a small model's step. Values
// and gradients are the composed ops' bit for bit: each float32 rounding where they round, the
// sums in float64 in row order rounded once, the gradient scattered onto +0s (so −0 is +0).
import type { Tensor } from '../tensor.ts';
import { apply, defineOp } from '../autograd/function.ts';
import { isGradEnabled } from '../autograd/grad-mode.ts';
import { fromBuffer } from './make.ts';
import { scatterRaw } from './gather.ts';
import { takeZeroedF32 } from '../backend/cpu/pool.ts';

interface Attrs {
  classes: number;
  /** Each row's class (0 for an ignored row, as the composed form's safe target). */
  target: Int32Array;
  /** Each row's weight as a float32 value: 0 for an ignored row, else weight[class] or 1. */
  weights: Float32Array;
  /** The weights' sum rounded to float32: the mean's divisor. */
  total: number;
  reduction: 'mean' | 'sum';
}

const f = Math.fround;

const NllLoss = defineOp<Attrs>({
  name: 'NllLoss',
  forward([x], { classes, target, weights, total, reduction }) {
    const v = x!.view_();
    const X = v.buffer as Float32Array;
    let sum = 0;
    for (let i = 0; i < target.length; i++) sum += f(-X[v.offset + i * classes + target[i]!]! * weights[i]!);
    const value = reduction === 'mean' ? f(f(sum) / total) : f(sum);
    const backend = x!.storage.backend;
    return fromBuffer(backend, backend.fromTypedArray(Float32Array.of(value), 'float32'), [], 'float32');
  },
  backward: (g, { attrs }) => [gradient(g, attrs)],
});

/** ∂loss/∂x: −g·w_i (÷ the weights' sum for the mean) at each row's class, +0 elsewhere. */
function gradient(g: Tensor, { classes, target, weights, total, reduction }: Attrs): Tensor {
  const n = target.length;
  const backend = g.storage.backend;
  if (isGradEnabled()) {
    // Wanted differentiable (a gradient of the gradient): the composed backward's own ops.
    const index = fromBuffer(backend, backend.fromTypedArray(target, 'int32'), [n, 1], 'int32');
    const w = fromBuffer(backend, backend.fromTypedArray(weights, 'float32'), [n], 'float32');
    const rows = (reduction === 'mean' ? g.div(total) : g).mul(w).neg().unsqueeze(1);
    const zeros = fromBuffer(backend, backend.alloc('float32', n * classes), [n, classes], 'float32');
    return scatterRaw(zeros, 1, index, rows, 'add');
  }
  const gv = g.view_();
  const G = (gv.buffer as Float32Array)[gv.offset]!;
  const scale = reduction === 'mean' ? f(G / total) : G;
  const out = takeZeroedF32(n * classes);
  for (let i = 0; i < n; i++) out[i * classes + target[i]!] = 0 + -f(scale * weights[i]!);
  return fromBuffer(backend, backend.fromTypedArray(out, 'float32'), [n, classes], 'float32');
}

/**
 * The loss of [N, C] float32 log-probabilities on the CPU against N classes (ignored rows given
 * weight 0), or null where the composed form serves (other shapes, devices, dtypes).
 */
export function fusedNllLoss(
  logProbs: Tensor,
  target: ArrayLike<number>,
  weightOf: (cls: number) => number,
  ignoreIndex: number,
  reduction: 'mean' | 'sum',
): Tensor | null {
  if (logProbs.device !== 'cpu' || logProbs.dtype !== 'float32' || logProbs.ndim !== 2) return null;
  if (!logProbs.isContiguous()) return null;
  const n = target.length;
  const rows = new Int32Array(n);
  const weights = new Float32Array(n);
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const t = target[i]!;
    const ignored = t === ignoreIndex;
    rows[i] = ignored ? 0 : t;
    weights[i] = ignored ? 0 : weightOf(t);
    sum += weights[i]!;
  }
  const attrs = { classes: logProbs.shape[1]!, target: rows, weights, total: f(sum), reduction };
  return apply(NllLoss, [logProbs], attrs);
}
