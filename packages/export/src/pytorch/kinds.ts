// Each model node kind as PyTorch code: the submodule it registers (for kinds with parameters,
// under the node id, so state-dict keys match) and the expression(s) its forward computes. Typed
// over every model kind, so a kind without code is a compile error.
import type { ParamsOf } from '@hgrad/ir';
import type { ModelKind } from '../flat.ts';

export interface PyContext {
  /** How forward() reaches this node's submodule ("self.fc1"). */
  self: string;
  /** The Python variable on each input port. */
  in: Record<string, string>;
  /** The rank of the tensor on an input port. */
  rank: (port?: string) => number;
}

export interface PyKind<P> {
  /** The constructor expression of the node's submodule, for kinds with parameters. */
  module?: (p: P) => string;
  /** The expression for each output port. */
  forward: (p: P, c: PyContext) => Record<string, string>;
}

const py = (v: unknown): string => {
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (v === null || v === undefined) return 'None';
  if (Array.isArray(v)) return `(${v.map(py).join(', ')}${v.length === 1 ? ',' : ''})`;
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : String(v);
  return JSON.stringify(v);
};

const out = (expr: string) => ({ output: expr });
const fn = <P>(make: (x: string, p: P, c: PyContext) => string): PyKind<P> => ({
  forward: (p, c) => out(make(c.in.input!, p, c)),
});
const layer = <P>(module: (p: P) => string): PyKind<P> => ({
  module,
  forward: (_p, c) => out(`${c.self}(${c.in.input})`),
});
const binary = <P>(op: string): PyKind<P> => ({ forward: (_p, c) => out(`${c.in.a} ${op} ${c.in.b}`) });
const recurrent =
  (cls: string) =>
  (p: ParamsOf<'RNN'>): string =>
    `nn.${cls}(${p.inputSize}, ${p.hiddenSize}, num_layers=${p.numLayers}, batch_first=True)`;
const dim = (d: number, rank: number) => (d < 0 ? d + rank : d);

/** x[:, :, start:end:step] along dim d. */
function sliceExpr(
  x: string,
  d: number,
  start: number,
  end: number | null | undefined,
  step: number,
): string {
  const range = `${start === 0 ? '' : start}:${end ?? ''}${step === 1 ? '' : `:${step}`}`;
  return `${x}[${[...new Array<string>(d).fill(':'), range].join(', ')}]`;
}

export const PYTORCH_KINDS = {
  Linear: layer((p) => `nn.Linear(${p.inFeatures}, ${p.outFeatures}, bias=${py(p.bias)})`),
  Conv2d: layer(
    (p) =>
      `nn.Conv2d(${p.inChannels}, ${p.outChannels}, kernel_size=${py(p.kernelSize)}, stride=${py(p.stride)}, padding=${py(p.padding)}, bias=${py(p.bias)})`,
  ),
  MaxPool2d: fn(
    (x, p) =>
      `F.max_pool2d(${x}, ${py(p.kernelSize)}, stride=${py(p.stride ?? p.kernelSize)}, padding=${py(p.padding)})`,
  ),
  AvgPool2d: fn(
    (x, p) =>
      `F.avg_pool2d(${x}, ${py(p.kernelSize)}, stride=${py(p.stride ?? p.kernelSize)}, padding=${py(p.padding)})`,
  ),
  AdaptiveAvgPool2d: fn((x, p) => `F.adaptive_avg_pool2d(${x}, ${py(p.outputSize)})`),
  BatchNorm1d: layer((p) => `nn.BatchNorm1d(${p.numFeatures}, eps=${py(p.eps)}, momentum=${py(p.momentum)})`),
  BatchNorm2d: layer((p) => `nn.BatchNorm2d(${p.numFeatures}, eps=${py(p.eps)}, momentum=${py(p.momentum)})`),
  LayerNorm: layer((p) => `nn.LayerNorm(${p.normalizedShape}, eps=${py(p.eps)})`),
  GroupNorm: layer(
    (p) => `nn.GroupNorm(${p.numGroups}, ${p.numChannels}, eps=${py(p.eps)}, affine=${py(p.affine)})`,
  ),
  Embedding: layer((p) => `nn.Embedding(${p.numEmbeddings}, ${p.embeddingDim})`),
  RNN: { module: recurrent('RNN'), forward: (_p, c) => out(`${c.self}(${c.in.input})[0]`) },
  GRU: { module: recurrent('GRU'), forward: (_p, c) => out(`${c.self}(${c.in.input})[0]`) },
  LSTM: { module: recurrent('LSTM'), forward: (_p, c) => out(`${c.self}(${c.in.input})[0]`) },
  SelfAttention: {
    module: (p) => `nn.MultiheadAttention(${p.embedDim}, ${p.numHeads}, batch_first=True)`,
    forward: (p, c) => {
      const x = c.in.input!;
      // A causal mask hides later positions (True = not allowed to attend).
      const mask = p.causal
        ? `torch.triu(torch.ones(${x}.shape[1], ${x}.shape[1], dtype=torch.bool, device=${x}.device), 1)`
        : 'None';
      return out(`${c.self}(${x}, ${x}, ${x}, attn_mask=${mask}, need_weights=False)[0]`);
    },
  },
  ReLU: fn((x) => `torch.relu(${x})`),
  Tanh: fn((x) => `torch.tanh(${x})`),
  Sigmoid: fn((x) => `torch.sigmoid(${x})`),
  SiLU: fn((x) => `F.silu(${x})`),
  GELU: fn((x, p) => (p.approximate === 'tanh' ? `F.gelu(${x}, approximate="tanh")` : `F.gelu(${x})`)),
  LeakyReLU: fn((x, p) => `F.leaky_relu(${x}, ${py(p.negativeSlope)})`),
  ELU: fn((x, p) => `F.elu(${x}, ${py(p.alpha)})`),
  Softplus: fn((x, p) => `F.softplus(${x}, ${py(p.beta)}, ${py(p.threshold)})`),
  Hardswish: fn((x) => `F.hardswish(${x})`),
  Mish: fn((x) => `F.mish(${x})`),
  Dropout: fn((x, p) => `F.dropout(${x}, ${py(p.p)}, self.training)`),
  Softmax: fn((x, p) => `torch.softmax(${x}, dim=${p.dim})`),
  Add: binary('+'),
  Sub: binary('-'),
  Mul: binary('*'),
  Div: binary('/'),
  Mean: fn((x, p) => `${x}.mean(${p.dim}, keepdim=${py(p.keepdim)})`),
  Sum: fn((x, p) => `${x}.sum(${p.dim}, keepdim=${py(p.keepdim)})`),
  Max: fn((x, p) => `${x}.amax(${p.dim}, keepdim=${py(p.keepdim)})`),
  Flatten: fn((x) => `torch.flatten(${x}, 1)`),
  Reshape: fn((x, p) => `${x}.reshape(${x}.shape[0], ${p.shape.join(', ')})`),
  Concat: { forward: (p, c) => out(`torch.cat([${c.in.a}, ${c.in.b}], dim=${p.dim})`) },
  Slice: fn((x, p, c) => sliceExpr(x, dim(p.dim, c.rank()), p.start, p.end, p.step)),
  Split: {
    forward: (p, c) => {
      const x = c.in.input!;
      const d = dim(p.dim, c.rank());
      return { first: sliceExpr(x, d, 0, p.size, 1), rest: sliceExpr(x, d, p.size, null, 1) };
    },
  },
} satisfies { [K in ModelKind]: PyKind<ParamsOf<K>> };
