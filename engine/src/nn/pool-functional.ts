// Pooling (1-, 2- and 3-D max and average, adaptive average and max, max-unpooling) over the
// windows of windows.ts, with torch.nn.functional's arguments: max_pool2d(input, kernel_size,
// stride, padding, dilation, ceil_mode, return_indices), avg_pool2d(input, kernel_size, stride,
// padding, ceil_mode, count_include_pad, divisor_override), or an options object. Windows that
// overhang the input in ceil mode are handled as PyTorch does (ignored by max, not counted by avg).
import { pyArgs, is, type PyRest } from '../args.ts';
import { tensor } from '../creation.ts';
import type { Tensor } from '../tensor.ts';
import { stack } from '../functional/shape.ts';
import { zeros } from '../creation.ts';
import { batched, expand, padWindows, unfoldWindows, windowIndex, windows, type Size } from './windows.ts';
import { im2colApplies, maxPoolRaw } from '../ops/im2col.ts';
import { numel } from '../shape.ts';

export interface MaxPoolOptions {
  stride?: Size | null;
  padding?: Size;
  dilation?: Size;
  ceilMode?: boolean;
  returnIndices?: boolean;
}
export interface AvgPoolOptions {
  stride?: Size | null;
  padding?: Size;
  ceilMode?: boolean;
  countIncludePad?: boolean;
  divisorOverride?: number | null;
}

const MAX = ['stride', 'padding', 'dilation', 'ceilMode', 'returnIndices'] as const;
const AVG = ['stride', 'padding', 'ceilMode', 'countIncludePad', 'divisorOverride'] as const;

function maxPoolNd(op: string, spatial: number, input: Tensor, kernel: Size, rest: readonly unknown[]) {
  const a = pyArgs<MaxPoolOptions & Record<string, unknown>>(op, MAX, rest, {
    stride: is.orNull(is.size(spatial)),
    padding: is.size(spatial, 0),
    dilation: is.size(spatial),
    ceilMode: is.bool,
    returnIndices: is.bool,
  });
  const { x, finish } = batched(op, input, spatial);
  const k = expand(kernel, spatial);
  const p = expand(a.padding ?? 0, spatial);
  if (p.some((pp, i) => pp > k[i]! / 2))
    throw new Error(
      `${op}: pad should be at most half of effective kernel size, got padding ${p.join('x')} for kernel ${k.join('x')}`,
    );
  const w = windows(op, x.shape.slice(2), k, a.stride ?? k, p, a.dilation ?? 1, a.ceilMode ?? false);
  const [n, c] = x.shape as [number, number];
  // On the CPU: one pass over the window table keeping each window's first maximum and where it
  // was (backward adds the gradient there, as PyTorch's max_pool does); elsewhere gather columns.
  if (!a.returnIndices && im2colApplies(x)) {
    const { source } = windowIndex(w);
    const pooled = maxPoolRaw(x, source, numel(w.kernel), numel(w.output));
    return finish(pooled.reshape(n, c, ...w.output));
  }
  const cols = unfoldWindows(padWindows(x, w, -Infinity), w);
  const out = finish(cols.amax(2).reshape(n, c, ...w.output));
  if (!a.returnIndices) return out;
  // The flat position (over the spatial dims of the input) of each window's first maximum.
  const at = cols.argmax(2);
  const { source } = windowIndex(w);
  const L = w.output.reduce((q, r) => q * r, 1);
  const table = tensor(source, { dtype: 'int64', device: x.device }).reshape(-1, L);
  const position = at.mul(L).add(tensor([...Array(L).keys()], { dtype: 'int32', device: x.device }));
  const indices = table
    .reshape(-1)
    .index(position.reshape(-1))
    .reshape(n, c, ...w.output);
  return [out, finish(indices)] as const;
}

type MaxRest = [
  stride: Size | null,
  padding: Size,
  dilation: Size,
  ceilMode: boolean,
  returnIndices: boolean,
];
type MaxResult<O> = O extends { returnIndices: true } ? readonly [Tensor, Tensor] : Tensor;

/** The maximum of each window; the gradient goes to the first maximal element, as in PyTorch. */
export function maxPool2d<O extends MaxPoolOptions>(
  input: Tensor,
  kernelSize: Size,
  options?: O,
): MaxResult<O>;
export function maxPool2d(
  input: Tensor,
  kernelSize: Size,
  ...rest: PyRest<[...MaxRest], MaxPoolOptions>
): Tensor;
export function maxPool2d(input: Tensor, kernelSize: Size, ...rest: unknown[]): unknown {
  return maxPoolNd('maxPool2d', 2, input, kernelSize, rest);
}
export function maxPool1d<O extends MaxPoolOptions>(
  input: Tensor,
  kernelSize: Size,
  options?: O,
): MaxResult<O>;
export function maxPool1d(
  input: Tensor,
  kernelSize: Size,
  ...rest: PyRest<[...MaxRest], MaxPoolOptions>
): Tensor;
export function maxPool1d(input: Tensor, kernelSize: Size, ...rest: unknown[]): unknown {
  return maxPoolNd('maxPool1d', 1, input, kernelSize, rest);
}
export function maxPool3d<O extends MaxPoolOptions>(
  input: Tensor,
  kernelSize: Size,
  options?: O,
): MaxResult<O>;
export function maxPool3d(
  input: Tensor,
  kernelSize: Size,
  ...rest: PyRest<[...MaxRest], MaxPoolOptions>
): Tensor;
export function maxPool3d(input: Tensor, kernelSize: Size, ...rest: unknown[]): unknown {
  return maxPoolNd('maxPool3d', 3, input, kernelSize, rest);
}

function avgPoolNd(
  op: string,
  spatial: number,
  input: Tensor,
  kernel: Size,
  rest: readonly unknown[],
): Tensor {
  const a = pyArgs<AvgPoolOptions & Record<string, unknown>>(op, AVG, rest, {
    stride: is.orNull(is.size(spatial)),
    padding: is.size(spatial, 0),
    ceilMode: is.bool,
    countIncludePad: is.bool,
    divisorOverride: is.orNull(is.positiveInt),
  });
  const { x, finish } = batched(op, input, spatial);
  const k = expand(kernel, spatial);
  const p = expand(a.padding ?? 0, spatial);
  if (p.some((pp, i) => pp > k[i]! / 2))
    throw new Error(
      `${op}: pad should be at most half of kernel size, got padding ${p.join('x')} for kernel ${k.join('x')}`,
    );
  const w = windows(op, x.shape.slice(2), k, a.stride ?? k, p, 1, a.ceilMode ?? false);
  const cols = unfoldWindows(padWindows(x, w), w);
  const [n, c] = x.shape as [number, number];
  const sums = cols.sum(2);
  let divisor: Tensor | number;
  if (a.divisorOverride) divisor = a.divisorOverride;
  else {
    // Per output position: the window's elements inside the padded input (count_include_pad) or
    // inside the input itself; elements of a ceil-mode overhang never count.
    const includePad = a.countIncludePad ?? true;
    const L = w.output.reduce((q, r) => q * r, 1);
    const counts = new Array<number>(L).fill(0);
    const strides = w.output.map((_, i) => w.output.slice(i + 1).reduce((q, r) => q * r, 1));
    for (let o = 0; o < L; o++) {
      let count = 1;
      for (let i = 0; i < spatial; i++) {
        const start = (Math.floor(o / strides[i]!) % w.output[i]!) * w.stride[i]! - w.before[i]!;
        const lo = includePad ? -w.before[i]! : 0;
        const hi = includePad ? w.input[i]! + w.before[i]! : w.input[i]!;
        count *= Math.max(0, Math.min(start + k[i]!, hi) - Math.max(start, lo));
      }
      counts[o] = count;
    }
    divisor = tensor(counts, { dtype: x.dtype, device: x.device });
  }
  return finish(sums.div(divisor).reshape(n, c, ...w.output));
}

type AvgRest = [
  stride: Size | null,
  padding: Size,
  ceilMode: boolean,
  countIncludePad: boolean,
  divisorOverride: number | null,
];

/** The mean of each window (PyTorch's count_include_pad and divisor_override rules). */
export function avgPool2d(input: Tensor, kernelSize: Size, options?: AvgPoolOptions): Tensor;
export function avgPool2d(
  input: Tensor,
  kernelSize: Size,
  ...rest: PyRest<[...AvgRest], AvgPoolOptions>
): Tensor;
export function avgPool2d(input: Tensor, kernelSize: Size, ...rest: unknown[]): Tensor {
  return avgPoolNd('avgPool2d', 2, input, kernelSize, rest);
}
export function avgPool1d(input: Tensor, kernelSize: Size, options?: AvgPoolOptions): Tensor;
export function avgPool1d(
  input: Tensor,
  kernelSize: Size,
  ...rest: PyRest<[...AvgRest], AvgPoolOptions>
): Tensor;
export function avgPool1d(input: Tensor, kernelSize: Size, ...rest: unknown[]): Tensor {
  return avgPoolNd('avgPool1d', 1, input, kernelSize, rest);
}
export function avgPool3d(input: Tensor, kernelSize: Size, options?: AvgPoolOptions): Tensor;
export function avgPool3d(
  input: Tensor,
  kernelSize: Size,
  ...rest: PyRest<[...AvgRest], AvgPoolOptions>
): Tensor;
export function avgPool3d(input: Tensor, kernelSize: Size, ...rest: unknown[]): Tensor {
  return avgPoolNd('avgPool3d', 3, input, kernelSize, rest);
}

/** The windows [floor(i·H/out), ceil((i+1)·H/out)) of adaptive pooling along one dim. */
const adaptiveRange = (i: number, size: number, out: number): [number, number] => [
  Math.floor((i * size) / out),
  Math.ceil(((i + 1) * size) / out),
];

function adaptive2d(
  op: string,
  x: Tensor,
  outputSize: Size | readonly (number | null)[],
  reduce: (t: Tensor) => Tensor,
) {
  if (x.ndim !== 3 && x.ndim !== 4)
    throw new Error(`${op}: expected [N, C, H, W] or [C, H, W], got [${x.shape.join(', ')}]`);
  const h = x.shape[x.ndim - 2]!;
  const w = x.shape[x.ndim - 1]!;
  const sizes = typeof outputSize === 'number' ? [outputSize, outputSize] : [...outputSize];
  const [oh, ow] = [sizes[0] ?? h, sizes[1] ?? w];
  const rows: Tensor[] = [];
  for (let i = 0; i < oh; i++) {
    const [h0, h1] = adaptiveRange(i, h, oh);
    const cols: Tensor[] = [];
    for (let j = 0; j < ow; j++) {
      const [w0, w1] = adaptiveRange(j, w, ow);
      cols.push(
        reduce(
          x
            .narrow(-2, h0, h1 - h0)
            .narrow(-1, w0, w1 - w0)
            .flatten(-2),
        ),
      );
    }
    rows.push(stack(cols, -1));
  }
  return stack(rows, -2);
}

/** Averages adaptive windows so that any input maps to `outputSize` (null keeps that dim). */
export function adaptiveAvgPool2d(input: Tensor, outputSize: Size | readonly (number | null)[]): Tensor {
  const h = input.shape[input.ndim - 2]!;
  const w = input.shape[input.ndim - 1]!;
  const sizes = typeof outputSize === 'number' ? [outputSize, outputSize] : [...outputSize];
  const [oh, ow] = [sizes[0] ?? h, sizes[1] ?? w];
  if (h % oh === 0 && w % ow === 0) return avgPool2d(input, [h / oh, w / ow]);
  return adaptive2d('adaptiveAvgPool2d', input, outputSize, (t) => t.mean(-1));
}

/** The maximum of each adaptive window (with their flat input positions when asked). */
export function adaptiveMaxPool2d(
  input: Tensor,
  outputSize: Size | readonly (number | null)[],
  returnIndices = false,
): Tensor | readonly [Tensor, Tensor] {
  const values = adaptive2d('adaptiveMaxPool2d', input, outputSize, (t) => t.amax(-1));
  if (!returnIndices) return values;
  const w = input.shape[input.ndim - 1]!;
  const h = input.shape[input.ndim - 2]!;
  const sizes = typeof outputSize === 'number' ? [outputSize, outputSize] : [...outputSize];
  const [oh, ow] = [sizes[0] ?? h, sizes[1] ?? w];
  const rows: Tensor[] = [];
  for (let i = 0; i < oh; i++) {
    const [h0, h1] = adaptiveRange(i, h, oh);
    const cols: Tensor[] = [];
    for (let j = 0; j < ow; j++) {
      const [w0, w1] = adaptiveRange(j, w, ow);
      const at = input
        .narrow(-2, h0, h1 - h0)
        .narrow(-1, w0, w1 - w0)
        .flatten(-2)
        .argmax(-1);
      const width = w1 - w0;
      cols.push(at.div(width, { roundingMode: 'floor' }).add(h0).mul(w).add(at.remainder(width).add(w0)));
    }
    rows.push(stack(cols, -1));
  }
  return [values, stack(rows, -2)] as const;
}

/** Puts each value back at the flat input position its max-pool index names; zeros elsewhere. */
export function maxUnpool2d(
  input: Tensor,
  indices: Tensor,
  kernelSize: Size,
  ...rest: PyRest<
    [stride: Size | null, padding: Size, outputSize: readonly number[] | null],
    Record<string, unknown>
  >
): Tensor {
  const a = pyArgs<{ stride: Size | null; padding: Size; outputSize: readonly number[] | null }>(
    'maxUnpool2d',
    ['stride', 'padding', 'outputSize'],
    rest,
    { stride: is.orNull(is.size(2)), padding: is.size(2, 0) },
  );
  const { x, finish } = batched('maxUnpool2d', input, 2);
  const idx = indices.ndim === 3 ? indices.unsqueeze(0) : indices;
  const k = expand(kernelSize, 2);
  const s = expand(a.stride ?? k, 2);
  const p = expand(a.padding ?? 0, 2);
  const [n, c, h, w] = x.shape as [number, number, number, number];
  const defaultSize = [(h - 1) * s[0]! - 2 * p[0]! + k[0]!, (w - 1) * s[1]! - 2 * p[1]! + k[1]!];
  const size = a.outputSize ? a.outputSize.slice(-2) : defaultSize;
  const flat = zeros([n, c, size[0]! * size[1]!], { dtype: x.dtype, device: x.device });
  const out = flat.scatter(2, idx.reshape(n, c, -1), x.reshape(n, c, -1)).reshape(n, c, size[0]!, size[1]!);
  return finish(out);
}

/** im2col: [N, C, H, W] → [N, C·kh·kw, L], every sliding window as a column (torch's F.unfold). */
export function unfold(
  input: Tensor,
  kernelSize: Size,
  ...rest: PyRest<[dilation: Size, padding: Size, stride: Size], Record<string, unknown>>
): Tensor {
  const a = pyArgs<{ dilation: Size; padding: Size; stride: Size }>(
    'unfold',
    ['dilation', 'padding', 'stride'],
    rest,
    {
      dilation: is.size(2),
      padding: is.size(2, 0),
      stride: is.size(2),
    },
  );
  const { x, finish } = batched('unfold', input, 2);
  const w = windows('unfold', x.shape.slice(2), kernelSize, a.stride ?? 1, a.padding ?? 0, a.dilation ?? 1);
  const [n, c] = x.shape as [number, number];
  return finish(unfoldWindows(padWindows(x, w), w).reshape(n, c * w.kernel[0]! * w.kernel[1]!, -1));
}

/** col2im, the adjoint of unfold: sums each column's values back into an [N, C, H, W] image. */
export function fold(
  input: Tensor,
  outputSize: Size,
  kernelSize: Size,
  ...rest: PyRest<[dilation: Size, padding: Size, stride: Size], Record<string, unknown>>
): Tensor {
  const a = pyArgs<{ dilation: Size; padding: Size; stride: Size }>(
    'fold',
    ['dilation', 'padding', 'stride'],
    rest,
    {
      dilation: is.size(2),
      padding: is.size(2, 0),
      stride: is.size(2),
    },
  );
  const unbatched = input.ndim === 2;
  const cols = unbatched ? input.unsqueeze(0) : input;
  const [oh, ow] = expand(outputSize, 2) as [number, number];
  const w = windows('fold', [oh, ow], kernelSize, a.stride ?? 1, a.padding ?? 0, a.dilation ?? 1);
  const K = w.kernel[0]! * w.kernel[1]!;
  const L = w.output[0]! * w.output[1]!;
  const [n, ck, l] = cols.shape as [number, number, number];
  if (ck % K !== 0 || l !== L)
    throw new Error(
      `fold: expected an input [N, C·${K}, ${L}] for these sizes, got [${cols.shape.join(', ')}]`,
    );
  const c = ck / K;
  const { padded } = windowIndex(w);
  const area = w.padded[0]! * w.padded[1]!;
  const index = tensor(padded, { dtype: 'int32', device: input.device })
    .reshape(1, 1, K * L)
    .expand(n, c, K * L);
  const image = zeros([n, c, area], { dtype: input.dtype, device: input.device })
    .scatterAdd(2, index, cols.reshape(n, c, K * L))
    .reshape(n, c, w.padded[0]!, w.padded[1]!)
    .narrow(2, w.before[0]!, oh)
    .narrow(3, w.before[1]!, ow);
  return unbatched ? image.squeeze(0) : image;
}
