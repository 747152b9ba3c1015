// NumPy/PyTorch indexing. x.index(...items) reads; indexPut writes (see inplace.ts for the
// in-place form). Basic items (integers, slices, null, '...') make views; integer tensors and
// boolean masks (advanced indexing) gather through one flattened linear index.
//
//   PyTorch               homemade-grad
//   x[1]                  x.index(1)
//   x[1:3]                x.index(sl(1, 3))          or x.index('1:3')
//   x[::2, -1]            x.index(sl(null, null, 2), -1)   or x.index('::2', -1)
//   x[..., None]          x.index('...', null)
//   x[idx]                x.index(idx)                (idx: an int32 tensor or number[])
//   x[mask]               x.index(mask)               (mask: a bool tensor)
//   x[idx] = v            x.indexPut_([idx], v)
//   x[idx] += v           x.indexPut_([idx], v, true)
import { isIntegral, typedArrayFor } from '../dtype.ts';
import { normalizeDim, formatShape, numel } from '../shape.ts';
import { Tensor } from '../tensor.ts';
import { fromBuffer } from '../ops/make.ts';
import { expandRaw, permuteRaw, reshapeRaw, sliceRaw } from '../ops/views.ts';
import { gatherRaw, scatterRaw } from '../ops/gather.ts';
import { tensor } from '../creation.ts';
import { where } from '../ops/where.ts';
import { pyArgs, is, type PyRest } from '../args.ts';
import { scatterValues } from './scatter-values.ts';

export class Slice {
  constructor(
    readonly start: number | null = null,
    readonly stop: number | null = null,
    readonly step: number | null = null,
  ) {}
}

/** Python's start:stop:step; sl() is `:`. */
export const sl = (
  start: number | null = null,
  stop: number | null = null,
  step: number | null = null,
): Slice => new Slice(start, stop, step);

export type IndexItem = number | Slice | string | null | Tensor | readonly number[] | readonly boolean[];

function parseSliceString(text: string): Slice | '...' {
  if (text === '...') return '...';
  const parts = text.split(':');
  if (parts.length < 2 || parts.length > 3)
    throw new Error(`index: cannot parse '${text}' as a slice (expected 'start:stop:step' or '...')`);
  const num = (s: string | undefined): number | null => {
    if (s === undefined || s.trim() === '') return null;
    const v = Number(s);
    if (!Number.isInteger(v)) throw new Error(`index: '${s}' in slice '${text}' is not an integer`);
    return v;
  };
  return new Slice(num(parts[0]), num(parts[1]), num(parts[2]));
}

type Normalized = number | Slice | null | '...' | Tensor;

function normalizeItem(item: IndexItem): Normalized {
  if (typeof item === 'string') return parseSliceString(item);
  if (Array.isArray(item)) return tensor(item as number[]);
  return item as Normalized;
}

const consumes = (item: Normalized): number =>
  item === null || item === '...' ? 0 : item instanceof Tensor && item.dtype === 'bool' ? item.ndim : 1;

/** Python slice semantics: clamp start/stop into range for a positive step. */
function resolveSlice(s: Slice, size: number): { start: number; length: number; step: number } {
  const step = s.step ?? 1;
  if (step <= 0) throw new Error(`index: slice step must be greater than zero (got ${step})`);
  const clampIndex = (v: number | null, fallback: number): number => {
    if (v === null) return fallback;
    const w = v < 0 ? v + size : v;
    return Math.min(Math.max(w, 0), size);
  };
  const start = clampIndex(s.start, 0);
  const stop = clampIndex(s.stop, size);
  return { start, length: Math.max(0, Math.ceil((stop - start) / step)), step };
}

interface Advanced {
  dim: number;
  index: Tensor;
}

export function index(x: Tensor, ...items: IndexItem[]): Tensor {
  const parsed = items.map(normalizeItem);
  const ellipses = parsed.filter((p) => p === '...').length;
  if (ellipses > 1) throw new Error('index: an index can only have a single ellipsis (...)');
  const used = parsed.reduce<number>((n, p) => n + consumes(p), 0);
  if (used > x.ndim) throw new Error(`index: too many indices for tensor of dimension ${x.ndim}`);
  const expanded: Normalized[] = [];
  for (const p of parsed) {
    if (p === '...') for (let i = 0; i < x.ndim - used; i++) expanded.push(new Slice());
    else expanded.push(p);
  }

  let y = x;
  let dim = 0;
  const advanced: Advanced[] = [];
  for (const item of expanded) {
    if (item === null) {
      y = reshapeRaw(y, [...y.shape.slice(0, dim), 1, ...y.shape.slice(dim)]);
      dim++;
    } else if (typeof item === 'number') {
      const size = y.shape[dim]!;
      if (!Number.isInteger(item) || item < -size || item >= size)
        throw new Error(`index: index ${item} is out of bounds for dimension ${dim} with size ${size}`);
      const sliced = sliceRaw(y, { dim, start: item < 0 ? item + size : item, length: 1, step: 1 });
      y = reshapeRaw(sliced, [...y.shape.slice(0, dim), ...y.shape.slice(dim + 1)]);
    } else if (item instanceof Slice) {
      y = sliceRaw(y, { dim, ...resolveSlice(item, y.shape[dim]!) });
      dim++;
    } else if (item instanceof Tensor && (item.dtype === 'bool' || item.dtype === 'uint8')) {
      // A uint8 index is a mask, as in PyTorch (which deprecates it in favour of bool).
      const maskShape = y.shape.slice(dim, dim + item.ndim);
      if (item.shape.some((d, i) => d !== maskShape[i]))
        throw new Error(
          `index: the shape of the mask ${formatShape(item.shape)} at index ${dim} does not match the shape of the indexed tensor ${formatShape(maskShape)}`,
        );
      const coords = nonzero(item);
      for (let k = 0; k < item.ndim; k++) advanced.push({ dim: dim + k, index: selectColumn(coords, k) });
      dim += item.ndim;
    } else if (item instanceof Tensor) {
      if (!isIntegral(item.dtype))
        throw new Error(
          `index: tensors used as indices must be int64, int32, bool or uint8 tensors (got ${item.dtype})`,
        );
      advanced.push({ dim, index: item });
      dim++;
    }
  }
  return advanced.length === 0 ? y : advancedIndex(y, advanced);
}

function selectColumn(coords: Tensor, k: number): Tensor {
  const n = coords.shape[0]!;
  const cols = coords.shape[1]!;
  const src = coords.dataSync();
  const out = typedArrayFor(coords.dtype, n);
  for (let i = 0; i < n; i++) out[i] = src[i * cols + k]!;
  return fromBuffer(
    coords.storage.backend,
    coords.storage.backend.fromTypedArray(out, coords.dtype),
    [n],
    coords.dtype,
  );
}

/** The coordinates of the non-zero elements, one row per element ([count, ndim], int64). */
export function nonzero(x: Tensor): Tensor {
  if (x.device !== 'cpu')
    throw new Error(
      `nonzero (and boolean mask indexing): the number of true elements decides the result's shape, so the mask's values must be read first; move it to the CPU with \`await mask.toAsync('cpu')\` (a CPU mask can index a ${x.device} tensor)`,
    );
  const values = x.dataSync();
  const rows: number[] = [];
  const strides = x.shape.map((_, i) => numel(x.shape.slice(i + 1)));
  for (let e = 0; e < values.length; e++)
    if (values[e]) for (let d = 0; d < x.ndim; d++) rows.push(Math.floor(e / strides[d]!) % x.shape[d]!);
  return fromBuffer(
    x.storage.backend,
    x.storage.backend.fromTypedArray(Float64Array.from(rows), 'int64'),
    [rows.length / Math.max(1, x.ndim), x.ndim],
    'int64',
  );
}

function broadcastIndexShapes(indices: readonly Tensor[]): number[] {
  const ndim = Math.max(...indices.map((t) => t.ndim));
  const out = new Array<number>(ndim).fill(1);
  for (const t of indices)
    t.shape.forEach((d, i) => {
      const j = ndim - t.ndim + i;
      if (d !== 1 && out[j] !== 1 && out[j] !== d)
        throw new Error(
          `index: shape mismatch: indexing tensors could not be broadcast together with shapes ${indices.map((s) => formatShape(s.shape)).join(', ')}`,
        );
      if (d !== 1) out[j] = d;
    });
  return out;
}

function advancedIndex(y: Tensor, advanced: Advanced[]): Tensor {
  const dims = advanced.map((a) => a.dim);
  const adjacent = dims.every((d, i) => i === 0 || d === dims[i - 1]! + 1);
  const rest = y.shape.map((_, i) => i).filter((i) => !dims.includes(i));
  const indexShape = broadcastIndexShapes(advanced.map((a) => a.index));
  const count = numel(indexShape);

  // One linear index into the advanced dims, read as a row-major block.
  const backend = y.storage.backend;
  const onHost = advanced.every((a) => a.index.device === 'cpu');
  let linearT: Tensor | null = null;
  let blockStride = 1;
  if (onHost) {
    const linear = new Int32Array(count);
    for (let k = advanced.length - 1; k >= 0; k--) {
      const { dim, index: idx } = advanced[k]!;
      const size = y.shape[dim]!;
      const values = expandRaw(idx, indexShape).dataSync();
      for (let e = 0; e < count; e++) {
        const v = values[e]!;
        if (v < -size || v >= size)
          throw new Error(`index: index ${v} is out of bounds for dimension ${dim} with size ${size}`);
        linear[e]! += (v < 0 ? v + size : v) * blockStride;
      }
      blockStride *= size;
    }
    linearT = fromBuffer(backend, backend.fromTypedArray(linear, 'int32'), [count], 'int32');
  } else {
    // Index values on a GPU stay there: negatives wrap with tensor ops, and the gather kernel
    // clamps what is out of range (no synchronous bounds check is possible).
    for (let k = advanced.length - 1; k >= 0; k--) {
      const { dim, index: idx } = advanced[k]!;
      const size = y.shape[dim]!;
      const v = expandRaw(idx, indexShape);
      const term = where(v.lt(0), v.add(size), v).mul(blockStride);
      linearT = linearT ? linearT.add(term) : term;
      blockStride *= size;
    }
    linearT = reshapeRaw(linearT!.contiguous(), [count]);
  }

  const moved = permuteRaw(y, [...dims, ...rest]);
  const restShape = rest.map((i) => y.shape[i]!);
  const flat = reshapeRaw(moved, [blockStride, ...restShape]);
  const gathered = gatherRaw(
    flat,
    0,
    expandRaw(reshapeRaw(linearT!, [count, ...restShape.map(() => 1)]), [count, ...restShape]),
  );
  let out = reshapeRaw(gathered, [...indexShape, ...restShape]);
  const first = dims[0]!;
  if (adjacent && first > 0) {
    // Adjacent advanced indices keep their place: move the index dims back to `first`.
    const b = indexShape.length;
    const order = [
      ...restShape.slice(0, first).map((_, i) => b + i),
      ...indexShape.map((_, i) => i),
      ...restShape.slice(first).map((_, i) => b + first + i),
    ];
    out = permuteRaw(out, order);
  }
  return out;
}

/** Positions (flat indices into x) selected by an index expression, in the result's shape. */
export function indexPositions(x: Tensor, items: readonly IndexItem[]): Tensor {
  const n = x.numel();
  const ids = new Int32Array(n).map((_, i) => i);
  const positions = fromBuffer(
    x.storage.backend,
    x.storage.backend.fromTypedArray(ids, 'int32'),
    x.shape,
    'int32',
  );
  return index(positions, ...items);
}

/** Out-of-place x[items] = values (or += with accumulate); differentiable in x and values. */
export function indexPut(x: Tensor, items: readonly IndexItem[], values: Tensor, accumulate = false): Tensor {
  const positions = indexPositions(x, items);
  const flatPositions = reshapeRaw(positions.contiguous(), [positions.numel()]);
  let v = values.dtype === x.dtype ? values : values.to({ dtype: x.dtype });
  try {
    v = expandRaw(
      reshapeRaw(v, [...new Array(Math.max(0, positions.ndim - v.ndim)).fill(1), ...v.shape]),
      positions.shape,
    );
  } catch {
    throw new Error(
      `indexPut: shape mismatch: value tensor of shape ${formatShape(values.shape)} cannot be broadcast to indexing result of shape ${formatShape(positions.shape)}`,
    );
  }
  const flatX = reshapeRaw(x, [x.numel()]);
  const out = scatterRaw(
    flatX,
    0,
    flatPositions,
    reshapeRaw(v, [positions.numel()]),
    accumulate ? 'add' : 'set',
  );
  return reshapeRaw(out, x.shape);
}

export function gather(x: Tensor, dim: number, idx: Tensor): Tensor {
  return gatherRaw(x, normalizeDim('gather', dim, x.ndim), idx);
}

function scatterSource(src: Tensor | number, like: Tensor, idx: Tensor): Tensor {
  if (typeof src === 'number')
    return expandRaw(tensor(src, { dtype: like.dtype, device: like.device }), idx.shape);
  // Only the leading index-shaped block of src is read.
  let s = src.dtype === like.dtype ? src : src.to({ dtype: like.dtype });
  idx.shape.forEach((d, i) => {
    if (s.shape[i]! < d)
      throw new Error(
        `scatter: src ${formatShape(src.shape)} is smaller than index ${formatShape(idx.shape)} in dim ${i}`,
      );
    if (s.shape[i] !== d) s = sliceRaw(s, { dim: i, start: 0, length: d, step: 1 });
  });
  return s;
}

export type ScatterOptions = {
  /** torch.scatter's reduce: 'add' accumulates (differentiable), 'multiply' multiplies (values only). */
  reduce?: 'add' | 'multiply';
};

export function scatter(
  x: Tensor,
  dim: number,
  idx: Tensor,
  src: Tensor | number,
  ...rest: PyRest<[ScatterOptions['reduce']], ScatterOptions>
): Tensor {
  const { reduce } = pyArgs<ScatterOptions>('scatter', ['reduce'], rest, {
    reduce: is.oneOf('add', 'multiply'),
  });
  const d = normalizeDim('scatter', dim, x.ndim);
  const source = scatterSource(src, x, idx);
  if (reduce === 'multiply') return scatterValues('scatter', x, d, idx, source, 'prod', true);
  return scatterRaw(x, d, idx, source, reduce === 'add' ? 'add' : 'set');
}

export function scatterAdd(x: Tensor, dim: number, idx: Tensor, src: Tensor): Tensor {
  const d = normalizeDim('scatterAdd', dim, x.ndim);
  return scatterRaw(x, d, idx, scatterSource(src, x, idx), 'add');
}

/** The index (1-D) expanded along `dim` to a full gather/scatter index of `shape`. */
function alongDim(idx: Tensor, dim: number, shape: readonly number[]): Tensor {
  if (idx.ndim > 1) throw new Error(`index_select(): Index is supposed to be a vector, got ${idx.ndim}-D`);
  const n = idx.numel();
  const viewShape = shape.map((_, i) => (i === dim ? n : 1));
  return expandRaw(
    reshapeRaw(idx, viewShape),
    shape.map((s, i) => (i === dim ? n : s)),
  );
}

/**
 * index_select's and index_add's indices on the CPU, checked here so that the error names the op
 * the user called (the gather kernel would name itself). PyTorch raises for any index outside
 * [0, size), −1 included. On a GPU the values stay there (no synchronous check).
 */
function checkAlong(op: string, idx: Tensor, dim: number, size: number): void {
  if (idx.device !== 'cpu' || !isIntegral(idx.dtype)) return;
  const values = idx.dataSync() as ArrayLike<number>;
  for (let i = 0; i < values.length; i++)
    if (values[i]! < 0 || values[i]! >= size)
      throw new Error(`${op}: index ${values[i]} is out of range for dimension ${dim} with size ${size}`);
}

export function indexSelect(x: Tensor, dim: number, idx: Tensor): Tensor {
  const d = normalizeDim('indexSelect', dim, x.ndim);
  checkAlong('indexSelect', idx, d, x.shape[d] ?? 1);
  return gatherRaw(x, d, alongDim(idx, d, x.shape));
}

export function indexAdd(x: Tensor, dim: number, idx: Tensor, src: Tensor, alpha = 1): Tensor {
  const d = normalizeDim('indexAdd', dim, x.ndim);
  checkAlong('indexAdd', idx, d, x.shape[d] ?? 1);
  const scaled = alpha === 1 ? src : src.mul(alpha);
  return scatterRaw(x, d, alongDim(idx, d, src.shape), scaled, 'add');
}

export function take(x: Tensor, idx: Tensor): Tensor {
  const flat = reshapeRaw(x, [x.numel()]);
  // take() counts negative indices from the end (PyTorch's does); the gather kernel does not.
  const contiguous = reshapeRaw(idx.contiguous(), [idx.numel()]);
  const flatIdx = where(contiguous.lt(0), contiguous.add(x.numel()), contiguous);
  return reshapeRaw(gatherRaw(flat, 0, flatIdx), idx.shape);
}
