// How each IR node kind becomes engine computation: layers with parameters become nn modules
// (registered under the node id, so state-dict keys read "fc1.weight"), the rest are functions.
import type { Tensor } from '../tensor.ts';
import { Linear } from '../nn/linear.ts';
import { Conv2d } from '../nn/conv.ts';
import { Module } from '../nn/module.ts';
import { dropout } from '../nn/functional.ts';
import { avgPool2d, maxPool2d } from '../nn/conv-functional.ts';
import { binaryCrossEntropyWithLogits, crossEntropy, l1Loss, mseLoss } from '../nn/losses.ts';
import { BatchNorm1d, BatchNorm2d, LayerNorm } from '../nn/normalization.ts';
import { Embedding } from '../nn/embedding.ts';
import { GRU, LSTM, RNN } from '../nn/rnn.ts';
import { MultiheadAttention } from '../nn/attention.ts';
import { ones } from '../creation.ts';
import { cat } from '../functional/shape.ts';
import { gelu, leakyRelu } from '../functional/activations.ts';
import { flatten } from '../functional/shape.ts';
import { sl, type Slice } from '../functional/indexing.ts';

type P = Record<string, unknown>;
/** A size for both axes, or [height, width]. */
type Pair = number | [number, number];
export type Inputs = Record<string, Tensor>;
export type Outputs = Record<string, Tensor>;

export interface NodeImpl {
  /** Builds the module that owns this node's parameters, if it has any. */
  module?: (p: P) => Module;
  /** Computes the outputs from the inputs (and the module, when there is one). */
  run: (inputs: Inputs, p: P, ctx: { module: Module | null; training: boolean }) => Outputs;
}

const call = (m: Module | null, x: Tensor): Tensor => m!.call(x) as Tensor;

/** Recurrent layers run batch-first and expose the last layer's output at every step. */
function recurrent(make: (p: P) => Module): NodeImpl {
  return {
    module: make,
    run: ({ input }, _p, { module }) => ({ output: (module!.call(input!) as [Tensor, unknown])[0] }),
  };
}

export const NODE_IMPLS: Record<string, NodeImpl> = {
  Dataset: { run: (inputs) => ({ x: inputs.x!, y: inputs.y! }) },
  GroupInput: { run: (inputs, p) => ({ output: inputs[p.name as string]! }) },
  // A GroupOutput passes its input on; the GraphModel collects it as the subgraph's output.
  GroupOutput: { run: ({ input }) => ({ input: input! }) },
  Linear: {
    module: (p) => new Linear(p.inFeatures as number, p.outFeatures as number, { bias: p.bias as boolean }),
    run: ({ input }, _p, { module }) => ({ output: call(module, input!) }),
  },
  Conv2d: {
    module: (p) =>
      new Conv2d(p.inChannels as number, p.outChannels as number, p.kernelSize as Pair, {
        stride: p.stride as Pair,
        padding: p.padding as Pair,
        bias: p.bias as boolean,
      }),
    run: ({ input }, _p, { module }) => ({ output: call(module, input!) }),
  },
  MaxPool2d: {
    run: ({ input }, p) => ({
      output: maxPool2d(input!, p.kernelSize as Pair, {
        stride: (p.stride as Pair | undefined) ?? null,
        padding: p.padding as Pair,
      }),
    }),
  },
  AvgPool2d: {
    run: ({ input }, p) => ({
      output: avgPool2d(input!, p.kernelSize as Pair, {
        stride: (p.stride as Pair | undefined) ?? null,
        padding: p.padding as Pair,
      }),
    }),
  },
  Flatten: { run: ({ input }) => ({ output: flatten(input!, 1) }) },
  ReLU: { run: ({ input }) => ({ output: input!.relu() }) },
  Tanh: { run: ({ input }) => ({ output: input!.tanh() }) },
  Sigmoid: { run: ({ input }) => ({ output: input!.sigmoid() }) },
  SiLU: { run: ({ input }) => ({ output: input!.silu() }) },
  GELU: { run: ({ input }, p) => ({ output: gelu(input!, p.approximate as 'none' | 'tanh') }) },
  LeakyReLU: { run: ({ input }, p) => ({ output: leakyRelu(input!, p.negativeSlope as number) }) },
  Dropout: { run: ({ input }, p, { training }) => ({ output: dropout(input!, p.p as number, training) }) },
  Softmax: { run: ({ input }, p) => ({ output: input!.softmax(p.dim as number) }) },
  BatchNorm1d: {
    module: (p) =>
      new BatchNorm1d(p.numFeatures as number, { eps: p.eps as number, momentum: p.momentum as number }),
    run: ({ input }, _p, { module }) => ({ output: call(module, input!) }),
  },
  BatchNorm2d: {
    module: (p) =>
      new BatchNorm2d(p.numFeatures as number, { eps: p.eps as number, momentum: p.momentum as number }),
    run: ({ input }, _p, { module }) => ({ output: call(module, input!) }),
  },
  LayerNorm: {
    module: (p) => new LayerNorm(p.normalizedShape as number, p.eps as number),
    run: ({ input }, _p, { module }) => ({ output: call(module, input!) }),
  },
  Embedding: {
    module: (p) => new Embedding(p.numEmbeddings as number, p.embeddingDim as number),
    run: ({ input }, _p, { module }) => ({ output: call(module, input!) }),
  },
  RNN: recurrent(
    (p) =>
      new RNN(p.inputSize as number, p.hiddenSize as number, {
        numLayers: p.numLayers as number,
        batchFirst: true,
      }),
  ),
  GRU: recurrent(
    (p) =>
      new GRU(p.inputSize as number, p.hiddenSize as number, {
        numLayers: p.numLayers as number,
        batchFirst: true,
      }),
  ),
  LSTM: recurrent(
    (p) =>
      new LSTM(p.inputSize as number, p.hiddenSize as number, {
        numLayers: p.numLayers as number,
        batchFirst: true,
      }),
  ),
  SelfAttention: {
    module: (p) => new MultiheadAttention(p.embedDim as number, p.numHeads as number, { batchFirst: true }),
    run: ({ input }, p, { module }) => {
      const t = input!.shape[1]!;
      const attnMask = p.causal ? ones([t, t], { dtype: 'bool' }).triu(1) : null;
      const [out] = (module as MultiheadAttention).forward(input!, input!, input!, {
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
  Max: { run: ({ input }, p) => ({ output: input!.amax(p.dim as number, p.keepdim as boolean) }) },
  Slice: {
    run: ({ input }, p) => {
      const d = (p.dim as number) < 0 ? (p.dim as number) + input!.ndim : (p.dim as number);
      const end = (p.end as number | undefined) ?? null;
      const index = [...new Array<Slice>(d).fill(sl()), sl(p.start as number, end, p.step as number)];
      return { output: input!.index(...index) };
    },
  },
  Split: {
    run: ({ input }, p) => {
      const d = (p.dim as number) < 0 ? (p.dim as number) + input!.ndim : (p.dim as number);
      const size = p.size as number;
      return { first: input!.narrow(d, 0, size), rest: input!.narrow(d, size, input!.shape[d]! - size) };
    },
  },
  Mean: { run: ({ input }, p) => ({ output: input!.mean(p.dim as number, p.keepdim as boolean) }) },
  Sum: { run: ({ input }, p) => ({ output: input!.sum(p.dim as number, p.keepdim as boolean) }) },
  Reshape: {
    run: ({ input }, p) => ({ output: input!.reshape([input!.shape[0]!, ...(p.shape as number[])]) }),
  },
  Concat: { run: ({ a, b }, p) => ({ output: cat([a!, b!], p.dim as number) }) },
  CrossEntropyLoss: {
    run: ({ input, target }, p) => {
      // Sequences [N, T, C] are scored position by position.
      const logits = input!.ndim === 3 ? input!.reshape(-1, input!.shape[2]!) : input!;
      const labels = input!.ndim === 3 ? target!.reshape(-1) : target!;
      const options = {
        reduction: p.reduction as 'mean' | 'sum',
        labelSmoothing: p.labelSmoothing as number,
      };
      return { loss: crossEntropy(logits, labels, options) };
    },
  },
  MSELoss: {
    run: ({ input, target }, p) => ({ loss: mseLoss(input!, target!, p.reduction as 'mean' | 'sum') }),
  },
  L1Loss: {
    run: ({ input, target }, p) => ({ loss: l1Loss(input!, target!, p.reduction as 'mean' | 'sum') }),
  },
  BCEWithLogitsLoss: {
    run: ({ input, target }, p) => ({
      loss: binaryCrossEntropyWithLogits(input!, target!, { reduction: p.reduction as 'mean' | 'sum' }),
    }),
  },
};
