// gradcheck: compares autograd's gradients with central finite differences in float64,
// element by element; gradgradcheck does the same for the gradients themselves.
import { isFloating } from './dtype.ts';
import type { Tensor } from './tensor.ts';
import { grad } from './autograd/engine.ts';
import { tensor } from './creation.ts';

export interface GradcheckOptions {
  eps?: number;
  atol?: number;
  rtol?: number;
  /** Throw on mismatch (default) or return false. */
  raiseException?: boolean;
}

type Fn = (...inputs: Tensor[]) => Tensor | Tensor[];

const outputsOf = (out: Tensor | Tensor[]): Tensor[] => (Array.isArray(out) ? out : [out]);

/** Sum of all outputs, each weighted by a fixed pseudo-random tensor so that every output matters. */
function weights(outputs: Tensor[]): Tensor[] {
  return outputs.map((o, k) => {
    const n = o.numel();
    const data = new Float64Array(n).map((_, i) => 0.3 + (((i * 7919 + k * 104729) % 97) / 97) * 0.9);
    return tensor(data, { shape: o.shape, dtype: o.dtype });
  });
}

function scalarize(outputs: Tensor[], w: Tensor[]): Tensor {
  let total: Tensor | null = null;
  outputs.forEach((o, k) => {
    if (!isFloating(o.dtype)) return;
    const term = o.mul(w[k]!).sum();
    total = total ? total.add(term) : term;
  });
  if (!total) throw new Error('gradcheck: the function returned no floating-point outputs');
  return total;
}

export function gradcheck(fn: Fn, inputs: Tensor[], options: GradcheckOptions = {}): boolean {
  const { eps = 1e-6, atol = 1e-5, rtol = 1e-3, raiseException = true } = options;
  for (const [i, x] of inputs.entries())
    if (x.requiresGrad && x.dtype !== 'float64')
      throw new Error(
        `gradcheck: input ${i} is ${x.dtype}; gradcheck needs float64 inputs for accurate finite differences`,
      );
  const differentiable = inputs.filter((x) => x.requiresGrad);
  const firstOutputs = outputsOf(fn(...inputs));
  const w = weights(firstOutputs);
  const total = scalarize(firstOutputs, w);
  // An output that does not depend on the inputs (the gradient of a linear map) has zero gradient.
  const analytic = total.requiresGrad
    ? grad(total, differentiable, { allowUnused: true })
    : differentiable.map(() => null);

  for (const [k, x] of differentiable.entries()) {
    const values = x.dataSync() as Float64Array;
    const numeric = new Float64Array(values.length);
    for (let e = 0; e < values.length; e++) {
      const evalAt = (delta: number): number => {
        const shifted = values.slice();
        shifted[e]! += delta;
        // Inputs keep requiresGrad so that fn may itself differentiate (gradgradcheck).
        const probe = tensor(shifted, { shape: x.shape, dtype: 'float64', requiresGrad: true });
        const args = inputs.map((t) => (t === x ? probe : t.detach().requiresGrad_(t.requiresGrad)));
        return scalarize(outputsOf(fn(...args)), w).item();
      };
      numeric[e] = (evalAt(eps) - evalAt(-eps)) / (2 * eps);
    }
    const a = analytic[k] ? analytic[k].dataSync() : new Float64Array(values.length);
    for (let e = 0; e < values.length; e++) {
      const diff = Math.abs(a[e]! - numeric[e]!);
      if (!(diff <= atol + rtol * Math.abs(numeric[e]!))) {
        if (!raiseException) return false;
        throw new Error(
          `gradcheck: Jacobian mismatch for input ${inputs.indexOf(x)} at flat index ${e}: analytical ${a[e]} vs numerical ${numeric[e]}`,
        );
      }
    }
  }
  return true;
}

/** Checks second derivatives: the gradient function itself passes gradcheck. */
export function gradgradcheck(fn: Fn, inputs: Tensor[], options: GradcheckOptions = {}): boolean {
  const gradFn = (...args: Tensor[]): Tensor[] => {
    const outs = outputsOf(fn(...args));
    const w = weights(outs);
    const diffArgs = args.filter((_, i) => inputs[i]!.requiresGrad);
    return grad(scalarize(outs, w), diffArgs, { createGraph: true, allowUnused: true }).map(
      (g, i) => g ?? diffArgs[i]!.mul(0),
    );
  };
  return gradcheck(gradFn, inputs, options);
}
