// Reduction primitives: sum, prod, amax, amin over a set of dims. Kernels drop the reduced
// dims; keepdim is a view on top. Gradients are expanded back over the reduced dims.
import type { ReduceOp } from '../backend/types.ts';
import { isFloating, type DType } from '../dtype.ts';
import { normalizeDims, type Shape } from '../shape.ts';
import type { Tensor } from '../tensor.ts';
import { apply, defineOp } from '../autograd/function.ts';
import { fromBuffer, kernelsOf } from './make.ts';
import { div, mul } from './binary.ts';
import { eq, ne } from './compare.ts';
import { cast } from './cast.ts';
import { expandRaw, reshapeRaw } from './views.ts';

interface ReduceAttrs {
  dims: number[];
  keepdim: boolean;
}

/** The output shape with reduced dims kept as size 1. */
function keptShape(shape: Shape, dims: readonly number[]): number[] {
  return shape.map((d, i) => (dims.includes(i) ? 1 : d));
}

function reduceForward(op: ReduceOp, x: Tensor, { dims, keepdim }: ReduceAttrs, dtype: DType): Tensor {
  const buffer = kernelsOf(x).reduce(op, x.view_(), dims, dtype);
  const shape = keepdim ? keptShape(x.shape, dims) : x.shape.filter((_, i) => !dims.includes(i));
  return fromBuffer(x.storage.backend, buffer, shape, dtype);
}

/** g (the output's gradient) viewed with the reduced dims as size 1 and expanded to `shape`. */
function expandBack(g: Tensor, shape: Shape, dims: readonly number[]): Tensor {
  return expandRaw(reshapeRaw(g, keptShape(shape, dims)), shape);
}

const Sum = defineOp<ReduceAttrs & { inputShape: Shape }>({
  name: 'Sum',
  forward: ([x], attrs) => reduceForward('sum', x!, attrs, isFloating(x!.dtype) ? x!.dtype : 'int64'),
  backward: (g, { attrs }) => [expandBack(g, attrs.inputShape, attrs.dims)],
});

const Prod = defineOp<ReduceAttrs>({
  name: 'Prod',
  forward([x], attrs, ctx) {
    const out = reduceForward('prod', x!, attrs, isFloating(x!.dtype) ? x!.dtype : 'int64');
    ctx.save(x!, out);
    return out;
  },
  backward: (g, { attrs, saved: [x, out] }) => {
    const gFull = expandBack(g, x!.shape, attrs.dims);
    const outFull = expandBack(out!, x!.shape, attrs.dims);
    // Dividing by x is exact only without zeros; a device that cannot be read synchronously
    // always takes the general product of the others.
    const hasZero =
      x!.device !== 'cpu' ||
      eq(x!, 0)
        .dataSync()
        .some((v) => v !== 0);
    if (!hasZero) return [div(mul(gFull, outFull), x!)];
    return [mul(gFull, productOfOthers(x!, attrs.dims))];
  },
});

const Amax = extremeDef('amax', 'max');
const Amin = extremeDef('amin', 'min');

function extremeDef(name: string, op: 'max' | 'min') {
  return defineOp<ReduceAttrs>({
    name: name === 'amax' ? 'Amax' : 'Amin',
    forward([x], attrs, ctx) {
      const out = reduceForward(op, x!, attrs, x!.dtype);
      ctx.save(x!, out);
      return out;
    },
    // The gradient is shared evenly among the elements that attain the extreme.
    backward: (g, { attrs, saved: [x, out] }) => {
      const mask = cast(eq(x!, expandBack(out!, x!.shape, attrs.dims)), g.dtype);
      const count = sumRaw(mask, attrs.dims, true);
      return [mul(expandBack(g, x!.shape, attrs.dims), div(mask, count))];
    },
  });
}

function attrsFor(
  op: string,
  x: Tensor,
  dim: number | readonly number[] | undefined,
  keepdim: boolean,
): ReduceAttrs {
  const all = x.shape.map((_, i) => i);
  const dims = dim === undefined ? all : normalizeDims(op, typeof dim === 'number' ? [dim] : dim, x.ndim);
  return { dims: [...dims].sort((a, b) => a - b), keepdim };
}

export function sumRaw(x: Tensor, dim?: number | readonly number[], keepdim = false): Tensor {
  return apply(Sum, [x], { ...attrsFor('sum', x, dim, keepdim), inputShape: x.shape });
}

export const prodRaw = (x: Tensor, dim?: number | readonly number[], keepdim = false): Tensor =>
  apply(Prod, [x], attrsFor('prod', x, dim, keepdim));

export const amax = (x: Tensor, dim?: number | readonly number[], keepdim = false): Tensor =>
  apply(Amax, [x], attrsFor('amax', x, dim, keepdim));

export const amin = (x: Tensor, dim?: number | readonly number[], keepdim = false): Tensor =>
  apply(Amin, [x], attrsFor('amin', x, dim, keepdim));

/**
 * For each element, the product of the other elements of its reduction group, without dividing
 * (exact when some elements are zero). The group is moved to a last dim of size n and multiplied
 * through an n×n grid with ones on the diagonal.
 */
function productOfOthers(x: Tensor, dims: readonly number[]): Tensor {
  const kept = x.shape.map((_, i) => i).filter((i) => !dims.includes(i));
  const order = [...kept, ...dims];
  const moved = x.permute(order);
  const keptSizes = kept.map((i) => x.shape[i]!);
  const n = dims.reduce((p, d) => p * x.shape[d]!, 1);
  const flat = reshapeRaw(moved, [...keptSizes, 1, n]);
  const grid = expandRaw(flat, [...keptSizes, n, n]);
  const eye = ne(reshapeRaw(arangeInt(n, x), [n, 1]), reshapeRaw(arangeInt(n, x), [1, n]));
  const others = prodRaw(grid.where(eye, 1), -1);
  const back = reshapeRaw(
    others,
    order.map((i) => x.shape[i]!),
  );
  const inverse = new Array<number>(order.length);
  order.forEach((d, i) => (inverse[d] = i));
  return back.permute(inverse);
}

function arangeInt(n: number, like: Tensor): Tensor {
  const data = new Int32Array(n).map((_, i) => i);
  return fromBuffer(like.storage.backend, like.storage.backend.fromTypedArray(data, 'int32'), [n], 'int32');
}
