// Supplies the backward walk with the few tensor operations it needs (see autograd/engine-ops.ts).
import { installEngineOps } from './autograd/engine-ops.ts';
import { add } from './ops/binary.ts';
import { cast, clone } from './ops/cast.ts';
import { onesLike } from './ops/fill.ts';
import { sumRaw } from './ops/reduce.ts';
import { reshapeRaw } from './ops/views.ts';
import { inplace } from './inplace.ts';
import type { Tensor } from './tensor.ts';

/** Sums a broadcast gradient back to `shape`, or null when `shape` does not broadcast to t's. */
function sumToShape(t: Tensor, shape: readonly number[]): Tensor | null {
  const lead = t.ndim - shape.length;
  if (lead < 0) return null;
  const dims: number[] = [];
  for (let i = 0; i < t.ndim; i++) {
    const target = i < lead ? 1 : shape[i - lead]!;
    if (i < lead || (target === 1 && t.shape[i] !== 1)) dims.push(i);
    else if (target !== t.shape[i]) return null;
  }
  return reshapeRaw(dims.length ? sumRaw(t, dims, true) : t, shape);
}

installEngineOps({
  add,
  addInPlace: (target, value) => void inplace('add_', target, (x) => add(x, value)),
  sumToShape,
  cast,
  clone,
  onesLike: (t) => onesLike(t),
});
