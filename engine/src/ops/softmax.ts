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
    backward: (g, { saved: [y], attrs: { dim } }) =>
      log ? [sub(g, mul(exp(y!), sumRaw(g, dim, true)))] : [mul(y!, sub(g, sumRaw(mul(g, y!), dim, true)))],
  });
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
