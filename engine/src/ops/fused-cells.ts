// The pointwise part of a GRU and an LSTM cell as one op each on the CPU (float32, WebAssembly),
// from xi = x·W_ihᵀ + b_ih and gh = h·W_hhᵀ + b_hh (gates in PyTorch's order):
//   GRU (r, z, n): r = σ(xr + hr), z = σ(xz + hz), n = tanh(xn + r·hn), h' = (n − z·n) + z·h
//   LSTM (i, f, g, o), gates = xi + gh: c' = σf·c + σi·tanh g, h' = σo·tanh c' (out: [h' | c'])
// in one call forward and one backward (activations.wat), where the composed cells
// (nn/rnn-cells.ts) ran ~15 ops forward and ~25 back per step. Each value is rounded to float32
// where the composed ops round it and σ and tanh are the exact kernels', so states are the
// composed cells' bit for bit, and so is each gradient the ops return (the sums in them have two
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
  wasmLstmBackward,
  wasmLstmForward,
  type GruSaved,
  type LstmSaved,
  type MatrixRows,
} from '../backend/wasm/activations.ts';

/** A 2-D float32 tensor's rows (values within a row adjacent), or null. */
function rowsOf(t: Tensor): MatrixRows | null {
  if (t.ndim !== 2 || t.dtype !== 'float32' || (t.strides[1] !== 1 && t.shape[1] !== 1)) return null;
  const v = t.view_();
  if (!(v.buffer instanceof Float32Array)) return null;
  return { data: v.buffer, at: v.offset, pitch: t.shape[0] === 1 ? t.shape[1]! : t.strides[0]! };
}

/** A new [rows, width] float32 tensor on `like`'s backend holding `values`. */
function matrix(like: Tensor, values: Float32Array, rows: number, width: number): Tensor {
  const backend = like.storage.backend;
  return fromBuffer(backend, backend.fromTypedArray(values, 'float32'), [rows, width], 'float32');
}

interface Attrs<S> {
  /** What the forward kept for the backward (set by the forward). */
  saved: S | null;
}

const GruCell = defineOp<Attrs<GruSaved>>({
  name: 'GruCell',
  forward([xi, gh, h], attrs, ctx) {
    const [batch, hidden] = h!.shape as [number, number];
    const result = wasmGruForward(rowsOf(xi!)!, rowsOf(gh!)!, rowsOf(h!)!, batch, hidden);
    if (!result) throw new Error('GruCell: WebAssembly became unavailable between the check and the call');
    ctx.save(xi!, gh!, h!);
    attrs.saved = result.saved;
    return matrix(h!, result.h, batch, hidden);
  },
  backward: (g, { attrs: { saved }, saved: [xi, gh, h] }) =>
    (!isGradEnabled() && saved && fastGrads(g, saved, h!)) || composedGrads(g, xi!, gh!, h!),
});

/** The gradients for xi, gh and h in one WebAssembly pass. */
function fastGrads(g: Tensor, saved: GruSaved, h: Tensor): Tensor[] | null {
  const [batch, hidden] = h.shape as [number, number];
  const grads = wasmGruBackward(rowsOf(g.contiguous())!, rowsOf(h)!, saved, batch, hidden);
  if (!grads) return null;
  return [
    matrix(g, grads.xi, batch, 3 * hidden),
    matrix(g, grads.gh, batch, 3 * hidden),
    matrix(g, grads.h, batch, hidden),
  ];
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

/** Whether xi and gh ([B, gates·H]) and the state s ([B, H]) can take a fused cell. */
function fusable(xi: Tensor, gh: Tensor, s: Tensor, gates: number): boolean {
  if (xi.device !== 'cpu' || !rowsOf(xi) || !rowsOf(gh) || !rowsOf(s)) return false;
  const wide = [s.shape[0]!, gates * s.shape[1]!];
  if (xi.shape.some((d, i) => d !== wide[i]) || gh.shape.some((d, i) => d !== wide[i])) return false;
  return activationsAvailable();
}

/**
 * The GRU step h' from xi [B, 3H], gh [B, 3H] and h [B, H] (float32 on the CPU, each row's
 * values adjacent, WebAssembly available), or null where the composed cell serves.
 */
export function fusedGruCell(xi: Tensor, gh: Tensor, h: Tensor): Tensor | null {
  return fusable(xi, gh, h, 3) ? apply(GruCell, [xi, gh, h], { saved: null }) : null;
}

const LstmCell = defineOp<Attrs<LstmSaved>>({
  name: 'LstmCell',
  forward([xi, gh, c], attrs, ctx) {
    const [batch, hidden] = c!.shape as [number, number];
    const result = wasmLstmForward(rowsOf(xi!)!, rowsOf(gh!)!, rowsOf(c!)!, batch, hidden);
    if (!result) throw new Error('LstmCell: WebAssembly became unavailable between the check and the call');
    ctx.save(xi!, gh!, c!);
    attrs.saved = result.saved;
    return matrix(c!, result.out, batch, 2 * hidden);
  },
  backward: (g, { attrs: { saved }, saved: [xi, gh, c] }) =>
    (!isGradEnabled() && saved && lstmFastGrads(g, saved, c!)) || lstmComposedGrads(g, xi!, gh!, c!),
});

/** The gates' gradient (for xi and gh alike) and c's, in one WebAssembly pass. */
function lstmFastGrads(g: Tensor, saved: LstmSaved, c: Tensor): Tensor[] | null {
  const [batch, hidden] = c.shape as [number, number];
  const grads = wasmLstmBackward(rowsOf(g.contiguous())!, rowsOf(c)!, saved, batch, hidden);
  if (!grads) return null;
  const gates = matrix(g, grads.gates, batch, 4 * hidden);
  return [gates, gates, matrix(g, grads.c, batch, hidden)];
}

/** The same gradients from the composed ops, recomputing the gates: differentiable again. */
function lstmComposedGrads(g: Tensor, xi: Tensor, gh: Tensor, c: Tensor): Tensor[] {
  const hidden = c.shape[1]!;
  const [i, f, gg, o] = xi.add(gh).chunk(4, -1) as [Tensor, Tensor, Tensor, Tensor];
  const [si, sf, tg, so] = [i.sigmoid(), f.sigmoid(), gg.tanh(), o.sigmoid()];
  const tc = sf.mul(c).add(si.mul(tg)).tanh();
  const [dh, dcIn] = [g.narrow(1, 0, hidden), g.narrow(1, hidden, hidden)];
  const dc = dcIn.add(tanhBackward(dh.mul(so), tc));
  const gates = catRaw(
    [
      sigmoidBackward(dc.mul(tg), si),
      sigmoidBackward(dc.mul(c), sf),
      tanhBackward(dc.mul(si), tg),
      sigmoidBackward(dh.mul(tc), so),
    ],
    1,
  );
  return [gates, gates, dc.mul(sf)];
}

/**
 * The LSTM step [h' | c'] ([B, 2H]) from xi and gh ([B, 4H]) and c ([B, H]) (float32 on the CPU,
 * each row's values adjacent, WebAssembly available), or null where the composed cell serves.
 */
export function fusedLstmCell(xi: Tensor, gh: Tensor, c: Tensor): Tensor | null {
  return fusable(xi, gh, c, 4) ? apply(LstmCell, [xi, gh, c], { saved: null }) : null;
}
