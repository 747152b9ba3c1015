// Concatenation along one dim: each input is copied into its window of the output; the
// gradient of each input is the matching slice of the output's gradient.
import { formatShape, numel } from '../shape.ts';
import type { Tensor } from '../tensor.ts';
import { apply, defineOp } from '../autograd/function.ts';
import { fromBuffer, kernelsOf } from './make.ts';
import { sliceRaw } from './views.ts';

interface CatAttrs {
  dim: number;
  sizes: number[];
}

const Cat = defineOp<CatAttrs>({
  name: 'Cat',
  forward(inputs, { dim, sizes }) {
    const first = inputs[0]!;
    const shape = [...first.shape];
    shape[dim] = sizes.reduce((a, b) => a + b, 0);
    const backend = first.storage.backend;
    const out = fromBuffer(backend, backend.alloc(first.dtype, numel(shape)), shape, first.dtype);
    let start = 0;
    inputs.forEach((t, i) => {
      const window = { ...out.view_(), shape: t.shape, offset: start * out.strides[dim]! };
      kernelsOf(t).copyInto(window, t.view_());
      start += sizes[i]!;
    });
    return out;
  },
  backward(g, { attrs: { dim, sizes } }) {
    let start = 0;
    return sizes.map((length) => {
      const slice = sliceRaw(g, { dim, start, length, step: 1 });
      start += length;
      return slice;
    });
  },
});

/** Concatenates tensors of one dtype whose shapes agree except along `dim` (already normalised). */
export function catRaw(tensors: readonly Tensor[], dim: number): Tensor {
  const first = tensors[0]!;
  for (const t of tensors) {
    const agrees = t.ndim === first.ndim && t.shape.every((d, i) => i === dim || d === first.shape[i]);
    if (!agrees)
      throw new Error(
        `cat: sizes of tensors must match except in dimension ${dim}: got ${formatShape(first.shape)} and ${formatShape(t.shape)}`,
      );
  }
  return apply(Cat, tensors, { dim, sizes: tensors.map((t) => t.shape[dim]!) });
}
