// Sliding windows over the trailing spatial dims of [N, C, *spatial] (1-, 2- or 3-D), as im2col: a
// cached integer index gathers every window into columns, so convolution is one matmul and
// pooling one reduction, and both backward passes come from gather's adjoint (scatter-add).
// The geometry (output sizes with PyTorch's ceil_mode rule) lives here once for every op.
import { fromBuffer } from '../ops/make.ts';
import { gatherRaw } from '../ops/gather.ts';
import { expandRaw, padDimRaw, reshapeRaw } from '../ops/views.ts';
import { filled } from '../ops/fill.ts';
import { where } from '../ops/where.ts';
import { formatShape } from '../shape.ts';
import type { Tensor } from '../tensor.ts';
import type { Backend } from '../backend/types.ts';
import { dispose, keep } from '../scope.ts';

/** A size for every spatial dim, or one number for all. */
export type Size = number | readonly number[];

export const expand = (v: Size, n: number): number[] =>
  typeof v === 'number' ? new Array<number>(n).fill(v) : [...v];

export interface Windows {
  kernel: number[];
  stride: number[];
  dilation: number[];
  /** Padding before and after each dim (after may be larger: ceil-mode windows that overhang). */
  before: number[];
  after: number[];
  /** Input size per dim (unpadded), padded size and output size. */
  input: number[];
  padded: number[];
  output: number[];
}

/**
 * Where the windows go: PyTorch's output size floor((in + 2p − d(k−1) − 1)/s) + 1, or with ceil
 * mode the ceiling, dropping a last window that would start in the right padding.
 */
export function windows(
  op: string,
  input: readonly number[],
  kernel: Size,
  stride: Size,
  padding: Size,
  dilation: Size,
  ceilMode = false,
): Windows {
  // The same layer sees the same geometry every step: it is worked out once (errors are thrown
  // before anything is cached, so a bad call is refused every time).
  const key = sizesKey([input, kernel, stride, padding, dilation, ceilMode ? 1 : 0]);
  const hit = geometryCache.get(key);
  if (hit) return hit;
  const w = computeWindows(op, input, kernel, stride, padding, dilation, ceilMode);
  for (const v of Object.values(w)) Object.freeze(v);
  if (geometryCache.size > 256) {
    // Index tensors on a GPU hold device memory that collection would free late: free them now.
    for (const old of geometryCache.values())
      for (const t of cache.get(old)?.tensors.values() ?? []) dispose(t);
    geometryCache.clear();
  }
  geometryCache.set(key, w);
  return w;
}

const geometryCache = new Map<string, Windows>();

/** Sizes as a short string: one char per size (sizes fit 16 bits in any real model). */
function sizesKey(parts: readonly Size[]): string {
  let key = '';
  for (const part of parts) {
    if (typeof part === 'number')
      key += part >= 0 && part < 0xffff ? String.fromCharCode(part) : `\uffff${part},`;
    else for (const v of part) key += v >= 0 && v < 0xffff ? String.fromCharCode(v) : `\uffff${v},`;
    key += '|';
  }
  return key;
}

function computeWindows(
  op: string,
  input: readonly number[],
  kernel: Size,
  stride: Size,
  padding: Size,
  dilation: Size,
  ceilMode: boolean,
): Windows {
  const n = input.length;
  const [k, s, p, d] = [expand(kernel, n), expand(stride, n), expand(padding, n), expand(dilation, n)];
  for (const [name, values, min] of [
    ['kernel_size', k, 1],
    ['stride', s, 1],
    ['padding', p, 0],
    ['dilation', d, 1],
  ] as const)
    if (values.length !== n || values.some((v) => !Number.isInteger(v) || v < min))
      throw new Error(`${op}: ${name} must be ${n} integer(s) ≥ ${min}, got ${JSON.stringify(values)}`);
  const output = input.map((size, i) => {
    const span = size + 2 * p[i]! - d[i]! * (k[i]! - 1) - 1;
    if (span < 0)
      throw new Error(
        `${op}: the kernel ${k.join('x')} (dilation ${d.join('x')}) is larger than the padded input ${input.map((x, j) => x + 2 * p[j]!).join('x')}`,
      );
    let out = (ceilMode ? Math.ceil(span / s[i]!) : Math.floor(span / s[i]!)) + 1;
    if (ceilMode && (out - 1) * s[i]! >= size + p[i]!) out--;
    return out;
  });
  const after = input.map((size, i) =>
    Math.max(p[i]!, (output[i]! - 1) * s[i]! + d[i]! * (k[i]! - 1) + 1 - size - p[i]!),
  );
  const padded = input.map((size, i) => size + p[i]! + after[i]!);
  return { kernel: k, stride: s, dilation: d, before: p, after, input: [...input], padded, output };
}

const numel = (s: readonly number[]) => s.reduce((a, b) => a * b, 1);

/** Row-major positions of every index tuple of `shape`. */
function* tuples(shape: readonly number[]): Generator<number[]> {
  const idx = new Array<number>(shape.length).fill(0);
  const total = numel(shape);
  for (let e = 0; e < total; e++) {
    yield idx;
    for (let i = shape.length - 1; i >= 0; i--) {
      if (++idx[i]! < shape[i]!) break;
      idx[i] = 0;
    }
  }
}

interface WindowIndex {
  padded: Int32Array;
  source: Int32Array;
  /** `padded` as a [1, 1, K·L] int32 tensor per backend, made once (kept out of every scope). */
  tensors: Map<Backend, Tensor>;
}
// Keyed by the Windows object itself: windows() hands out one object per geometry.
const cache = new WeakMap<Windows, WindowIndex>();

/**
 * For window element e (kernel position) and output position o: the flat position in the padded
 * block (`padded`), and in the unpadded input (`source`, −1 for padding), laid out [K, L].
 */
export function windowIndex(w: Windows): WindowIndex {
  const hit = cache.get(w);
  if (hit) return hit;
  const K = numel(w.kernel);
  const L = numel(w.output);
  const padded = new Int32Array(K * L);
  const source = new Int32Array(K * L);
  let e = 0;
  for (const kk of tuples(w.kernel))
    for (const oo of tuples(w.output)) {
      let flat = 0;
      let src = 0;
      let inside = true;
      for (let i = 0; i < kk.length; i++) {
        const pos = oo[i]! * w.stride[i]! + kk[i]! * w.dilation[i]!;
        flat = flat * w.padded[i]! + pos;
        const orig = pos - w.before[i]!;
        if (orig < 0 || orig >= w.input[i]!) inside = false;
        src = src * w.input[i]! + orig;
      }
      padded[e] = flat;
      source[e++] = inside ? src : -1;
    }
  const entry: WindowIndex = { padded, source, tensors: new Map() };
  cache.set(w, entry);
  return entry;
}

/** Pads the spatial dims of [N, C, *spatial] per `w` with `value` (0, or −∞ for max pooling). */
export function padWindows(x: Tensor, w: Windows, value = 0): Tensor {
  let out = x;
  const spatial = w.input.length;
  for (let i = 0; i < spatial; i++) out = padDimRaw(out, 2 + i, w.before[i]!, w.after[i]! - 0);
  if (value === 0 || out === x) return out;
  // A non-zero fill (−∞ for max pooling): put it where the mask of the original block is false.
  let inside = filled([1, 1, ...w.input], true, 'bool', x.storage.backend);
  for (let i = 0; i < spatial; i++) inside = padDimRaw(inside, 2 + i, w.before[i]!, w.after[i]!);
  return where(inside, out, value);
}

/** [N, C, *padded] → [N, C, K, L]: every window's elements (K) at every output position (L). */
export function unfoldWindows(padded: Tensor, w: Windows): Tensor {
  const [n, c] = padded.shape as [number, number];
  return reshapeRaw(unfoldColumns(padded, w), [n, c, numel(w.kernel), numel(w.output)]);
}

/** [N, C, *padded] → [N, C·K, L]: im2col's columns, ready for convolution's matmul. */
export function unfoldColumns(padded: Tensor, w: Windows): Tensor {
  const [n, c] = padded.shape as [number, number];
  const entry = windowIndex(w);
  const index = entry.padded;
  const backend = padded.storage.backend;
  let idx = entry.tensors.get(backend);
  if (!idx) {
    idx = keep(fromBuffer(backend, backend.fromTypedArray(index, 'int32'), [1, 1, index.length], 'int32'));
    entry.tensors.set(backend, idx);
  }
  const flat = reshapeRaw(padded, [n, c, numel(w.padded)]);
  const cols = gatherRaw(flat, 2, expandRaw(idx, [n, c, index.length]));
  return reshapeRaw(cols, [n, c * numel(w.kernel), numel(w.output)]);
}

/** Accepts [N, C, *spatial] or the unbatched [C, *spatial]; `finish` restores the caller's rank. */
export function batched(
  op: string,
  x: Tensor,
  spatial: number,
): { x: Tensor; finish: (t: Tensor) => Tensor } {
  if (x.ndim === spatial + 1) return { x: x.unsqueeze(0), finish: (t) => t.squeeze(0) };
  if (x.ndim !== spatial + 2)
    throw new Error(
      `${op}: expected a ${spatial + 2}-D input [N, C, ${['L', 'H, W', 'D, H, W'][spatial - 1]}] (or ${spatial + 1}-D unbatched), got ${formatShape(x.shape)}`,
    );
  return { x, finish: (t) => t };
}
