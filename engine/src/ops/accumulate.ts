// Adding a gradient into a sum the autograd walk owns, in place: the sum is computed with the
// add kernel and written back into the target's memory (bumping its version), with no autograd
// record. The same arithmetic as `target.add_(value)` under noGrad, so the bits are identical.
import { broadcastStrides } from '../shape.ts';
import type { Tensor } from '../tensor.ts';
import { noGrad } from '../autograd/grad-mode.ts';
import { add } from './binary.ts';
import { kernelsOf } from './make.ts';

export function addInto(target: Tensor, value: Tensor): void {
  const sum = noGrad(() => add(target, value));
  const src = {
    ...sum.view_(),
    shape: target.shape,
    strides: broadcastStrides(sum.shape, sum.strides, target.shape),
  };
  kernelsOf(target).copyInto(target.view_(), src);
  target.storage.version++;
}
