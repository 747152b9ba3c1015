// Order statistics: sort, argsort, topk, kthvalue, median, mode, unique, and the running cummax /
// cummin. The order (the indices) is computed from the values on the CPU, as PyTorch's CPU
// kernels do; the values are then gathered through those indices, so gradients flow to the
// elements chosen, as in PyTorch. NaN sorts above every number, as in PyTorch.
import { isOptions, pyArgs, is, type PyRest } from '../args.ts';
import { tensor } from '../creation.ts';
import { normalizeDim } from '../shape.ts';
import type { Tensor } from '../tensor.ts';
import { gatherRaw } from '../ops/gather.ts';

/** (values, indices): readable by name or, as in Python, by position (`const [v, i] = x.sort()`). */
export interface ValuesIndices {
  values: Tensor;
  indices: Tensor;
  [Symbol.iterator](): Iterator<Tensor>;
}

export function valuesIndices(values: Tensor, indices: Tensor): ValuesIndices {
  return {
    values,
    indices,
    *[Symbol.iterator]() {
      yield values;
      yield indices;
    },
  };
}

function cpuValues(op: string, x: Tensor): ArrayLike<number> {
  if (x.device !== 'cpu')
    throw new Error(
      `${op}: the order of a '${x.device}' tensor is found on the CPU: use (await x.toAsync('cpu')).${op}()`,
    );
  return x.contiguous().dataSync();
}

/** Ascending order with NaN last (descending: NaN first), stable. */
const compare = (descending: boolean) => (a: number, b: number) => {
  const an = a !== a;
  const bn = b !== b;
  if (an || bn) return an === bn ? 0 : an !== descending ? 1 : -1;
  return descending ? b - a : a - b;
};

/**
 * Calls `visit` with each line of `x` along `dim` (its values, in order), and assembles an int64
 * index tensor of shape `outShape` along the same dim from what each call returns.
 */
function perLine(
  op: string,
  x: Tensor,
  dim: number,
  outLength: number,
  visit: (line: number[]) => number[],
): Tensor {
  const values = cpuValues(op, x);
  const size = x.shape[dim] ?? 1;
  const inner = x.shape.slice(dim + 1).reduce((a, b) => a * b, 1);
  const outer = x.numel() / Math.max(1, size * inner);
  const out = new Float64Array(outer * outLength * inner);
  const line = new Array<number>(size);
  for (let o = 0; o < outer; o++)
    for (let i = 0; i < inner; i++) {
      for (let k = 0; k < size; k++) line[k] = values[(o * size + k) * inner + i]!;
      const picked = visit(line);
      for (let k = 0; k < outLength; k++) out[(o * outLength + k) * inner + i] = picked[k]!;
    }
  const shape = x.ndim === 0 ? [] : [...x.shape];
  if (x.ndim > 0) shape[dim] = outLength;
  return tensor(out, { shape, dtype: 'int64', device: x.device });
}

const argsortLine = (line: number[], descending: boolean): number[] => {
  const order = line.map((_, i) => i);
  const cmp = compare(descending);
  return order.sort((a, b) => cmp(line[a]!, line[b]!) || a - b);
};

interface SortOptions {
  dim?: number;
  descending?: boolean;
  stable?: boolean;
}
const SORT = ['dim', 'descending', 'stable'] as const;
const SORT_CHECKS = { dim: is.int, descending: is.bool, stable: is.bool };

/** torch.sort: the values along `dim` in order, and where each came from. */
export function sort(
  x: Tensor,
  ...rest: PyRest<[dim: number, descending: boolean], SortOptions>
): ValuesIndices {
  const o = pyArgs<SortOptions & Record<string, unknown>>('sort', SORT, rest, SORT_CHECKS);
  if (x.ndim === 0) return valuesIndices(x, tensor(0, { dtype: 'int64', device: x.device }));
  const dim = normalizeDim('sort', o.dim ?? -1, x.ndim);
  const indices = perLine('sort', x, dim, x.shape[dim]!, (line) => argsortLine(line, o.descending ?? false));
  return valuesIndices(gatherRaw(x, dim, indices), indices);
}

export function argsort(x: Tensor, ...rest: PyRest<[dim: number, descending: boolean], SortOptions>): Tensor {
  return sort(x, ...(rest as [number?, boolean?, SortOptions?])).indices;
}

interface TopkOptions {
  dim?: number;
  largest?: boolean;
  sorted?: boolean;
}

/** The k largest (or smallest) values along `dim`, in order, and where they came from. */
export function topk(
  x: Tensor,
  k: number,
  ...rest:
    [dim?: number | TopkOptions, largest?: boolean, sorted?: boolean, options?: TopkOptions] | [TopkOptions]
): ValuesIndices {
  const o = pyArgs<TopkOptions & Record<string, unknown>>('topk', ['dim', 'largest', 'sorted'], rest, {
    dim: is.int,
    largest: is.bool,
    sorted: is.bool,
  });
  const dim = x.ndim === 0 ? 0 : normalizeDim('topk', o.dim ?? -1, x.ndim);
  const size = x.ndim === 0 ? 1 : x.shape[dim]!;
  if (!Number.isInteger(k) || k < 0 || k > size)
    throw new Error(`topk: k (${k}) must be an integer in 0..${size} (the size of dim ${dim})`);
  const largest = o.largest ?? true;
  const indices = perLine('topk', x, dim, k, (line) => argsortLine(line, largest).slice(0, k));
  return valuesIndices(gatherRaw(x, dim, indices), indices);
}

/** The k-th smallest value along `dim` (k counts from 1), and where it came from. */
export function kthvalue(
  x: Tensor,
  k: number,
  ...rest: PyRest<[dim: number, keepdim: boolean], { dim?: number; keepdim?: boolean }>
): ValuesIndices {
  const o = pyArgs<{ dim: number; keepdim: boolean }>('kthvalue', ['dim', 'keepdim'], rest, {
    dim: is.int,
    keepdim: is.bool,
  });
  const dim = x.ndim === 0 ? 0 : normalizeDim('kthvalue', o.dim ?? -1, x.ndim);
  const size = x.ndim === 0 ? 1 : x.shape[dim]!;
  if (!Number.isInteger(k) || k < 1 || k > size)
    throw new Error(`kthvalue: k (${k}) must be an integer in 1..${size}`);
  return pick('kthvalue', x, dim, o.keepdim ?? false, (line) => argsortLine(line, false)[k - 1]!);
}

/** One chosen position per line, as values and indices with the dim kept or removed. */
function pick(
  op: string,
  x: Tensor,
  dim: number,
  keepdim: boolean,
  choose: (line: number[]) => number,
): ValuesIndices {
  if (x.ndim === 0) return valuesIndices(x, tensor(0, { dtype: 'int64', device: x.device }));
  const indices = perLine(op, x, dim, 1, (line) => [choose(line)]);
  const values = gatherRaw(x, dim, indices);
  if (keepdim) return valuesIndices(values, indices);
  return valuesIndices(values.squeeze(dim), indices.squeeze(dim));
}

/**
 * torch.median: without a dim, the lower median of all values (a tensor); with a dim, the lower
 * median along it and its index. NaN propagates (a line with NaN has median NaN).
 */
export function median(x: Tensor): Tensor;
export function median(x: Tensor, dim: number, keepdim?: boolean): ValuesIndices;
export function median(x: Tensor, dim: { dim: number; keepdim?: boolean }): ValuesIndices;
export function median(x: Tensor, ...rest: unknown[]): Tensor | ValuesIndices {
  if (rest.length === 0 || (isOptions(rest[0]) && rest[0].dim === undefined)) {
    const flat = x.reshape(-1);
    if (flat.numel() === 0) throw new Error('median: cannot compute the median of an empty tensor');
    return median(flat, 0).values;
  }
  const o = pyArgs<{ dim: number; keepdim: boolean }>('median', ['dim', 'keepdim'], rest, {
    dim: is.int,
    keepdim: is.bool,
  });
  const dim = x.ndim === 0 ? 0 : normalizeDim('median', o.dim ?? -1, x.ndim);
  return pick('median', x, dim, o.keepdim ?? false, (line) => {
    const nan = line.findIndex((v) => v !== v);
    if (nan >= 0) return nan;
    return argsortLine(line, false)[Math.floor((line.length - 1) / 2)]!;
  });
}

/** torch.mode: the most frequent value along `dim` (the smallest among equally frequent ones). */
export function mode(
  x: Tensor,
  ...rest: PyRest<[dim: number, keepdim: boolean], { dim?: number; keepdim?: boolean }>
): ValuesIndices {
  const o = pyArgs<{ dim: number; keepdim: boolean }>('mode', ['dim', 'keepdim'], rest, {
    dim: is.int,
    keepdim: is.bool,
  });
  const dim = x.ndim === 0 ? 0 : normalizeDim('mode', o.dim ?? -1, x.ndim);
  return pick('mode', x, dim, o.keepdim ?? false, (line) => {
    const order = argsortLine(line, false);
    let best = order[0]!;
    let bestCount = 0;
    for (let i = 0; i < order.length;) {
      let j = i;
      while (j < order.length && Object.is(line[order[j]!], line[order[i]!])) j++;
      // PyTorch reports the last position of the mode's value.
      if (j - i > bestCount) [bestCount, best] = [j - i, Math.max(...order.slice(i, j))];
      i = j;
    }
    return best;
  });
}

/** Running maximum (or minimum) along `dim`, and the position of each running extreme. */
function running(op: 'cummax' | 'cummin', x: Tensor, dim: number): ValuesIndices {
  if (x.ndim === 0) return valuesIndices(x, tensor(0, { dtype: 'int64', device: x.device }));
  const d = normalizeDim(op, dim, x.ndim);
  const better = op === 'cummax' ? (a: number, b: number) => a >= b : (a: number, b: number) => a <= b;
  const indices = perLine(op, x, d, x.shape[d]!, (line) => {
    const out: number[] = [];
    let at = 0;
    for (let i = 0; i < line.length; i++) {
      const v = line[i]!;
      const cur = line[at]!;
      // NaN wins and stays; ties move to the later position, as PyTorch's kernels do.
      if (cur === cur && (v !== v || better(v, cur))) at = i;
      out.push(at);
    }
    return out;
  });
  return valuesIndices(gatherRaw(x, d, indices), indices);
}

export const cummax = (x: Tensor, dim: number): ValuesIndices => running('cummax', x, dim);
export const cummin = (x: Tensor, dim: number): ValuesIndices => running('cummin', x, dim);

export interface UniqueOptions {
  sorted?: boolean;
  returnInverse?: boolean;
  returnCounts?: boolean;
  dim?: number | null;
}

/**
 * torch.unique over all elements: the distinct values in ascending order, and optionally, for each
 * input element, the index of its value (inverse) and each value's count. Not differentiable.
 */
export function unique(
  x: Tensor,
  options: UniqueOptions = {},
): { values: Tensor; inverse: Tensor | null; counts: Tensor | null } {
  const o = pyArgs<UniqueOptions & Record<string, unknown>>(
    'unique',
    ['sorted', 'returnInverse', 'returnCounts', 'dim'],
    [options],
    { sorted: is.bool, returnInverse: is.bool, returnCounts: is.bool, dim: is.orNull(is.int) },
  );
  if (o.dim !== undefined && o.dim !== null)
    throw new Error('unique: a dim is not supported yet; call unique on the flattened tensor');
  const values = Array.from(cpuValues('unique', x));
  const distinct = [...new Set(values.map((v) => (v !== v ? NaN : v)))].sort(compare(false));
  const position = new Map(distinct.map((v, i) => [v, i]));
  const device = x.device;
  const inverse = o.returnInverse
    ? tensor(
        values.map((v) => position.get(v)!),
        { dtype: 'int64', device },
      ).reshape(x.shape)
    : null;
  let counts: Tensor | null = null;
  if (o.returnCounts) {
    const tally = new Array<number>(distinct.length).fill(0);
    for (const v of values) tally[position.get(v)!]!++;
    counts = tensor(tally, { dtype: 'int64', device });
  }
  return { values: tensor(distinct, { dtype: x.dtype, device }), inverse, counts };
}
