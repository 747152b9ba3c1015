// CosineSimilarity and PairwiseDistance with their F forms, PyTorch 1.13's formulas (the norms
// clamped before their roots, so a zero vector has a finite gradient).
import { pyArgs, is, type PyRest } from '../args.ts';
import type { Tensor } from '../tensor.ts';
import { Module } from './module.ts';
import { triuIndices } from '../functional/builders.ts';

/**
 * Σ x1·x2 / (max(‖x1‖, eps)·max(‖x2‖, eps)) along `dim`, broadcasting x1 and x2. The norms are
 * clamped before their roots, so a zero vector gets a finite gradient (not 0·∞), as in PyTorch.
 */
export function cosineSimilarity(
  x1: Tensor,
  x2: Tensor,
  ...rest: PyRest<[dim: number, eps: number], { dim?: number; eps?: number }>
): Tensor {
  const { dim = 1, eps = 1e-8 } = pyArgs<{ dim: number; eps: number }>(
    'cosineSimilarity',
    ['dim', 'eps'],
    rest,
    {
      dim: is.int,
      eps: is.positive,
    },
  );
  const norm = (t: Tensor) =>
    t
      .mul(t)
      .sum(dim)
      .clamp(eps * eps)
      .sqrt();
  return x1
    .mul(x2)
    .sum(dim)
    .div(norm(x1).mul(norm(x2)));
}

/** ‖x1 − x2 + eps‖_p along the last dim (PyTorch's pairwise_distance). */
export function pairwiseDistance(
  x1: Tensor,
  x2: Tensor,
  ...rest: PyRest<[p: number, eps: number, keepdim: boolean], { p?: number; eps?: number; keepdim?: boolean }>
): Tensor {
  const {
    p = 2,
    eps = 1e-6,
    keepdim = false,
  } = pyArgs<{ p: number; eps: number; keepdim: boolean }>(
    'pairwiseDistance',
    ['p', 'eps', 'keepdim'],
    rest,
    { p: is.nonNegative, eps: is.nonNegative, keepdim: is.bool },
  );
  return x1.sub(x2).add(eps).norm(p, -1, keepdim);
}

export class CosineSimilarity extends Module {
  readonly dim: number;
  readonly eps: number;
  constructor(...rest: PyRest<[dim: number, eps: number], { dim?: number; eps?: number }>) {
    super();
    const o = pyArgs<{ dim: number; eps: number }>('CosineSimilarity', ['dim', 'eps'], rest, {
      dim: is.int,
      eps: is.positive,
    });
    [this.dim, this.eps] = [o.dim ?? 1, o.eps ?? 1e-8];
  }
  forward(x1: Tensor, x2: Tensor): Tensor {
    return cosineSimilarity(x1, x2, this.dim, this.eps);
  }
}

export class PairwiseDistance extends Module {
  readonly p: number;
  readonly eps: number;
  readonly keepdim: boolean;
  constructor(
    ...rest: PyRest<
      [p: number, eps: number, keepdim: boolean],
      { p?: number; eps?: number; keepdim?: boolean }
    >
  ) {
    super();
    const o = pyArgs<{ p: number; eps: number; keepdim: boolean }>(
      'PairwiseDistance',
      ['p', 'eps', 'keepdim'],
      rest,
      {
        p: is.nonNegative,
        eps: is.nonNegative,
        keepdim: is.bool,
      },
    );
    [this.p, this.eps, this.keepdim] = [o.p ?? 2, o.eps ?? 1e-6, o.keepdim ?? false];
  }
  forward(x1: Tensor, x2: Tensor): Tensor {
    return pairwiseDistance(x1, x2, this.p, this.eps, this.keepdim);
  }
}

/** The p-norm distances between the rows of x [N, M], for every pair i < j in order (torch.nn.functional.pdist). */
export function pdist(x: Tensor, p = 2): Tensor {
  if (x.ndim !== 2) throw new Error(`pdist only supports 2D tensors, got: ${x.ndim}D`);
  if (!(p >= 0)) throw new Error(`pdist only supports non-negative p values`);
  const n = x.shape[0]!;
  const [rows, cols] = triuIndices(n, n, 1).unbind(0) as [Tensor, Tensor];
  return x.indexSelect(0, rows).sub(x.indexSelect(0, cols)).norm(p, -1);
}
