// Convolution (1-, 2- and 3-D, strided, padded, dilated, grouped) as im2col + one matmul per group,
// and transposed convolution as the convolution that is its adjoint (zeros between input elements,
// padding d·(k−1) − p, flipped and transposed weights). Arguments follow torch.nn.functional:
// conv2d(input, weight, bias, stride, padding, dilation, groups), or an options object.
import { pyArgs, is, type Check, type PyRest } from '../args.ts';
import { formatShape } from '../shape.ts';
import type { Tensor } from '../tensor.ts';
import { cat } from '../functional/shape.ts';
import { padDimRaw } from '../ops/views.ts';
import { im2colApplies, im2colRaw } from '../ops/im2col.ts';
import { convolution } from '../ops/conv-direct.ts';
import { numel } from '../shape.ts';
import { batched, expand, padWindows, unfoldColumns, windowIndex, windows, type Size } from './windows.ts';

export type { Size };
/** A size for both axes, or [height, width]. */
export type Pair = number | readonly [number, number];

export interface ConvOptions {
  bias?: Tensor | null;
  stride?: Size;
  /** Zero padding per side, or 'valid' (none) or 'same' (output size = input size; stride 1). */
  padding?: Size | 'valid' | 'same';
  dilation?: Size;
  groups?: number;
}

const CONV = ['bias', 'stride', 'padding', 'dilation', 'groups'] as const;
const makeConvChecks = (n: number): Record<string, Check> => {
  const padding = is.size(n, 0);
  return {
    bias: is.tensorOrNull,
    stride: is.size(n),
    padding: (v) => (v === 'valid' || v === 'same' ? null : padding(v)),
    dilation: is.size(n),
    groups: is.positiveInt,
  };
};
// Built once per rank: conv runs on every step, and building the checks costs as much as running them.
const CONV_CHECKS = [1, 2, 3].map(makeConvChecks);
const convChecks = (n: number): Record<string, Check> => CONV_CHECKS[n - 1]!;

function convNd(
  op: string,
  spatial: number,
  input: Tensor,
  weight: Tensor,
  rest: readonly unknown[],
): Tensor {
  const a = pyArgs<ConvOptions & Record<string, unknown>>(op, CONV, rest, convChecks(spatial));
  const { bias = null, stride = 1, dilation = 1, groups = 1 } = a;
  const { x, finish } = batched(op, input, spatial);
  if (weight.ndim !== spatial + 2)
    throw new Error(
      `${op}: expected a weight [out, in/groups, ${['k', 'kH, kW', 'kD, kH, kW'][spatial - 1]}], got ${formatShape(weight.shape)}`,
    );
  const [n, c] = x.shape as [number, number];
  const [o, cg] = weight.shape as [number, number];
  const k = weight.shape.slice(2);
  if (c !== cg * groups)
    throw new Error(
      `${op}: input ${formatShape(input.shape)} has ${c} channels, but the weight ${formatShape(weight.shape)} with groups=${groups} expects ${cg * groups}`,
    );
  if (o % groups !== 0) throw new Error(`${op}: out_channels (${o}) must be divisible by groups (${groups})`);
  let padding = a.padding ?? 0;
  if (padding === 'valid') padding = 0;
  if (padding === 'same') {
    if (expand(stride, spatial).some((s) => s !== 1))
      throw new Error(`${op}: padding='same' is not supported for strided convolutions`);
    // Total padding d·(k−1) per dim, the extra one (odd totals) on the right, as PyTorch does.
    const total = k.map((kk, i) => expand(dilation, spatial)[i]! * (kk - 1));
    const left = total.map((t) => Math.floor(t / 2));
    const right = total.map((t, i) => t - left[i]!);
    let padded = x;
    for (let i = 0; i < spatial; i++) padded = padDimRaw(padded, 2 + i, left[i]!, right[i]!);
    return finish(convNd(op, spatial, padded, weight, [{ bias, dilation, groups }]));
  }
  const w = windows(op, x.shape.slice(2), k, stride, padding, dilation);
  // On the CPU, im2col reads the unpadded input directly (a window table, no padded copy, no
  // index tensors); elsewhere the columns are gathered from the padded input.
  const direct = im2colApplies(x);
  const padded = direct ? x : padWindows(x, w);
  const kn = cg * k.reduce((p, q) => p * q, 1);
  const outs: Tensor[] = [];
  let added = false;
  for (let g = 0; g < groups; g++) {
    const xs = groups === 1 ? padded : padded.narrow(1, g * cg, cg);
    const ws = groups === 1 ? weight : weight.narrow(0, g * (o / groups), o / groups);
    const w2d = ws.reshape(ws.shape[0]!, kn);
    // On the CPU the columns are laid out where the product reads them (ops/conv-direct.ts),
    // and a single group's bias is added there too.
    // (A weight or bias of another dtype promotes the result: the composed ops.)
    const fused = direct && w2d.dtype === 'float32';
    const fusedBias =
      fused &&
      groups === 1 &&
      bias?.dtype === 'float32' &&
      bias.device === 'cpu' &&
      bias.ndim === 1 &&
      bias.shape[0] === o
        ? bias
        : null;
    const table = () => [windowIndex(w).source, numel(w.kernel), numel(w.output)] as const;
    outs.push(
      fused
        ? convolution(xs, w2d, fusedBias, ...table())
        : w2d.matmul(direct ? im2colRaw(xs, ...table()) : unfoldColumns(xs, w)),
    );
    if (fusedBias) added = true;
  }
  let out = outs.length === 1 ? outs[0]! : cat(outs, 1);
  if (bias && !added) out = out.add(bias.reshape(1, o, 1));
  return finish(out.reshape(n, o, ...w.output));
}

type ConvRest = [
  bias: Tensor | null,
  stride: Size,
  padding: Size | 'valid' | 'same',
  dilation: Size,
  groups: number,
];

export function conv1d(input: Tensor, weight: Tensor, options?: ConvOptions): Tensor;
export function conv1d(input: Tensor, weight: Tensor, ...rest: PyRest<[...ConvRest], ConvOptions>): Tensor;
export function conv1d(input: Tensor, weight: Tensor, ...rest: unknown[]): Tensor {
  return convNd('conv1d', 1, input, weight, rest);
}

export function conv2d(input: Tensor, weight: Tensor, options?: ConvOptions): Tensor;
export function conv2d(input: Tensor, weight: Tensor, ...rest: PyRest<[...ConvRest], ConvOptions>): Tensor;
export function conv2d(input: Tensor, weight: Tensor, ...rest: unknown[]): Tensor {
  return convNd('conv2d', 2, input, weight, rest);
}

export function conv3d(input: Tensor, weight: Tensor, options?: ConvOptions): Tensor;
export function conv3d(input: Tensor, weight: Tensor, ...rest: PyRest<[...ConvRest], ConvOptions>): Tensor;
export function conv3d(input: Tensor, weight: Tensor, ...rest: unknown[]): Tensor {
  return convNd('conv3d', 3, input, weight, rest);
}

export interface ConvTransposeOptions {
  bias?: Tensor | null;
  stride?: Size;
  padding?: Size;
  outputPadding?: Size;
  groups?: number;
  dilation?: Size;
}
const CONV_T = ['bias', 'stride', 'padding', 'outputPadding', 'groups', 'dilation'] as const;

function convTransposeNd(
  op: string,
  spatial: number,
  input: Tensor,
  weight: Tensor,
  rest: readonly unknown[],
) {
  const a = pyArgs<ConvTransposeOptions & Record<string, unknown>>(op, CONV_T, rest, {
    ...convChecks(spatial),
    padding: is.size(spatial, 0),
    outputPadding: is.size(spatial, 0),
  });
  const { bias = null, groups = 1 } = a;
  const [s, p, op_, d] = [a.stride ?? 1, a.padding ?? 0, a.outputPadding ?? 0, a.dilation ?? 1].map((v) =>
    expand(v, spatial),
  ) as [number[], number[], number[], number[]];
  const { x, finish } = batched(op, input, spatial);
  if (weight.ndim !== spatial + 2)
    throw new Error(`${op}: expected a weight [in, out/groups, *kernel], got ${formatShape(weight.shape)}`);
  const [cin, cog] = weight.shape as [number, number];
  const k = weight.shape.slice(2);
  if (x.shape[1] !== cin || cin % groups !== 0)
    throw new Error(
      `${op}: input ${formatShape(input.shape)} has ${x.shape[1]} channels, but the weight ${formatShape(weight.shape)} expects ${cin} (divisible by groups=${groups})`,
    );
  for (let i = 0; i < spatial; i++)
    if (op_[i]! >= Math.max(s[i]!, d[i]!))
      throw new Error(`${op}: output_padding must be smaller than either stride or dilation, got ${op_[i]}`);
  // Zeros between the input's elements (stride), then padding d·(k−1) − p (cropping if negative).
  let z = x;
  for (let i = 0; i < spatial; i++) {
    const dim = 2 + i;
    const len = z.shape[dim]!;
    if (s[i]! > 1) {
      const spread = padDimRaw(z.unsqueeze(dim + 1), dim + 1, 0, s[i]! - 1);
      const shape = [...z.shape];
      shape[dim] = len * s[i]!;
      z = spread.reshape(shape).narrow(dim, 0, (len - 1) * s[i]! + 1);
    }
    const edge = d[i]! * (k[i]! - 1) - p[i]!;
    const [left, right] = [edge, edge + op_[i]!];
    if (left >= 0 && right >= 0) z = padDimRaw(z, dim, left, right);
    else {
      z = padDimRaw(z, dim, Math.max(0, left), Math.max(0, right));
      const size = z.shape[dim]!;
      z = z.narrow(dim, Math.max(0, -left), size - Math.max(0, -left) - Math.max(0, -right));
    }
  }
  // Each group's weight [in/g, out/g, *k] becomes [out/g, in/g, *k], flipped in space.
  const ing = cin / groups;
  const flipDims = k.map((_, i) => 2 + i);
  const parts: Tensor[] = [];
  for (let g = 0; g < groups; g++)
    parts.push(
      weight
        .narrow(0, g * ing, ing)
        .transpose(0, 1)
        .flip(flipDims),
    );
  const w = parts.length === 1 ? parts[0]! : cat(parts, 0);
  const out = convNd(op, spatial, z, w, [{ bias, dilation: d, groups }]);
  if (out.shape[1] !== cog * groups) throw new Error(`${op}: internal shape mismatch`);
  return finish(out);
}

type ConvTRest = [
  bias: Tensor | null,
  stride: Size,
  padding: Size,
  outputPadding: Size,
  groups: number,
  dilation: Size,
];

export function convTranspose1d(input: Tensor, weight: Tensor, options?: ConvTransposeOptions): Tensor;
export function convTranspose1d(
  input: Tensor,
  weight: Tensor,
  ...rest: PyRest<[...ConvTRest], ConvTransposeOptions>
): Tensor;
export function convTranspose1d(input: Tensor, weight: Tensor, ...rest: unknown[]): Tensor {
  return convTransposeNd('convTranspose1d', 1, input, weight, rest);
}

export function convTranspose2d(input: Tensor, weight: Tensor, options?: ConvTransposeOptions): Tensor;
export function convTranspose2d(
  input: Tensor,
  weight: Tensor,
  ...rest: PyRest<[...ConvTRest], ConvTransposeOptions>
): Tensor;
export function convTranspose2d(input: Tensor, weight: Tensor, ...rest: unknown[]): Tensor {
  return convTransposeNd('convTranspose2d', 2, input, weight, rest);
}
