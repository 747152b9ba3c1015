// gather / scatter / scatterAdd along one dim: the primitives behind advanced indexing,
// indexSelect, indexAdd, take and indexPut_. They are each other's adjoints.
import { formatShape } from '../shape.ts';
import type { Tensor } from '../tensor.ts';
import { apply, defineOp } from '../autograd/function.ts';
import { fromBuffer, kernelsOf } from './make.ts';
import { zerosLike } from './fill.ts';

interface DimAttrs {
  dim: number;
}

const Gather = defineOp<DimAttrs & { index: Tensor }>({
  name: 'Gather',
  forward([x], { dim, index }, ctx) {
    ctx.save(x!);
    const buffer = kernelsOf(x!).gather(x!.view_(), dim, index.view_());
    return fromBuffer(x!.storage.backend, buffer, index.shape, x!.dtype);
  },
  backward: (g, { attrs: { dim, index }, saved: [x] }) => [
    scatterRaw(zerosLike(x!, g.dtype), dim, index, g, 'add'),
  ],
});

const Scatter = defineOp<DimAttrs & { index: Tensor; mode: 'set' | 'add' }>({
  name: 'Scatter',
  forward([base, src], { dim, index, mode }) {
    const buffer = kernelsOf(base!).scatter(base!.view_(), dim, index.view_(), src!.view_(), mode);
    return fromBuffer(base!.storage.backend, buffer, base!.shape, base!.dtype);
  },
  // Overwritten positions give no gradient to base (set mode); src gets what lands on it.
  backward: (g, { attrs: { dim, index, mode } }) => [
    mode === 'add' ? g : scatterRaw(g, dim, index, zerosLike(index, g.dtype), 'set'),
    gatherRaw(g, dim, index),
  ],
});

function checkIndex(op: string, x: Tensor, dim: number, index: Tensor): void {
  if (index.dtype !== 'int64' && index.dtype !== 'int32')
    throw new Error(`${op}: expected index to be an int64 (or int32) tensor, got ${index.dtype}`);
  if (index.ndim !== x.ndim && !(x.ndim === 0 && index.ndim <= 1))
    throw new Error(
      `${op}: index ${formatShape(index.shape)} must have the same number of dimensions as input ${formatShape(x.shape)}`,
    );
  index.shape.forEach((d, i) => {
    if (i !== dim && d > (x.shape[i] ?? 1))
      throw new Error(
        `${op}: size of index ${formatShape(index.shape)} exceeds input ${formatShape(x.shape)} in dimension ${i}`,
      );
  });
}

export function gatherRaw(x: Tensor, dim: number, index: Tensor): Tensor {
  checkIndex('gather', x, dim, index);
  return apply(Gather, [x], { dim, index });
}

export function scatterRaw(
  base: Tensor,
  dim: number,
  index: Tensor,
  src: Tensor,
  mode: 'set' | 'add',
): Tensor {
  checkIndex(mode === 'add' ? 'scatterAdd' : 'scatter', base, dim, index);
  return apply(Scatter, [base, src], { dim, index, mode });
}
