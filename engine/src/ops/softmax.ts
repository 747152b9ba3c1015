// Softmax and log-softmax along the last dim as primitives, for dense float32 rows on backends
// with a fused kernel (the CPU's WebAssembly one): the composed form runs six passes and three
// full-size temporaries, and measured 10× slower per value than an add. Forward values are
// bit-identical to the composed ops; the backward uses PyTorch's formulas.
import { isDense } from '../shape.ts';
import { apply, defineOp } from '../autograd/function.ts';
import type { Tensor } from '../tensor.ts';
import { mul, sub } from './binary.ts';
import { fromBufferLike } from './make.ts';
import { sumRaw } from './reduce.ts';
import { exp } from './unary.ts';
import { isGradEnabled } from '../autograd/grad-mode.ts';
import { giveBack, takeF32 } from '../backend/cpu/pool.ts';
import { wasmLogSoftmaxBackward } from '../backend/wasm/softmax.ts';

interface Attrs {
  /** The last dim (the rows the kernel normalises). */
  dim: number;
  /** The composed forward, for a backend whose kernel declines. */
  composed: (x: Tensor) => Tensor;
}

function fusedDef(name: string, log: boolean) {
  return defineOp<Attrs>({
    name,
    forward([x], attrs, ctx) {
      const backend = x!.storage.backend;
      const buffer = backend.softmaxRows?.(x!.view_(), log) ?? null;
      const out = buffer ? fromBufferLike(backend, buffer, x!, x!.dtype) : attrs.composed(x!);
      ctx.save(out);
      return out;
    },
    // softmax: y·(g − Σ g·y); log-softmax: g − exp(y)·Σ g.
    backward: (g, { saved: [y], attrs: { dim } }) => [
      onePass(g, y!, log) ??
        (log ? sub(g, mul(exp(y!), sumRaw(g, dim, true))) : mul(y!, sub(g, sumRaw(mul(g, y!), dim, true)))),
    ],
  });
}

const f = Math.fround;

/**
 * The backward above in one pass over each row, on the CPU for dense float32 (not when its graph
 * is wanted: then the composed ops, which are differentiable). Every step rounds to float32 where
 * the composed ops round (exp, the products, the differences; each row's sum in float64, rounded
 * once), so the values are the same bit for bit.
 */
function onePass(g: Tensor, y: Tensor, log: boolean): Tensor | null {
  if (isGradEnabled() || g.device !== 'cpu' || g.dtype !== 'float32' || y.dtype !== 'float32') return null;
  if (!g.isContiguous() || !y.isContiguous() || g.numel() !== y.numel()) return null;
  const n = y.shape[y.ndim - 1]!;
  const rows = n === 0 ? 0 : y.numel() / n;
  const [gv, yv] = [g.view_(), y.view_()];
  const [G, Y] = [gv.buffer as Float32Array, yv.buffer as Float32Array];
  const backend = y.storage.backend;
  const fast = log ? wasmLogSoftmaxBackward(G, gv.offset, Y, yv.offset, rows, n) : null;
  if (fast) return fromBufferLike(backend, backend.fromTypedArray(fast, 'float32'), y, 'float32');
  const out = takeF32(rows * n);
  // exp(y) for every value at once, rounded to float32 as the exp op rounds it.
  const E = log ? expOf(Y, yv.offset, rows * n) : null;
  for (let r = 0, gi = gv.offset, yi = yv.offset, o = 0; r < rows; r++, gi += n, yi += n, o += n) {
    let sum = 0;
    if (E) {
      for (let j = 0; j < n; j++) sum += G[gi + j]!;
      const s = f(sum);
      for (let j = 0; j < n; j++) out[o + j] = G[gi + j]! - f(E[o + j]! * s);
    } else {
      for (let j = 0; j < n; j++) sum += f(G[gi + j]! * Y[yi + j]!);
      const s = f(sum);
      for (let j = 0; j < n; j++) out[o + j] = Y[yi + j]! * f(G[gi + j]! - s);
    }
  }
  giveBack(E); // a scratch array: nothing holds it
  return fromBufferLike(backend, backend.fromTypedArray(out, 'float32'), y, 'float32');
}

function expOf(x: Float32Array, at: number, n: number): Float32Array {
  const e = takeF32(n);
  for (let i = 0; i < n; i++) e[i] = Math.exp(x[at + i]!);
  return e;
}

const Softmax = fusedDef('Softmax', false);
const LogSoftmax = fusedDef('LogSoftmax', true);

/** Whether x can take the fused kernel along `dim` (float32, dense, the last dim, enough values). */
export function fusable(x: Tensor, dim: number): boolean {
  if (x.dtype !== 'float32' || x.ndim === 0 || dim !== x.ndim - 1 || x.numel() < 256) return false;
  return x.storage.backend.softmaxRows !== undefined && isDense(x.shape, x.strides);
}

export const fusedSoftmax = (x: Tensor, dim: number, composed: (x: Tensor) => Tensor): Tensor =>
  apply(Softmax, [x], { dim, composed });
export const fusedLogSoftmax = (x: Tensor, dim: number, composed: (x: Tensor) => Tensor): Tensor =>
  apply(LogSoftmax, [x], { dim, composed });
