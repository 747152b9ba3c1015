// In-place operations with PyTorch's safety rules. The new value is computed out of place,
// written into the tensor's memory (views see it through shared storage), and the version
// counter is bumped so that backward can detect stale saved tensors. For autograd the tensor
// takes on the new value's identity; a modified view rebases its base (PyTorch's CopySlices).
import { category } from './dtype.ts';
import { broadcastStrides, formatShape } from './shape.ts';
import type { Tensor } from './tensor.ts';
import { apply, defineOp } from './autograd/function.ts';
import { isGradEnabled } from './autograd/grad-mode.ts';
import { cast, clone } from './ops/cast.ts';
import { expandRaw } from './ops/views.ts';
import { where } from './ops/where.ts';
import { filled } from './ops/fill.ts';
import { kernelsOf, viewOf } from './ops/make.ts';

interface Region {
  shape: number[];
  strides: number[];
  offset: number;
}

/** base with `region` replaced by the second input: gradient split between the two. */
const CopySlices = defineOp<Region>({
  name: 'CopySlices',
  forward: ([base]) => base!,
  backward: (g, { attrs }) => {
    const gradBase = g.clone();
    const zeros = filled(attrs.shape, 0, g.dtype, g.storage.backend);
    kernelsOf(gradBase).copyInto({ ...gradBase.view_(), ...attrs }, zeros.view_());
    const gradRegion = viewOf(g.contiguous(), attrs.shape, attrs.strides, attrs.offset).clone();
    return [gradBase, gradRegion];
  },
});

/** The view `region` of base, as a differentiable op (its backward places g into zeros). */
const AsStrided = defineOp<Region & { baseShape: number[] }>({
  name: 'AsStrided',
  forward: ([base], attrs) => viewOf(base!, attrs.shape, attrs.strides, attrs.offset),
  backward: (g, { attrs }) => {
    const out = filled(attrs.baseShape, 0, g.dtype, g.storage.backend);
    kernelsOf(out).copyInto(
      { ...out.view_(), shape: attrs.shape, strides: attrs.strides, offset: attrs.offset },
      g.view_(),
    );
    return [out];
  },
});

function checkInplace(op: string, x: Tensor): void {
  if (!isGradEnabled()) return;
  if (x.isLeaf && x.requiresGrad && x.base === null)
    throw new Error(`${op}: a leaf Variable that requires grad is being used in an in-place operation.`);
  if (x.base !== null && x.base.isLeaf && x.base.requiresGrad)
    throw new Error(
      `${op}: a view of a leaf Variable that requires grad is being used in an in-place operation.`,
    );
}

/**
 * Replaces x's values by compute(x). The result must broadcast to x's shape and its dtype
 * must be castable to x's without moving to a higher category (float into int is refused).
 */
export function inplace(op: string, x: Tensor, compute: (current: Tensor) => Tensor): Tensor {
  checkInplace(op, x);
  // The op's backward may need x's value from before the write (PyTorch's original_self), so
  // under grad mode it computes from a copy; the copy's gradient flows to x's old identity.
  let result = compute(isGradEnabled() ? clone(x) : x);
  if (category(result.dtype) > category(x.dtype))
    throw new Error(`${op}: result type ${result.dtype} can't be cast to the desired output type ${x.dtype}`);
  const target = x.shape;
  const lead = target.length - result.ndim;
  const fits = lead >= 0 && result.shape.every((d, i) => d === 1 || d === target[lead + i]);
  if (!fits)
    throw new Error(
      `${op}: output with shape ${formatShape(target)} doesn't match the broadcast shape ${formatShape(result.shape)}`,
    );
  const recording = isGradEnabled() && (x.requiresGrad || result.requiresGrad);
  if (recording && !result.requiresGrad && x.requiresGrad) {
    // The new value does not depend on x, but x keeps requiring grad (with zero gradient).
    result = where(filled([], false, 'bool', x.storage.backend), x, result);
  }
  if (recording) result = cast(expandRaw(result, target), x.dtype);

  const src = {
    ...result.view_(),
    shape: target,
    strides: broadcastStrides(result.shape, result.strides, target),
  };
  kernelsOf(x).copyInto(x.view_(), src);
  x.storage.version++;

  if (recording) rebase(x, result);
  return x;
}

/** Gives x the autograd identity of `value` (which now holds in x's memory). */
function rebase(x: Tensor, value: Tensor): void {
  const base = x.base;
  if (base === null) {
    x.gradFn = value.gradFn;
    x.requiresGrad = true;
    return;
  }
  const region: Region = { shape: [...x.shape], strides: [...x.strides], offset: x.offset };
  const newBase = apply(CopySlices, [base, value], region);
  base.gradFn = newBase.gradFn;
  base.requiresGrad = true;
  const newView = apply(AsStrided, [base], { ...region, baseShape: [...base.shape] });
  x.gradFn = newView.gradFn;
  x.requiresGrad = true;
}
