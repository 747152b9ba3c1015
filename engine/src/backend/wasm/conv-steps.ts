// One sample's share of a convolution's forward, input gradient or weight gradient, as a
// sequence of calls into sgemm.wat's kernels over addresses in WebAssembly memory. The calling
// thread runs it for every sample (conv.ts), or the threads split the samples between them
// (threads.ts: each runs its samples with its own scratch regions); the values are the same
// either way, since each sample's result comes from the same calls on the same operands.

import type { ConvKernel } from './sgemm-exports.ts';

/** Which result a plan computes. */
export const FORWARD = 0;
export const INPUT_GRAD = 1;
export const WEIGHT_GRAD = 2;
/** The weight gradient as g_p · im2col(x_p)ᵀ (few columns: the first layer of an image model). */
export const WEIGHT_GRAD_DIRECT = 3;

/**
 * A plan's slots (byte addresses and sizes, int32): what every sample's step reads. Scratch
 * regions S1..S4 belong to part 0; part q's are PART bytes further on.
 */
export const P = {
  KIND: 0,
  N: 1,
  /** The product's fixed operand A (the weight W, or Wᵀ), packed (sgemmP). */
  W: 2,
  X: 3,
  /** Bytes from one sample's input (or output gradient) to the next. */
  XS: 4,
  RUNS: 5,
  NRUNS: 6,
  C: 7,
  PLANE: 8,
  KL: 9,
  S1: 10,
  S2: 11,
  S3: 12,
  S4: 13,
  PART: 14,
  CK: 15,
  MP: 16,
  NP: 17,
  L: 18,
  /** The bias (−1: none). */
  BIAS: 19,
  O: 20,
  OUT: 21,
  /** Bytes from one sample's result to the next (0: one slot, read out after each sample). */
  OS: 22,
  G: 23,
  GS: 24,
  /** Scratch (part 0's; part q's PART bytes on) for a weight gradient's A, packed per sample. */
  PA: 25,
} as const;
export const PLAN_SLOTS = 26;

/** Sample p's step of plan P on kernel k, with part `part`'s scratch. */
export function convStep(k: ConvKernel, plan: ArrayLike<number>, p: number, part: number): void {
  // Plain reads, no closures: this runs once per sample.
  const shift = part * plan[P.PART]!;
  const [s1, s2, s3, s4, pa] = [
    plan[P.S1]! + shift,
    plan[P.S2]! + shift,
    plan[P.S3]! + shift,
    plan[P.S4]! + shift,
    plan[P.PA]! + shift,
  ];
  const out = plan[P.OUT]! + p * plan[P.OS]!;
  const [mp, np, L, o, CK] = [plan[P.MP]!, plan[P.NP]!, plan[P.L]!, plan[P.O]!, plan[P.CK]!];
  const [runs, nruns, c, plane, KL] = [
    plan[P.RUNS]!,
    plan[P.NRUNS]!,
    plan[P.C]!,
    plan[P.PLANE]!,
    plan[P.KL]!,
  ];
  const x = plan[P.X]! + p * plan[P.XS]!;
  const g = plan[P.G]! + p * plan[P.GS]!;
  switch (plan[P.KIND]) {
    case FORWARD:
      // out [mp, np] = W · im2col(x_p) (+ bias per row).
      k.im2col(x, runs, nruns, c, plane, KL, s1);
      k.panels(s1, s2, CK, np, L);
      k.sgemmP(plan[P.W]!, s2, out, mp, np, CK, np, np);
      if (plan[P.BIAS]! >= 0) k.addRows(out, plan[P.BIAS]!, o, np);
      return;
    case INPUT_GRAD:
      // dx_p += col2im(Wᵀ · g_p); the runs table reads the product's rows np apart.
      k.panels(g, s2, o, np, L);
      k.sgemmP(plan[P.W]!, s2, s3, mp, np, o, np, np);
      k.col2im(s3, runs, nruns, c, plane, KL, out);
      return;
    case WEIGHT_GRAD:
      // out [np, CK] = (im2col(x_p) · g_pᵀ)ᵀ: its first o rows are the sample's dW. g_pᵀ's
      // panels come straight from g_p (panelsT reads up to 7 rows past it: g has slack rows).
      k.im2col(x, runs, nruns, c, plane, KL, s1);
      k.panelsT(g, s3, L, np, L);
      k.packA(s1, pa, CK, L, L);
      k.sgemmP(pa, s3, s4, mp, np, L, np, np);
      k.transpose(s4, out, CK, np, CK);
      return;
    case WEIGHT_GRAD_DIRECT:
      // out [mp, np] = g_p · im2col(x_p)ᵀ: g_p packed (its padding rows zero), the columns'
      // transpose as panels.
      k.im2col(x, runs, nruns, c, plane, KL, s1);
      k.panelsT(s1, s2, L, np, L);
      k.packA(g, pa, o, L, L);
      k.sgemmP(pa, s2, out, mp, np, L, np, np);
      return;
  }
}
