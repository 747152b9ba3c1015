// A GRU cell's pointwise part as one op on the CPU (float32, WebAssembly): from xi = x·W_ihᵀ +
// b_ih and gh = h·W_hhᵀ + b_hh (gates r, z, n in PyTorch's order) and h, the next state
//   r = σ(xr + hr), z = σ(xz + hz), n = tanh(xn + r·hn), h' = (n − z·n) + z·h
// in one call forward and one backward (activations.wat), where the composed cell
// (nn/rnn-cells.ts) ran ~15 ops forward and ~25 back per step. Each value is rounded to float32
// where the composed ops round it and σ and tanh are the exact kernels', so the state is the
// composed cell's bit for bit, and so is each gradient the op returns (the sums in it have two
// terms: either order gives the same bits). A gradient's graph, when wanted, is built from the
// composed ops on the saved inputs. (The same loops in TypeScript were no faster than the
// composed ops: each float32 array access costs a conversion there.)
import type { Tensor } from '../tensor.ts';
import { apply, defineOp } from '../autograd/function.ts';
import { isGradEnabled } from '../autograd/grad-mode.ts';
import { fromBuffer } from './make.ts';
import { sigmoidBackward, tanhBackward } from './activation-grad.ts';
import { catRaw } from './cat.ts';
import {
  activationsAvailable,
  wasmGruBackward,
  wasmGruForward,
  type GruSaved,
  type MatrixRows,
} from '../backend/wasm/activations.ts';

/** A 2-D float32 tensor's rows (values within a row adjacent), or null. */
function rowsOf(t: Tensor): MatrixRows | null {
  if (t.ndim !== 2 || t.dtype !== 'float32' || (t.strides[1] !== 1 && t.shape[1] !== 1)) return null;
  const v = t.view_();
  if (!(v.buffer instanceof Float32Array)) return null;
  return { data: v.buffer, at: v.offset, pitch: t.shape[0] === 1 ? t.shape[1]! : t.strides[0]! };
}

interface Attrs {
  /** What the forward kept for the backward (set by the forward). */
  saved: GruSaved | null;
}

const GruCell = defineOp<Attrs>({
  name: 'GruCell',
  forward([xi, gh, h], attrs, ctx) {
    const [batch, hidden] = h!.shape as [number, number];
    const result = wasmGruForward(rowsOf(xi!)!, rowsOf(gh!)!, rowsOf(h!)!, batch, hidden);
    if (!result) throw new Error('GruCell: WebAssembly became unavailable between the check and the call');
    ctx.save(xi!, gh!, h!);
    attrs.saved = result.saved;
    const backend = h!.storage.backend;
    return fromBuffer(backend, backend.fromTypedArray(result.h, 'float32'), [batch, hidden], 'float32');
  },
  backward: (g, { attrs: { saved }, saved: [xi, gh, h] }) =>
    (!isGradEnabled() && saved && fastGrads(g, saved, h!)) || composedGrads(g, xi!, gh!, h!),
});

/** The gradients for xi, gh and h in one WebAssembly pass. */
function fastGrads(g: Tensor, saved: GruSaved, h: Tensor): Tensor[] | null {
  const [batch, hidden] = h.shape as [number, number];
  const grads = wasmGruBackward(rowsOf(g.contiguous())!, rowsOf(h)!, saved, batch, hidden);
  if (!grads) return null;
  const backend = g.storage.backend;
  const make = (values: Float32Array, width: number) =>
    fromBuffer(backend, backend.fromTypedArray(values, 'float32'), [batch, width], 'float32');
  return [make(grads.xi, 3 * hidden), make(grads.gh, 3 * hidden), make(grads.h, hidden)];
}

/** The same gradients from the composed ops, recomputing the gates: differentiable again. */
function composedGrads(g: Tensor, xi: Tensor, gh: Tensor, h: Tensor): Tensor[] {
  const [xr, xz, xn] = xi.chunk(3, -1) as [Tensor, Tensor, Tensor];
  const [hr, hz, hn] = gh.chunk(3, -1) as [Tensor, Tensor, Tensor];
  const r = xr.add(hr).sigmoid();
  const z = xz.add(hz).sigmoid();
  const n = xn.add(r.mul(hn)).tanh();
  const minus = g.neg();
  const da = tanhBackward(g.add(minus.mul(z)), n);
  const dz = g.mul(h).add(minus.mul(n));
  const dpr = sigmoidBackward(da.mul(hn), r);
  const dpz = sigmoidBackward(dz, z);
  return [catRaw([dpr, dpz, da], 1), catRaw([dpr, dpz, da.mul(r)], 1), g.mul(z)];
}

/**
 * The GRU step h' from xi [B, 3H], gh [B, 3H] and h [B, H] (float32 on the CPU, each row's
 * values adjacent, WebAssembly available), or null where the composed cell serves.
 */
export function fusedGruCell(xi: Tensor, gh: Tensor, h: Tensor): Tensor | null {
  if (xi.device !== 'cpu' || !rowsOf(xi) || !rowsOf(gh) || !rowsOf(h)) return null;
  const [batch, hidden] = h.shape as [number, number];
  const wide = [batch, 3 * hidden];
  if (xi.shape.some((d, i) => d !== wide[i]) || gh.shape.some((d, i) => d !== wide[i])) return null;
  if (!activationsAvailable()) return null;
  return apply(GruCell, [xi, gh, h], { saved: null });
}
