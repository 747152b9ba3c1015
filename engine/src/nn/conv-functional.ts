// Convolution and pooling as im2col: a cached integer index gathers every receptive field into
// columns, so convolution is one matmul, pooling is one reduction, and both backward passes come
// from gather's adjoint (scatter-add), with no dedicated kernels.
import { fromBuffer } from '../ops/make.ts';
import { gatherRaw } from '../ops/gather.ts';
import { expandRaw, padDimRaw, reshapeRaw } from '../ops/views.ts';
import { filled } from '../ops/fill.ts';
import { where } from '../ops/where.ts';
import { formatShape } from '../shape.ts';
import type { Tensor } from '../tensor.ts';
import { cat } from '../functional/shape.ts';

export type Pair = number | readonly [number, number];
const pair = (v: Pair): [number, number] => (typeof v === 'number' ? [v, v] : [v[0], v[1]]);

interface Geometry {
  kh: number;
  kw: number;
  sh: number;
  sw: number;
  dh: number;
  dw: number;
  /** Padded input size. */
  hp: number;
  wp: number;
  ho: number;
  wo: number;
}

function geometry(op: string, hp: number, wp: number, k: Pair, s: Pair, d: Pair, ceilMode = false): Geometry {
  const [kh, kw] = pair(k);
  const [sh, sw] = pair(s);
  const [dh, dw] = pair(d);
  const size = (n: number, kk: number, ss: number, dd: number) => {
    const span = n - dd * (kk - 1) - 1;
    return (ceilMode ? Math.ceil(span / ss) : Math.floor(span / ss)) + 1;
  };
  const ho = size(hp, kh, sh, dh);
  const wo = size(wp, kw, sw, dw);
  if (ho <= 0 || wo <= 0)
    throw new Error(
      `${op}: the kernel ${kh}x${kw} (dilation ${dh}x${dw}) is larger than the padded input ${hp}x${wp}`,
    );
  return { kh, kw, sh, sw, dh, dw, hp, wp, ho, wo };
}

const indexCache = new Map<string, Int32Array>();

/** For channel-major columns: index[(c·kh·kw + i·kw + j)·L + oh·wo + ow] into a [C, hp, wp] block. */
function columnIndex(channels: number, g: Geometry): Int32Array {
  const key = `${channels}|${Object.values(g).join(',')}`;
  const cached = indexCache.get(key);
  if (cached) return cached;
  const L = g.ho * g.wo;
  const out = new Int32Array(channels * g.kh * g.kw * L);
  let e = 0;
  for (let c = 0; c < channels; c++)
    for (let i = 0; i < g.kh; i++)
      for (let j = 0; j < g.kw; j++)
        for (let oh = 0; oh < g.ho; oh++)
          for (let ow = 0; ow < g.wo; ow++)
            out[e++] = c * g.hp * g.wp + (oh * g.sh + i * g.dh) * g.wp + (ow * g.sw + j * g.dw);
  if (indexCache.size > 256) indexCache.clear();
  indexCache.set(key, out);
  return out;
}

function pad2d(x: Tensor, padding: Pair, value = 0): Tensor {
  const [ph, pw] = pair(padding);
  if (ph === 0 && pw === 0) return x;
  const padded = padDimRaw(padDimRaw(x, 2, ph, ph), 3, pw, pw);
  if (value === 0) return padded;
  // Non-zero padding (−∞ for max pooling): fill the border through a mask.
  const inside = padDimRaw(
    padDimRaw(
      filled(x.shape.slice(2), true, 'bool', x.storage.backend).reshape(1, 1, x.shape[2]!, x.shape[3]!),
      2,
      ph,
      ph,
    ),
    3,
    pw,
    pw,
  );
  return where(inside.bool(), padded, value);
}

/** [N, C, hp, wp] → [N, C·kh·kw, ho·wo]. */
function unfold(x: Tensor, g: Geometry): Tensor {
  const [n, c] = x.shape as [number, number];
  const index = columnIndex(c, g);
  const backend = x.storage.backend;
  const idx = fromBuffer(backend, backend.fromTypedArray(index), [1, index.length], 'int32');
  const flat = reshapeRaw(x, [n, c * g.hp * g.wp]);
  const cols = gatherRaw(flat, 1, expandRaw(idx, [n, index.length]));
  return reshapeRaw(cols, [n, c * g.kh * g.kw, g.ho * g.wo]);
}

export interface Conv2dOptions {
  stride?: Pair;
  padding?: Pair;
  dilation?: Pair;
  groups?: number;
}

export function conv2d(
  input: Tensor,
  weight: Tensor,
  bias?: Tensor | null,
  options: Conv2dOptions = {},
): Tensor {
  const { stride = 1, padding = 0, dilation = 1, groups = 1 } = options;
  const unbatched = input.ndim === 3;
  const x = unbatched ? input.unsqueeze(0) : input;
  if (x.ndim !== 4 || weight.ndim !== 4)
    throw new Error(
      `conv2d: expected input [N, C, H, W] and weight [O, C/groups, kH, kW], got ${formatShape(input.shape)} and ${formatShape(weight.shape)}`,
    );
  const [n, c] = x.shape as [number, number];
  const [o, cg, kh, kw] = weight.shape as [number, number, number, number];
  if (c !== cg * groups)
    throw new Error(
      `conv2d: input ${formatShape(input.shape)} has ${c} channels, but the weight ${formatShape(weight.shape)} with groups=${groups} expects ${cg * groups}`,
    );
  if (o % groups !== 0)
    throw new Error(`conv2d: out_channels (${o}) must be divisible by groups (${groups})`);
  const padded = pad2d(x, padding);
  const g = geometry('conv2d', padded.shape[2]!, padded.shape[3]!, [kh, kw], stride, dilation);
  const outs: Tensor[] = [];
  for (let k = 0; k < groups; k++) {
    const xs = groups === 1 ? padded : padded.narrow(1, k * cg, cg);
    const ws = groups === 1 ? weight : weight.narrow(0, k * (o / groups), o / groups);
    const cols = unfold(xs, g);
    outs.push(ws.reshape(ws.shape[0]!, cg * kh * kw).matmul(cols));
  }
  let out = outs.length === 1 ? outs[0]! : cat(outs, 1);
  if (bias) out = out.add(bias.reshape(1, o, 1));
  out = out.reshape(n, o, g.ho, g.wo);
  return unbatched ? out.squeeze(0) : out;
}

export interface Conv1dOptions {
  stride?: number;
  padding?: number;
  dilation?: number;
  groups?: number;
}

export function conv1d(
  input: Tensor,
  weight: Tensor,
  bias?: Tensor | null,
  options: Conv1dOptions = {},
): Tensor {
  const { stride = 1, padding = 0, dilation = 1, groups = 1 } = options;
  if (input.ndim !== 3 && input.ndim !== 2)
    throw new Error(`conv1d: expected input [N, C, L] or [C, L], got ${formatShape(input.shape)}`);
  const x = input.unsqueeze(-2);
  const out = conv2d(x, weight.unsqueeze(-2), bias, {
    stride: [1, stride],
    padding: [0, padding],
    dilation: [1, dilation],
    groups,
  });
  return out.squeeze(-2);
}

export interface PoolOptions {
  stride?: Pair | null;
  padding?: Pair;
  dilation?: Pair;
  ceilMode?: boolean;
}

/** Runs `reduce` over every pooling window: x [N, C, H, W] → [N, C, ho, wo]. */
function pool(
  op: string,
  x: Tensor,
  kernel: Pair,
  options: PoolOptions,
  padValue: number,
  reduce: (windows: Tensor) => Tensor,
): Tensor {
  const unbatched = x.ndim === 3;
  const input = unbatched ? x.unsqueeze(0) : x;
  if (input.ndim !== 4)
    throw new Error(`${op}: expected input [N, C, H, W] or [C, H, W], got ${formatShape(x.shape)}`);
  const [n, c] = input.shape as [number, number];
  const [ph, pw] = pair(options.padding ?? 0);
  const [kh, kw] = pair(kernel);
  if (ph > kh / 2 || pw > kw / 2)
    throw new Error(`${op}: pad should be at most half of effective kernel size`);
  const padded = pad2d(input, [ph, pw], padValue);
  const g = geometry(
    op,
    padded.shape[2]!,
    padded.shape[3]!,
    kernel,
    options.stride ?? kernel,
    options.dilation ?? 1,
    options.ceilMode,
  );
  const cols = unfold(padded.reshape(n * c, 1, g.hp, g.wp), g);
  const out = reduce(cols).reshape(n, c, g.ho, g.wo);
  return unbatched ? out.squeeze(0) : out;
}

/** Max over each window; the gradient goes to the (first) maximal element, as in PyTorch. */
export function maxPool2d(x: Tensor, kernel: Pair, options: PoolOptions = {}): Tensor {
  return pool('maxPool2d', x, kernel, options, -Infinity, (cols) => cols.max(1).values);
}

/** Mean over each window, counting zero padding (PyTorch's count_include_pad=True). */
export function avgPool2d(x: Tensor, kernel: Pair, options: Omit<PoolOptions, 'dilation'> = {}): Tensor {
  return pool('avgPool2d', x, kernel, options, 0, (cols) => cols.mean(1));
}

/** Averages windows [floor(i·H/out), ceil((i+1)·H/out)) so that any input maps to `outputSize`. */
export function adaptiveAvgPool2d(x: Tensor, outputSize: Pair): Tensor {
  const [oh, ow] = pair(outputSize);
  const h = x.shape[x.ndim - 2]!;
  const w = x.shape[x.ndim - 1]!;
  if (h % oh === 0 && w % ow === 0) return avgPool2d(x, [h / oh, w / ow]);
  const rows: Tensor[] = [];
  for (let i = 0; i < oh; i++) {
    const h0 = Math.floor((i * h) / oh);
    const h1 = Math.ceil(((i + 1) * h) / oh);
    const cols: Tensor[] = [];
    for (let j = 0; j < ow; j++) {
      const w0 = Math.floor((j * w) / ow);
      const w1 = Math.ceil(((j + 1) * w) / ow);
      cols.push(
        x
          .narrow(-2, h0, h1 - h0)
          .narrow(-1, w0, w1 - w0)
          .mean([-2, -1], true),
      );
    }
    rows.push(cat(cols, -1));
  }
  return cat(rows, -2);
}
