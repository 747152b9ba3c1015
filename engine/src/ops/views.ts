// View primitives: results share storage with their input (PyTorch's views). Reshape-as-view,
// permute, expand and a strided slice of one dim; plus the slice's adjoint, which writes a
// gradient into a zero tensor at the sliced window.
import { contiguousStrides, formatShape, numel, shapesEqual, type Shape } from '../shape.ts';
import type { Tensor } from '../tensor.ts';
import { apply, defineOp, type OpDef } from '../autograd/function.ts';
import { fromBuffer, kernelsOf, viewOf } from './make.ts';
import { clone } from './cast.ts';
import { addInto } from './accumulate.ts';

/** PyTorch's computeStride: strides that let newShape view old memory, or null if impossible. */
export function viewStrides(
  oldShape: Shape,
  oldStrides: readonly number[],
  newShape: Shape,
): number[] | null {
  if (numel(oldShape) === 0 || oldShape.length === 0) return contiguousStrides(newShape);
  const newStrides = new Array<number>(newShape.length).fill(1);
  let viewD = newShape.length - 1;
  let chunkBaseStride = oldStrides[oldStrides.length - 1]!;
  let tensorNumel = 1;
  let viewNumel = 1;
  for (let d = oldShape.length - 1; d >= 0; d--) {
    tensorNumel *= oldShape[d]!;
    if (d === 0 || (oldShape[d - 1] !== 1 && oldStrides[d - 1] !== tensorNumel * chunkBaseStride)) {
      while (viewD >= 0 && (viewNumel < tensorNumel || newShape[viewD] === 1)) {
        newStrides[viewD] = viewNumel * chunkBaseStride;
        viewNumel *= newShape[viewD]!;
        viewD--;
      }
      if (viewNumel !== tensorNumel) return null;
      if (d > 0) {
        chunkBaseStride = oldStrides[d - 1]!;
        tensorNumel = 1;
        viewNumel = 1;
      }
    }
  }
  return viewD === -1 ? newStrides : null;
}

interface ViewAttrs {
  shape: Shape;
  inputShape: Shape;
}

const View = defineOp<ViewAttrs>({
  name: 'View',
  forward([x], { shape }) {
    const strides = viewStrides(x!.shape, x!.strides, shape);
    if (!strides)
      throw new Error(
        `view: size ${formatShape(shape)} is not compatible with input tensor's size and stride ` +
          `(${formatShape(x!.shape)}, ${formatShape(x!.strides)}): at least one dimension spans across two ` +
          `contiguous subspaces. Use reshape() instead.`,
      );
    return viewOf(x!, shape, strides, x!.offset);
  },
  backward: (g, { attrs }) => [reshapeRaw(g, attrs.inputShape)],
});

/** A view with a new shape of the same numel; throws when the strides do not allow it. */
export function viewAs(x: Tensor, shape: Shape): Tensor {
  if (shapesEqual(x.shape, shape)) return x;
  if (numel(shape) !== numel(x.shape))
    throw new Error(`view: shape ${formatShape(shape)} is invalid for input of size ${x.numel()}`);
  return apply(View, [x], { shape, inputShape: x.shape });
}

/** A view when the strides allow one, else a contiguous copy viewed (PyTorch's reshape). */
export function reshapeRaw(x: Tensor, shape: Shape): Tensor {
  if (shapesEqual(x.shape, shape)) return x;
  const canView = viewStrides(x.shape, x.strides, shape) !== null;
  return viewAs(canView ? x : clone(x), shape);
}

const Permute = defineOp<readonly number[]>({
  name: 'Permute',
  forward: ([x], dims) =>
    viewOf(
      x!,
      dims.map((d) => x!.shape[d]!),
      dims.map((d) => x!.strides[d]!),
      x!.offset,
    ),
  backward: (g, { attrs: dims }) => {
    const inverse = new Array<number>(dims.length);
    dims.forEach((d, i) => (inverse[d] = i));
    return [permuteRaw(g, inverse)];
  },
});

/** Permute with already-validated dims. */
export const permuteRaw = (x: Tensor, dims: readonly number[]): Tensor => apply(Permute, [x], dims);

const Expand = defineOp<Shape>({
  name: 'Expand',
  forward([x], shape) {
    const lead = shape.length - x!.ndim;
    const strides = shape.map((_, i) => (i < lead || x!.shape[i - lead] === 1 ? 0 : x!.strides[i - lead]!));
    return viewOf(x!, shape, strides, x!.offset);
  },
  // The engine sums the gradient back over the expanded dims.
  backward: (g) => [g],
});

/** Expand to an already-validated broadcast shape. */
export const expandRaw = (x: Tensor, shape: Shape): Tensor =>
  shapesEqual(x.shape, shape) ? x : apply(Expand, [x], shape);

interface ScatterAttrs extends SliceAttrs {
  /** The sliced dim's size in the input. */
  fullSize: number;
}

export interface SliceAttrs {
  dim: number;
  start: number;
  /** Number of elements taken. */
  length: number;
  /** May be negative (flip walks a dim backwards). */
  step: number;
}

const Slice: OpDef<ScatterAttrs> = defineOp<ScatterAttrs>({
  name: 'Slice',
  forward([x], { dim, start, length, step }) {
    const shape = [...x!.shape];
    const strides = [...x!.strides];
    shape[dim] = length;
    strides[dim] = x!.strides[dim]! * step;
    return viewOf(x!, shape, strides, x!.offset + (length > 0 ? start * x!.strides[dim]! : 0));
  },
  backward: (g, { attrs }) => [apply(SliceScatter, [g], attrs)],
  // Many slices of one tensor (an RNN's steps) add their gradients into one buffer, in place.
  accumulate(pending, g, attrs) {
    if (!pending) return SliceScatter.forward([g], attrs, NO_SAVE);
    addInto(Slice.forward([pending], attrs, NO_SAVE), g);
    return pending;
  },
});

const NO_SAVE = { save: () => undefined, needsInputGrad: [] };

export const sliceRaw = (x: Tensor, attrs: SliceAttrs): Tensor =>
  apply(Slice, [x], { ...attrs, fullSize: x.shape[attrs.dim]! });

/** Zeros of the sliced tensor's shape with g written into the slice's window. */
const SliceScatter: OpDef<ScatterAttrs> = defineOp<ScatterAttrs>({
  name: 'SliceScatter',
  forward([g], { dim, start, length, step, fullSize }) {
    const shape = [...g!.shape];
    shape[dim] = fullSize;
    const out = fromBuffer(
      g!.storage.backend,
      g!.storage.backend.alloc(g!.dtype, numel(shape)),
      shape,
      g!.dtype,
    );
    const strides = [...out.strides];
    const window = {
      ...out.view_(),
      shape: g!.shape,
      strides: strides.map((s, i) => (i === dim ? s * step : s)),
    };
    kernelsOf(g!).copyInto({ ...window, offset: length > 0 ? start * out.strides[dim]! : 0 }, g!.view_());
    return out;
  },
  backward: (gg, { attrs }) => [apply(Slice, [gg], attrs)],
});

/** Zero-pads one dim with `before` and `after` elements (the adjoint of a slice). */
export function padDimRaw(x: Tensor, dim: number, before: number, after: number): Tensor {
  if (before === 0 && after === 0) return x;
  const length = x.shape[dim]!;
  return apply(SliceScatter, [x], { dim, start: before, length, step: 1, fullSize: length + before + after });
}
