// CrossEntropyLoss: logits against class indices, position by position for sequences.
import { z } from 'zod';
import { fmt, ShapeError, type NodeKind } from '../types.ts';
import { reduction } from '../rules/loss.ts';

export const CrossEntropyLoss: NodeKind<
  { reduction: 'mean' | 'sum'; labelSmoothing: number },
  'CrossEntropyLoss'
> = {
  kind: 'CrossEntropyLoss',
  category: 'loss',
  doc: 'Cross-entropy of logits against class indices (per position for sequences).',
  backwardRule: 'CrossEntropy: dlogits = (softmax(logits) − onehot(target)) / N; the labels get no gradient',
  inputs: [
    { name: 'input', dtype: 'float', doc: 'Logits [N, classes] or [N, T, classes]' },
    { name: 'target', dtype: 'int', doc: 'Class indices [N] or [N, T]' },
  ],
  outputs: [{ name: 'loss', dtype: 'float', doc: 'Scalar loss' }],
  params: z.object({
    reduction,
    labelSmoothing: z.number().min(0).max(1).default(0).describe('Mass spread over all classes'),
  }),
  infer({ input, target }) {
    if (input!.length !== 2 && input!.length !== 3)
      throw new ShapeError(
        `CrossEntropyLoss expects logits [N,classes] or [N,T,classes], got ${fmt(input!)}`,
      );
    if (fmt(target!) !== fmt(input!.slice(0, -1)))
      throw new ShapeError(
        `CrossEntropyLoss expects class indices ${fmt(input!.slice(0, -1))} for logits ${fmt(input!)}, got ${fmt(target!)}`,
      );
    return { outputs: { loss: [] } };
  },
};
