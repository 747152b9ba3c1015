// How each IR node kind becomes engine computation: layers with parameters become nn modules
// (registered under the node id, so state-dict keys read "fc1.weight"), the rest are functions.
import type { Tensor } from '../tensor.ts';
import { Linear } from '../nn/linear.ts';
import { Conv2d } from '../nn/conv.ts';
import { Module } from '../nn/module.ts';
import { dropout } from '../nn/functional.ts';
import { avgPool2d, maxPool2d } from '../nn/conv-functional.ts';
import { crossEntropy, mseLoss } from '../nn/losses.ts';
import { gelu, leakyRelu } from '../functional/activations.ts';
import { flatten } from '../functional/shape.ts';

type P = Record<string, unknown>;
export type Inputs = Record<string, Tensor>;
export type Outputs = Record<string, Tensor>;

export interface NodeImpl {
  /** Builds the module that owns this node's parameters, if it has any. */
  module?: (p: P) => Module;
  /** Computes the outputs from the inputs (and the module, when there is one). */
  run: (inputs: Inputs, p: P, ctx: { module: Module | null; training: boolean }) => Outputs;
}

const call = (m: Module | null, x: Tensor): Tensor => m!.call(x) as Tensor;

export const NODE_IMPLS: Record<string, NodeImpl> = {
  Dataset: { run: (inputs) => ({ x: inputs.x!, y: inputs.y! }) },
  Linear: {
    module: (p) => new Linear(p.inFeatures as number, p.outFeatures as number, { bias: p.bias as boolean }),
    run: ({ input }, _p, { module }) => ({ output: call(module, input!) }),
  },
  Conv2d: {
    module: (p) =>
      new Conv2d(p.inChannels as number, p.outChannels as number, p.kernelSize as number, {
        stride: p.stride as number,
        padding: p.padding as number,
        bias: p.bias as boolean,
      }),
    run: ({ input }, _p, { module }) => ({ output: call(module, input!) }),
  },
  MaxPool2d: {
    run: ({ input }, p) => ({
      output: maxPool2d(input!, p.kernelSize as number, {
        stride: (p.stride as number | undefined) ?? null,
        padding: p.padding as number,
      }),
    }),
  },
  AvgPool2d: {
    run: ({ input }, p) => ({
      output: avgPool2d(input!, p.kernelSize as number, {
        stride: (p.stride as number | undefined) ?? null,
        padding: p.padding as number,
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
  CrossEntropyLoss: {
    run: ({ input, target }, p) => ({
      loss: crossEntropy(input!, target!, {
        reduction: p.reduction as 'mean' | 'sum',
        labelSmoothing: p.labelSmoothing as number,
      }),
    }),
  },
  MSELoss: {
    run: ({ input, target }, p) => ({ loss: mseLoss(input!, target!, p.reduction as 'mean' | 'sum') }),
  },
};
