// One time step of each recurrent cell, written with engine ops (gates in PyTorch's order:
// GRU r, z, n; LSTM i, f, g, o). `xi` is x·W_ihᵀ + b_ih, precomputed for all steps at once.
import type { Tensor } from '../tensor.ts';
import { linear } from './functional.ts';
import { fusedGruCell, fusedLstmCell } from '../ops/fused-cells.ts';

export type RnnMode = 'RNN_TANH' | 'RNN_RELU' | 'GRU' | 'LSTM';

export interface CellWeights {
  weightHh: Tensor;
  biasHh: Tensor | null;
}

export function rnnStep(mode: 'RNN_TANH' | 'RNN_RELU', xi: Tensor, h: Tensor, w: CellWeights): Tensor {
  const pre = xi.add(linear(h, w.weightHh, w.biasHh));
  return mode === 'RNN_TANH' ? pre.tanh() : pre.relu();
}

export function gruStep(xi: Tensor, h: Tensor, w: CellWeights): Tensor {
  const gh = linear(h, w.weightHh, w.biasHh);
  // On the CPU the gates and the update as one op (ops/fused-cells.ts), the same values.
  const fused = fusedGruCell(xi, gh, h);
  if (fused) return fused;
  const [xr, xz, xn] = xi.chunk(3, -1) as [Tensor, Tensor, Tensor];
  const [hr, hz, hn] = gh.chunk(3, -1) as [Tensor, Tensor, Tensor];
  const r = xr.add(hr).sigmoid();
  const z = xz.add(hz).sigmoid();
  const n = xn.add(r.mul(hn)).tanh();
  // h' = (1 − z)·n + z·h
  return n.sub(z.mul(n)).add(z.mul(h));
}

export function lstmStep(xi: Tensor, h: Tensor, c: Tensor, w: CellWeights): [Tensor, Tensor] {
  const gh = linear(h, w.weightHh, w.biasHh);
  // On the CPU the gates and the update as one op (ops/fused-cells.ts), the same values.
  const fused = fusedLstmCell(xi, gh, c);
  const hidden = c.shape[c.ndim - 1]!;
  if (fused) return [fused.narrow(1, 0, hidden), fused.narrow(1, hidden, hidden)];
  const gates = xi.add(gh);
  const [i, f, g, o] = gates.chunk(4, -1) as [Tensor, Tensor, Tensor, Tensor];
  const cNext = f.sigmoid().mul(c).add(i.sigmoid().mul(g.tanh()));
  const hNext = o.sigmoid().mul(cNext.tanh());
  return [hNext, cNext];
}
