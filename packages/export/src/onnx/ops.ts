// Each model node kind as ONNX operators (opset 17). The table is typed over every model kind, so
// a kind without an exporter is a compile error. Each entry gets the node, the builder and the
// ONNX names of its inputs, and returns the ONNX names of its outputs by port.
import type { ParamsOf } from '@hgrad/ir';
import type { FlatNode, ModelKind } from '../flat.ts';
import { INT64_MAX, type AttrValue, type OnnxBuilder } from './builder.ts';

type Values = Record<string, string>;
export type OnnxOp<K extends ModelKind> = (node: FlatNode<K>, b: OnnxBuilder, inputs: Values) => Values;

const pair = (v: number | readonly number[]): [number, number] =>
  typeof v === 'number' ? [v, v] : [v[0]!, v[1]!];
const rank = (n: { inputShapes: Record<string, readonly unknown[]> }, port = 'input') =>
  n.inputShapes[port]!.length;
const axis = (dim: number, r: number) => (dim < 0 ? dim + r : dim);

/** One input, one output, one ONNX op. */
const unary =
  <K extends ModelKind>(
    type: string,
    attrs: (p: ParamsOf<K>, n: FlatNode<K>) => Record<string, AttrValue> = () => ({}),
  ): OnnxOp<K> =>
  (n, b, { input }) => ({ output: b.op1(type, [input!], attrs(n.params, n), n.path) });

const binary =
  <K extends ModelKind>(type: string): OnnxOp<K> =>
  (n, b, { a, b: rhs }) => ({ output: b.op1(type, [a!, rhs!], {}, n.path) });

function linear(
  b: OnnxBuilder,
  base: string,
  x: string,
  xRank: number,
  weight: string,
  bias: string | null,
): string {
  if (xRank === 2) return b.op1('Gemm', bias ? [x, weight, bias] : [x, weight], { transB: 1 }, base);
  // Rank > 2: MatMul broadcasts over the leading dims; the stored weight stays [out, in].
  const y = b.op1('MatMul', [x, b.op1('Transpose', [weight], { perm: [1, 0] }, base)], {}, base);
  return bias ? b.op1('Add', [y, bias], {}, base) : y;
}

/** A constant weight made of rows of a stored one (MultiheadAttention's in_proj), transposed. */
function rowsTransposed(b: OnnxBuilder, name: string, from: number, count: number, label: string): string {
  const { shape, data } = b.values(name);
  const cols = shape[1]!;
  const out = new Float32Array(count * cols);
  for (let r = 0; r < count; r++)
    for (let c = 0; c < cols; c++) out[c * count + r] = data[(from + r) * cols + c]!;
  return b.floats(label, [cols, count], out);
}

function slice1d(b: OnnxBuilder, name: string, from: number, count: number, label: string): string {
  const { data } = b.values(name);
  return b.floats(label, [count], data.slice(from, from + count));
}

/**
 * PyTorch stacks gates as RNN [h], GRU [r, z, n], LSTM [i, f, g, o]; ONNX wants [h], [z, r, h],
 * [i, o, f, c]: `order` lists, for each ONNX gate, the PyTorch gate it takes.
 */
function recurrent<K extends 'RNN' | 'GRU' | 'LSTM'>(
  type: K,
  order: readonly number[],
  attrs: Record<string, number> = {},
): OnnxOp<K> {
  return (n, b, { input }) => {
    // RNN, GRU and LSTM share one params schema.
    const p = n.params as ParamsOf<'RNN'>;
    const h = p.hiddenSize;
    const gates = order.length;
    const regate = (name: string): Float32Array => {
      const { data } = b.values(name);
      const block = data.length / gates;
      const out = new Float32Array(data.length);
      order.forEach((from, to) => out.set(data.subarray(from * block, (from + 1) * block), to * block));
      return out;
    };
    // batch_first [N, T, I] → ONNX's [T, N, I].
    let x = b.op1('Transpose', [input!], { perm: [1, 0, 2] }, n.path);
    for (let l = 0; l < p.numLayers; l++) {
      const inSize = l === 0 ? p.inputSize : h;
      const W = b.floats(
        `${n.prefix}onnx_W_l${l}`,
        [1, gates * h, inSize],
        regate(`${n.prefix}weight_ih_l${l}`),
      );
      const R = b.floats(`${n.prefix}onnx_R_l${l}`, [1, gates * h, h], regate(`${n.prefix}weight_hh_l${l}`));
      const bias = new Float32Array(2 * gates * h);
      bias.set(regate(`${n.prefix}bias_ih_l${l}`), 0);
      bias.set(regate(`${n.prefix}bias_hh_l${l}`), gates * h);
      const B = b.floats(`${n.prefix}onnx_B_l${l}`, [1, 2 * gates * h], bias);
      const [y] = b.op(
        type,
        [x, W, R, B],
        { hidden_size: h, ...attrs },
        { count: type === 'LSTM' ? 3 : 2, base: n.path },
      );
      // Y is [T, directions=1, N, H].
      x = b.op1('Squeeze', [y!, b.ints(n.path, [1])], {}, n.path);
    }
    return { output: b.op1('Transpose', [x], { perm: [1, 0, 2] }, n.path) };
  };
}

export const ONNX_OPS = {
  Linear: (n, b, { input }) => ({
    output: linear(
      b,
      n.path,
      input!,
      rank(n),
      b.weight(`${n.prefix}weight`),
      n.params.bias ? b.weight(`${n.prefix}bias`) : null,
    ),
  }),
  Conv2d: (n, b, { input }) => {
    const [ph, pw] = pair(n.params.padding);
    const inputs = [input!, b.weight(`${n.prefix}weight`)];
    if (n.params.bias) inputs.push(b.weight(`${n.prefix}bias`));
    return {
      output: b.op1(
        'Conv',
        inputs,
        {
          kernel_shape: pair(n.params.kernelSize),
          strides: pair(n.params.stride),
          pads: [ph, pw, ph, pw],
          dilations: [1, 1],
          group: 1,
        },
        n.path,
      ),
    };
  },
  MaxPool2d: unary('MaxPool', (p) => pool(p)),
  // PyTorch's avg_pool2d counts the zero padding in the divisor by default.
  AvgPool2d: unary('AveragePool', (p) => ({ ...pool(p), count_include_pad: 1 })),
  // ONNX has no adaptive pooling: 1×1 is GlobalAveragePool; an output size that divides the input
  // is an AveragePool with windows that tile it (what torch.onnx.export writes); others are refused.
  AdaptiveAvgPool2d: (n, b, { input }) => {
    const [oh, ow] = pair(n.params.outputSize);
    if (oh === 1 && ow === 1) return { output: b.op1('GlobalAveragePool', [input!], {}, n.path) };
    const [, , h, w] = n.inputShapes.input!;
    if (typeof h !== 'number' || typeof w !== 'number' || h % oh !== 0 || w % ow !== 0)
      throw new Error(
        `ONNX has no adaptive pooling: output ${oh}x${ow} from input ${String(h)}x${String(w)} exports only when it divides the input (or is 1x1)`,
      );
    const kernel = [h / oh, w / ow];
    return {
      output: b.op1(
        'AveragePool',
        [input!],
        { kernel_shape: kernel, strides: kernel, pads: [0, 0, 0, 0] },
        n.path,
      ),
    };
  },
  BatchNorm1d: batchNorm,
  BatchNorm2d: batchNorm,
  LayerNorm: (n, b, { input }) => ({
    output: b.op1(
      'LayerNormalization',
      [input!, b.weight(`${n.prefix}weight`), b.weight(`${n.prefix}bias`)],
      { axis: -1, epsilon: { float: n.params.eps } },
      n.path,
    ),
  }),
  GroupNorm: (n, b, { input }) => {
    // Normalise each group of channels over its channels and positions: reshape to [N, G, −1].
    const g = n.params.numGroups;
    const r = rank(n);
    const grouped = b.op1('Reshape', [input!, b.ints(n.path, [0, g, -1])], {}, n.path);
    const mean = b.op1('ReduceMean', [grouped], { axes: [2], keepdims: 1 }, n.path);
    const centred = b.op1('Sub', [grouped, mean], {}, n.path);
    const variance = b.op1(
      'ReduceMean',
      [b.op1('Mul', [centred, centred], {}, n.path)],
      { axes: [2], keepdims: 1 },
      n.path,
    );
    const std = b.op1(
      'Sqrt',
      [b.op1('Add', [variance, b.scalar(n.path, n.params.eps)], {}, n.path)],
      {},
      n.path,
    );
    let y = b.op1(
      'Reshape',
      [b.op1('Div', [centred, std], {}, n.path), b.op1('Shape', [input!], {}, n.path)],
      {},
      n.path,
    );
    if (n.params.affine) {
      const perChannel = b.ints(n.path, [n.params.numChannels, ...new Array<number>(r - 2).fill(1)]);
      const w = b.op1('Reshape', [b.weight(`${n.prefix}weight`), perChannel], {}, n.path);
      const bias = b.op1('Reshape', [b.weight(`${n.prefix}bias`), perChannel], {}, n.path);
      y = b.op1('Add', [b.op1('Mul', [y, w], {}, n.path), bias], {}, n.path);
    }
    return { output: y };
  },
  Embedding: (n, b, { input }) => ({
    output: b.op1('Gather', [b.weight(`${n.prefix}weight`), input!], { axis: 0 }, n.path),
  }),
  RNN: recurrent('RNN', [0]),
  GRU: recurrent('GRU', [1, 0, 2], { linear_before_reset: 1 }),
  LSTM: recurrent('LSTM', [0, 3, 1, 2]),
  SelfAttention: (n, b, { input }) => {
    const e = n.params.embedDim;
    const heads = n.params.numHeads;
    const d = e / heads;
    const x = input!;
    const base = n.path;
    const inW = `${n.prefix}in_proj_weight`;
    const inB = `${n.prefix}in_proj_bias`;
    const project = (i: number, label: string) =>
      b.op1(
        'Add',
        [
          b.op1('MatMul', [x, rowsTransposed(b, inW, i * e, e, `${n.prefix}onnx_${label}_T`)], {}, base),
          slice1d(b, inB, i * e, e, `${n.prefix}onnx_${label}_bias`),
        ],
        {},
        base,
      );
    // [N, T, E] → [N, heads, T, d]
    const split = (v: string, perm: number[]) =>
      b.op1('Transpose', [b.op1('Reshape', [v, b.ints(base, [0, 0, heads, d])], {}, base)], { perm }, base);
    const q = split(project(0, 'q'), [0, 2, 1, 3]);
    const kT = split(project(1, 'k'), [0, 2, 3, 1]);
    const v = split(project(2, 'v'), [0, 2, 1, 3]);
    let scores = b.op1(
      'Mul',
      [b.op1('MatMul', [q, kT], {}, base), b.scalar(base, 1 / Math.sqrt(d))],
      {},
      base,
    );
    if (n.params.causal) {
      // −∞ above the diagonal for the sequence length of this input.
      const t = b.op1(
        'Slice',
        [b.op1('Shape', [x], {}, base), b.ints(base, [1]), b.ints(base, [2])],
        {},
        base,
      );
      const square = b.op1('Concat', [t, t], { axis: 0 }, base);
      const full = b.op1('ConstantOfShape', [square], {}, base);
      const ones = b.op1('Add', [full, b.scalar(base, 1)], {}, base);
      const upper = b.op1('Trilu', [ones, b.ints(base, [1], [])], { upper: 1 }, base);
      const mask = b.op1('Mul', [upper, b.scalar(base, -1e30)], {}, base);
      scores = b.op1('Add', [scores, mask], {}, base);
    }
    const attn = b.op1('Softmax', [scores], { axis: -1 }, base);
    const heads3 = b.op1('Transpose', [b.op1('MatMul', [attn, v], {}, base)], { perm: [0, 2, 1, 3] }, base);
    const merged = b.op1('Reshape', [heads3, b.ints(base, [0, 0, e])], {}, base);
    return {
      output: linear(
        b,
        base,
        merged,
        3,
        b.weight(`${n.prefix}out_proj.weight`),
        b.weight(`${n.prefix}out_proj.bias`),
      ),
    };
  },
  ReLU: unary('Relu'),
  Tanh: unary('Tanh'),
  Sigmoid: unary('Sigmoid'),
  SiLU: (n, b, { input }) => ({
    output: b.op1('Mul', [input!, b.op1('Sigmoid', [input!], {}, n.path)], {}, n.path),
  }),
  GELU: (n, b, { input }) => {
    const x = input!;
    const base = n.path;
    const half = b.op1('Mul', [x, b.scalar(base, 0.5)], {}, base);
    let inner: string;
    if (n.params.approximate === 'tanh') {
      const cube = b.op1('Mul', [b.op1('Mul', [x, x], {}, base), x], {}, base);
      const poly = b.op1('Add', [x, b.op1('Mul', [cube, b.scalar(base, 0.044715)], {}, base)], {}, base);
      inner = b.op1(
        'Tanh',
        [b.op1('Mul', [poly, b.scalar(base, Math.sqrt(2 / Math.PI))], {}, base)],
        {},
        base,
      );
    } else inner = b.op1('Erf', [b.op1('Mul', [x, b.scalar(base, Math.SQRT1_2)], {}, base)], {}, base);
    return { output: b.op1('Mul', [half, b.op1('Add', [inner, b.scalar(base, 1)], {}, base)], {}, base) };
  },
  LeakyReLU: (n, b, { input }) => ({
    output: b.op1('LeakyRelu', [input!], { alpha: { float: n.params.negativeSlope } }, n.path),
  }),
  ELU: (n, b, { input }) => ({
    output: b.op1('Elu', [input!], { alpha: { float: n.params.alpha } }, n.path),
  }),
  // torch: x where β·x > threshold, else log(1 + e^(β·x)) / β (ONNX's Softplus has neither).
  Softplus: (n, b, { input }) => {
    const x = input!;
    const base = n.path;
    const { beta, threshold } = n.params;
    const bx = beta === 1 ? x : b.op1('Mul', [x, b.scalar(base, beta)], {}, base);
    const soft = b.op1('Softplus', [bx], {}, base);
    const smooth = beta === 1 ? soft : b.op1('Div', [soft, b.scalar(base, beta)], {}, base);
    const above = b.op1('Greater', [bx, b.scalar(base, threshold)], {}, base);
    return { output: b.op1('Where', [above, x, smooth], {}, base) };
  },
  Hardswish: unary('HardSwish'),
  // Mish is an operator from opset 18; the exporter writes 17.
  Mish: (n, b, { input }) => ({
    output: b.op1(
      'Mul',
      [input!, b.op1('Tanh', [b.op1('Softplus', [input!], {}, n.path)], {}, n.path)],
      {},
      n.path,
    ),
  }),
  // Evaluation mode: dropout passes its input through.
  Dropout: unary('Identity'),
  Softmax: unary('Softmax', (p, n) => ({ axis: axis(p.dim, rank(n)) })),
  Add: binary('Add'),
  Sub: binary('Sub'),
  Mul: binary('Mul'),
  Div: binary('Div'),
  Mean: unary('ReduceMean', (p, n) => ({ axes: [axis(p.dim, rank(n))], keepdims: p.keepdim ? 1 : 0 })),
  Max: unary('ReduceMax', (p, n) => ({ axes: [axis(p.dim, rank(n))], keepdims: p.keepdim ? 1 : 0 })),
  // ReduceSum takes its axes as an input since opset 13.
  Sum: (n, b, { input }) => ({
    output: b.op1(
      'ReduceSum',
      [input!, b.ints(n.path, [axis(n.params.dim, rank(n))])],
      { keepdims: n.params.keepdim ? 1 : 0 },
      n.path,
    ),
  }),
  Flatten: unary('Flatten', () => ({ axis: 1 })),
  // The per-sample shape after the batch dim (0 copies the input's batch size).
  Reshape: (n, b, { input }) => ({
    output: b.op1('Reshape', [input!, b.ints(n.path, [0, ...n.params.shape])], {}, n.path),
  }),
  Concat: (n, b, { a, b: rhs }) => ({
    output: b.op1('Concat', [a!, rhs!], { axis: axis(n.params.dim, rank(n, 'a')) }, n.path),
  }),
  Slice: (n, b, { input }) => ({
    output: sliceOp(
      b,
      n.path,
      input!,
      axis(n.params.dim, rank(n)),
      n.params.start,
      n.params.end ?? null,
      n.params.step,
    ),
  }),
  Split: (n, b, { input }) => {
    const d = axis(n.params.dim, rank(n));
    return {
      first: sliceOp(b, n.path, input!, d, 0, n.params.size, 1),
      rest: sliceOp(b, n.path, input!, d, n.params.size, null, 1),
    };
  },
} satisfies { [K in ModelKind]: OnnxOp<K> };

function pool(p: ParamsOf<'MaxPool2d'>): Record<string, AttrValue> {
  const [ph, pw] = pair(p.padding);
  return {
    kernel_shape: pair(p.kernelSize),
    strides: pair(p.stride ?? p.kernelSize),
    pads: [ph, pw, ph, pw],
  };
}

function batchNorm<K extends 'BatchNorm1d' | 'BatchNorm2d'>(
  n: FlatNode<K>,
  b: OnnxBuilder,
  { input }: Values,
): Values {
  const p = n.params as ParamsOf<'BatchNorm1d'>;
  const w = (s: string) => b.weight(`${n.prefix}${s}`);
  return {
    output: b.op1(
      'BatchNormalization',
      [input!, w('weight'), w('bias'), w('running_mean'), w('running_var')],
      { epsilon: { float: p.eps } },
      n.path,
    ),
  };
}

function sliceOp(
  b: OnnxBuilder,
  base: string,
  x: string,
  d: number,
  start: number,
  end: number | null,
  step: number,
): string {
  return b.op1(
    'Slice',
    [x, b.ints(base, [start]), b.ints(base, [end ?? INT64_MAX]), b.ints(base, [d]), b.ints(base, [step])],
    {},
    base,
  );
}
