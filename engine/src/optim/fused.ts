// One-pass optimizer updates for dense float32 tensors. They do exactly the float32 roundings
// of the composed tensor ops they replace (every intermediate rounded with Math.fround, which
// matches an op that stores into a Float32Array), so results are bit-identical, without the
// dozen temporaries and passes over memory the composed form costs.
import type { SgdOptions } from './options.ts';
import type { Tensor } from '../tensor.ts';
import { residentMoments, wasmAdam } from '../backend/wasm/adam.ts';
import { fromBuffer } from '../ops/make.ts';

const f = Math.fround;
/**
 * Below this many values the copies into WebAssembly memory cost more than the SIMD saves. The
 * loop below costs ~6 ns a value (a square root and two divisions): from 4096 to 1024, the
 * char-RNN's Adam step (an embedding of 2,080 values among its parameters) went 92 → 68 µs.
 */
const WASM_MIN_LENGTH = 1024;

let enabled = true;
/** Turns the fused updates off (tests compare them with the composed ops they replace). */
export function setFusedOptimizers(on: boolean): void {
  enabled = on;
}

/** The float32 elements of a contiguous CPU tensor, or null when the fast path does not apply. */
function dense(t: Tensor): Float32Array | null {
  if (!enabled || t.dtype !== 'float32' || t.device !== 'cpu' || !t.isContiguous()) return null;
  return (t.storage.buffer as Float32Array).subarray(t.offset, t.offset + t.numel());
}

/**
 * Hands a fused update to the tensors' backend when it has one (the GPU): all dense float32 on
 * one backend. Returns false when the caller must compose ops instead.
 */
function onDevice(
  kind: 'adam' | 'sgd',
  [p, grad, s1, s2]: [Tensor, Tensor, Tensor | null, Tensor | null],
  flags: number,
  hyper: number[],
): boolean {
  const backend = p.storage.backend;
  if (!enabled || !backend.optimizerStep || grad.numel() !== p.numel()) return false;
  for (const t of [p, grad, s1, s2])
    if (t && (t.dtype !== 'float32' || t.storage.backend !== backend || !t.isContiguous())) return false;
  backend.optimizerStep(
    kind,
    [p.view_(), grad.view_(), s1?.view_() ?? null, s2?.view_() ?? null],
    flags,
    hyper,
  );
  for (const t of [p, s1, s2]) if (t) t.storage.version++;
  return true;
}

export interface AdamStep {
  beta1: number;
  beta2: number;
  lr: number;
  eps: number;
  weightDecay: number;
  decoupled: boolean;
  maximize: boolean;
  step: number;
}

/**
 * Adam's two moment buffers for p, zeros, living in a WebAssembly memory of their own when the
 * fused update will run on them (float32 on the CPU, large enough): then a step moves only p and
 * its gradient in and p out. Null otherwise (the caller makes ordinary zeros).
 */
export function residentZeros(p: Tensor): [Tensor, Tensor] | null {
  if (!enabled || p.dtype !== 'float32' || p.device !== 'cpu' || p.numel() < WASM_MIN_LENGTH) return null;
  const moments = residentMoments(p.numel());
  if (!moments) return null;
  const backend = p.storage.backend;
  const wrap = (a: Float32Array) =>
    fromBuffer(backend, backend.fromTypedArray(a, 'float32'), p.shape, 'float32');
  return [wrap(moments.m), wrap(moments.v)];
}

/** Adam/AdamW without amsgrad; false when a tensor is not dense float32 (the caller composes ops). */
export function fusedAdam(p: Tensor, grad: Tensor, expAvg: Tensor, expAvgSq: Tensor, o: AdamStep): boolean {
  const decay = f(1 - o.lr * o.weightDecay);
  const wd = f(o.weightDecay);
  const [b1, c1, b2, c2] = [f(o.beta1), f(1 - o.beta1), f(o.beta2), f(1 - o.beta2)];
  const bc2Sqrt = f(Math.sqrt(1 - o.beta2 ** o.step));
  const eps = f(o.eps);
  const stepSize = f(-o.lr / (1 - o.beta1 ** o.step));
  const coupledDecay = !o.decoupled && o.weightDecay !== 0;
  if (p.device !== 'cpu') {
    const flags = (o.maximize ? 1 : 0) | (o.decoupled ? 2 : 0) | (coupledDecay ? 4 : 0);
    return onDevice('adam', [p, grad, expAvg, expAvgSq], flags, [
      b1,
      c1,
      b2,
      c2,
      bc2Sqrt,
      eps,
      stepSize,
      decay,
      wd,
    ]);
  }
  const P = dense(p);
  const G = dense(grad);
  const M = dense(expAvg);
  const V = dense(expAvgSq);
  if (!P || !G || !M || !V || G.length !== P.length) return false;
  // How many values (from the first) the WebAssembly kernel updated; this loop does the rest.
  const viaWasm =
    P.length < WASM_MIN_LENGTH
      ? 0
      : wasmAdam(P, G, M, V, {
          maximize: o.maximize,
          decoupled: o.decoupled,
          coupledDecay,
          values: [b1, c1, b2, c2, bc2Sqrt, eps, stepSize, decay, wd],
        });
  for (let i = viaWasm; i < P.length; i++) {
    let g = o.maximize ? -G[i]! : G[i]!;
    let param = P[i]!;
    if (o.decoupled) param = f(param * decay);
    else if (coupledDecay) g = f(g + f(param * wd));
    const m = f(f(M[i]! * b1) + f(g * c1));
    const v = f(f(V[i]! * b2) + f(f(g * g) * c2));
    const denom = f(f(f(Math.sqrt(v)) / bc2Sqrt) + eps);
    M[i] = m;
    V[i] = v;
    P[i] = f(param + f(f(m / denom) * stepSize));
  }
  p.storage.version++;
  expAvg.storage.version++;
  expAvgSq.storage.version++;
  return true;
}

/**
 * SGD with momentum after its first step (the buffer exists); false when a tensor is not dense
 * float32.
 */
export function fusedSgd(p: Tensor, grad: Tensor, buffer: Tensor | null, o: SgdOptions): boolean {
  if (p.device !== 'cpu') {
    const flags =
      (o.maximize ? 1 : 0) |
      (o.weightDecay !== 0 ? 4 : 0) |
      (buffer ? 8 : 0) |
      (o.dampening === 0 ? 16 : 0) |
      (o.nesterov ? 32 : 0);
    const hyper = [f(o.weightDecay), f(o.momentum), f(1 - o.dampening), f(-o.lr)];
    return onDevice('sgd', [p, grad, buffer, null], flags, hyper);
  }
  const P = dense(p);
  const G = dense(grad);
  const B = buffer ? dense(buffer) : null;
  if (!P || !G || G.length !== P.length || (buffer && !B)) return false;
  const [wd, mom, keep, rate] = [f(o.weightDecay), f(o.momentum), f(1 - o.dampening), f(-o.lr)];
  for (let i = 0; i < P.length; i++) {
    let d = o.maximize ? -G[i]! : G[i]!;
    if (o.weightDecay !== 0) d = f(d + f(P[i]! * wd));
    if (B) {
      const b = f(f(B[i]! * mom) + (o.dampening === 0 ? d : f(d * keep)));
      B[i] = b;
      d = o.nesterov ? f(d + f(b * mom)) : b;
    }
    P[i] = f(P[i]! + (o.lr === -1 ? d : f(d * rate)));
  }
  p.storage.version++;
  if (buffer) buffer.storage.version++;
  return true;
}
