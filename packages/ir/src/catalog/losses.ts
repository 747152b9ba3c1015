// Loss nodes: prediction and target in, a scalar loss out.
import { z } from 'zod';
import { fmt, ShapeError, type NodeKind } from './types.ts';

const reduction = z.enum(['mean', 'sum']).default('mean').describe('How per-sample losses are combined');

export const CrossEntropyLoss: NodeKind<{ reduction: 'mean' | 'sum'; labelSmoothing: number }> = {
  kind: 'CrossEntropyLoss',
  category: 'loss',
  doc: 'Cross-entropy of logits against class indices.',
  inputs: [
    { name: 'input', dtype: 'float', doc: 'Logits [N, classes]' },
    { name: 'target', dtype: 'int', doc: 'Class indices [N]' },
  ],
  outputs: [{ name: 'loss', dtype: 'float', doc: 'Scalar loss' }],
  params: z.object({
    reduction,
    labelSmoothing: z.number().min(0).max(1).default(0).describe('Mass spread over all classes'),
  }),
  infer({ input, target }) {
    if (input!.length !== 2)
      throw new ShapeError(`CrossEntropyLoss expects logits [N,classes], got ${fmt(input!)}`);
    if (target!.length !== 1)
      throw new ShapeError(`CrossEntropyLoss expects class indices [N], got ${fmt(target!)}`);
    return { outputs: { loss: [] } };
  },
};

export const MSELoss: NodeKind<{ reduction: 'mean' | 'sum' }> = {
  kind: 'MSELoss',
  category: 'loss',
  doc: 'Mean squared error.',
  inputs: [
    { name: 'input', dtype: 'float', doc: 'Predictions' },
    { name: 'target', dtype: 'float', doc: 'Targets, same shape' },
  ],
  outputs: [{ name: 'loss', dtype: 'float', doc: 'Scalar loss' }],
  params: z.object({ reduction }),
  infer({ input, target }) {
    if (fmt(input!) !== fmt(target!))
      throw new ShapeError(
        `MSELoss needs input and target of the same shape, got ${fmt(input!)} and ${fmt(target!)}`,
      );
    return { outputs: { loss: [] } };
  },
};
