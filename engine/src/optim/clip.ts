// Gradient clipping: by total norm (returns the norm before clipping) and by value.
import { noGrad } from '../autograd/grad-mode.ts';
import { tensor } from '../creation.ts';
import type { Tensor } from '../tensor.ts';

export function clipGradNorm_(
  params: Tensor[],
  maxNorm: number,
  normType = 2,
  errorIfNonfinite = false,
): Tensor {
  return noGrad(() => {
    const grads = params.map((p) => p.grad).filter((g): g is Tensor => g !== null);
    if (grads.length === 0) return tensor(0, { dtype: 'float32' });
    const norms = grads.map((g) => g.norm(normType));
    const total =
      normType === Infinity
        ? norms.reduce((a, b) => a.maximum(b))
        : norms
            .reduce((a, b) => a.add(b.pow(normType)), tensor(0, { dtype: grads[0]!.dtype }))
            .pow(1 / normType);
    const value = total.item();
    if (errorIfNonfinite && !Number.isFinite(value))
      throw new Error(
        `clipGradNorm_: the total norm of order ${normType} for gradients is non-finite (${value}), so it cannot be clipped`,
      );
    // PyTorch clamps the coefficient at 1, so gradients under the limit are left unchanged in value.
    const coef = Math.min(maxNorm / (value + 1e-6), 1);
    for (const g of grads) g.mul_(coef);
    return total;
  });
}

export function clipGradValue_(params: Tensor[], clipValue: number): void {
  noGrad(() => {
    for (const p of params) if (p.grad) p.grad.clamp_(-clipValue, clipValue);
  });
}
