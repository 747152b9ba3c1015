// where(cond, a, b): picks a where cond is true, else b, with broadcasting of all three.
// The gradient flows to a where cond holds and to b elsewhere.
import { broadcastShapes } from '../shape.ts';
import type { Tensor } from '../tensor.ts';
import { apply, defineOp } from '../autograd/function.ts';
import { broadcastView, fromBuffer, kernelsOf, type TensorLike } from './make.ts';
import { asTensors, promotedDtype } from './promote.ts';
import { cast } from './cast.ts';

const Where = defineOp({
  name: 'Where',
  forward([cond, a, b], _attrs, ctx) {
    const shape = broadcastShapes('where', cond!.shape, a!.shape, b!.shape);
    const buffer = kernelsOf(a!).where(
      broadcastView(cond!, shape),
      broadcastView(a!, shape),
      broadcastView(b!, shape),
      a!.dtype,
    );
    ctx.save(cond!);
    return fromBuffer(a!.storage.backend, buffer, shape, a!.dtype);
  },
  backward: (g, { saved: [cond] }) => [null, where(cond!, g, 0), where(cond!, 0, g)],
});

export function where(cond: Tensor, a: TensorLike, b: TensorLike): Tensor {
  const dtype = promotedDtype(a, b);
  const [x, y] = asTensors(dtype, a, b) as [Tensor, Tensor];
  const c = cond.dtype === 'bool' ? cond : cast(cond, 'bool');
  return apply(Where, [c, x, y], undefined);
}
