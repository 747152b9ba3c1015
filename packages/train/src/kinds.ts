// How each IR node kind becomes engine computation: layers with parameters become nn modules
// (registered under the node id, so state-dict keys read "fc1.weight"), the rest are functions.
// The table is typed over the catalog's kind names, so a kind without an implementation (or
// with params it misreads) is a compile error; each entry receives its kind's parsed params.
import * as hg from '@hgrad/engine';
import type { KindName, ParamsOf } from '@hgrad/ir';

type Tensor = hg.Tensor;
type Module = hg.nn.Module;
export type Inputs = Record<string, Tensor>;
export type Outputs = Record<string, Tensor>;

export interface NodeImpl<P> {
  /** Builds the module that owns this node's parameters, if it has any. */
  module?: (p: P) => Module;
  /** Computes the outputs from the inputs (and the module, when there is one). */
  run: (inputs: Inputs, p: P, ctx: { module: Module | null; training: boolean }) => Outputs;
}

/** A Group compiles to a nested GraphModel (compile.ts); every other kind is implemented here. */
export type ImplementedKind = Exclude<KindName, 'Group'>;

const call = (m: Module | null, x: Tensor): Tensor => m!.call(x) as Tensor;
const layer = (_inputs: Inputs, _p: unknown, { module }: { module: Module | null }, x: Tensor) =>
  call(module, x);

/** Layers whose module maps the one input to the one output. */
function moduleLayer<P>(make: (p: P) => Module): NodeImpl<P> {
  return { module: make, run: (inputs, p, ctx) => ({ output: layer(inputs, p, ctx, inputs.input!) }) };
}

/** Recurrent layers run batch-first and expose the last layer's output at every step. */
function recurrent(make: (size: number, hidden: number, o: hg.nn.RnnOptions) => Module) {
  return {
    module: (p: ParamsOf<'RNN'>) =>
      make(p.inputSize, p.hiddenSize, { numLayers: p.numLayers, batchFirst: true }),
    run: ({ input }: Inputs, _p: unknown, { module }: { module: Module | null }) => ({
      output: (module!.call(input!) as [Tensor, unknown])[0],
    }),
  };
}

const normalized = (dim: number, ndim: number): number => (dim < 0 ? dim + ndim : dim);

export const NODE_IMPLS = {
  Dataset: { run: (inputs) => ({ x: inputs.x!, y: inputs.y! }) },
  GroupInput: { run: (inputs, p) => ({ output: inputs[p.name]! }) },
  // A GroupOutput passes its input on; the GraphModel collects it as the subgraph's output.
  GroupOutput: { run: ({ input }) => ({ input: input! }) },
  Linear: moduleLayer((p) => new hg.nn.Linear(p.inFeatures, p.outFeatures, { bias: p.bias })),
  Conv2d: moduleLayer(
    (p) =>
      new hg.nn.Conv2d(p.inChannels, p.outChannels, p.kernelSize, {
        stride: p.stride,
        padding: p.padding,
        bias: p.bias,
      }),
  ),
  MaxPool2d: {
    run: ({ input }, p) => ({
      output: hg.F.maxPool2d(input!, p.kernelSize, { stride: p.stride ?? null, padding: p.padding }),
    }),
  },
  AvgPool2d: {
    run: ({ input }, p) => ({
      output: hg.F.avgPool2d(input!, p.kernelSize, { stride: p.stride ?? null, padding: p.padding }),
    }),
  },
  AdaptiveAvgPool2d: { run: ({ input }, p) => ({ output: hg.F.adaptiveAvgPool2d(input!, p.outputSize) }) },
  Flatten: { run: ({ input }) => ({ output: hg.flatten(input!, 1) }) },
  ReLU: { run: ({ input }) => ({ output: input!.relu() }) },
  Tanh: { run: ({ input }) => ({ output: input!.tanh() }) },
  Sigmoid: { run: ({ input }) => ({ output: input!.sigmoid() }) },
  SiLU: { run: ({ input }) => ({ output: input!.silu() }) },
  GELU: { run: ({ input }, p) => ({ output: hg.gelu(input!, p.approximate) }) },
  LeakyReLU: { run: ({ input }, p) => ({ output: hg.leakyRelu(input!, p.negativeSlope) }) },
  ELU: { run: ({ input }, p) => ({ output: hg.elu(input!, p.alpha) }) },
  Softplus: { run: ({ input }, p) => ({ output: hg.softplus(input!, p.beta, p.threshold) }) },
  Hardswish: { run: ({ input }) => ({ output: hg.hardswish(input!) }) },
  Mish: { run: ({ input }) => ({ output: hg.mish(input!) }) },
  Dropout: { run: ({ input }, p, { training }) => ({ output: hg.F.dropout(input!, p.p, training) }) },
  Softmax: { run: ({ input }, p) => ({ output: input!.softmax(p.dim) }) },
  BatchNorm1d: moduleLayer((p) => new hg.nn.BatchNorm1d(p.numFeatures, { eps: p.eps, momentum: p.momentum })),
  BatchNorm2d: moduleLayer((p) => new hg.nn.BatchNorm2d(p.numFeatures, { eps: p.eps, momentum: p.momentum })),
  LayerNorm: moduleLayer((p) => new hg.nn.LayerNorm(p.normalizedShape, p.eps)),
  GroupNorm: moduleLayer(
    (p) => new hg.nn.GroupNorm(p.numGroups, p.numChannels, { eps: p.eps, affine: p.affine }),
  ),
  Embedding: moduleLayer((p) => new hg.nn.Embedding(p.numEmbeddings, p.embeddingDim)),
  RNN: recurrent((i, h, o) => new hg.nn.RNN(i, h, o)),
  GRU: recurrent((i, h, o) => new hg.nn.GRU(i, h, o)),
  LSTM: recurrent((i, h, o) => new hg.nn.LSTM(i, h, o)),
  SelfAttention: {
    module: (p) => new hg.nn.MultiheadAttention(p.embedDim, p.numHeads, { batchFirst: true }),
    run: ({ input }, p, { module }) => {
      const t = input!.shape[1]!;
      const attnMask = p.causal ? hg.ones([t, t], { dtype: 'bool' }).triu(1) : null;
      const [out] = (module as hg.nn.MultiheadAttention).forward(input!, input!, input!, {
        attnMask,
        needWeights: false,
      });
      return { output: out };
    },
  },
  Add: { run: ({ a, b }) => ({ output: a!.add(b!) }) },
  Sub: { run: ({ a, b }) => ({ output: a!.sub(b!) }) },
  Mul: { run: ({ a, b }) => ({ output: a!.mul(b!) }) },
  Div: { run: ({ a, b }) => ({ output: a!.div(b!) }) },
  Max: { run: ({ input }, p) => ({ output: input!.amax(p.dim, p.keepdim) }) },
  Slice: {
    run: ({ input }, p) => {
      const d = normalized(p.dim, input!.ndim);
      const index = [...new Array<hg.Slice>(d).fill(hg.sl()), hg.sl(p.start, p.end ?? null, p.step)];
      return { output: input!.index(...index) };
    },
  },
  Split: {
    run: ({ input }, p) => {
      const d = normalized(p.dim, input!.ndim);
      return {
        first: input!.narrow(d, 0, p.size),
        rest: input!.narrow(d, p.size, input!.shape[d]! - p.size),
      };
    },
  },
  Mean: { run: ({ input }, p) => ({ output: input!.mean(p.dim, p.keepdim) }) },
  Sum: { run: ({ input }, p) => ({ output: input!.sum(p.dim, p.keepdim) }) },
  Reshape: { run: ({ input }, p) => ({ output: input!.reshape([input!.shape[0]!, ...p.shape]) }) },
  Concat: { run: ({ a, b }, p) => ({ output: hg.cat([a!, b!], p.dim) }) },
  CrossEntropyLoss: {
    run: ({ input, target }, p) => {
      // Sequences [N, T, C] are scored position by position.
      const logits = input!.ndim === 3 ? input!.reshape(-1, input!.shape[2]!) : input!;
      const labels = input!.ndim === 3 ? target!.reshape(-1) : target!;
      return {
        loss: hg.F.crossEntropy(logits, labels, { reduction: p.reduction, labelSmoothing: p.labelSmoothing }),
      };
    },
  },
  MSELoss: { run: ({ input, target }, p) => ({ loss: hg.F.mseLoss(input!, target!, p.reduction) }) },
  L1Loss: { run: ({ input, target }, p) => ({ loss: hg.F.l1Loss(input!, target!, p.reduction) }) },
  BCEWithLogitsLoss: {
    run: ({ input, target }, p) => ({
      loss: hg.F.binaryCrossEntropyWithLogits(input!, target!, { reduction: p.reduction }),
    }),
  },
} satisfies { [K in ImplementedKind]: NodeImpl<ParamsOf<K>> };
