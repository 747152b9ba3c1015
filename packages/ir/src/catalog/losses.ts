// Loss nodes: prediction and target in, a scalar loss out.
import { z } from 'zod';
import { fmt, ShapeError, type NodeKind } from './types.ts';

const reduction = z.enum(['mean', 'sum']).default('mean').describe('How per-sample losses are combined');

export const CrossEntropyLoss: NodeKind<{ reduction: 'mean' | 'sum'; labelSmoothing: number }> = {
  kind: 'CrossEntropyLoss',
  category: 'loss',
  doc: 'Cross-entropy of logits against class indices (per position for sequences).',
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

function elementwiseLoss(
  kind: 'MSELoss' | 'L1Loss' | 'BCEWithLogitsLoss',
  doc: string,
): NodeKind<{ reduction: 'mean' | 'sum' }> {
  return {
    kind,
    category: 'loss',
    doc,
    inputs: [
      { name: 'input', dtype: 'float', doc: kind === 'BCEWithLogitsLoss' ? 'Logits' : 'Predictions' },
      { name: 'target', dtype: 'float', doc: 'Targets, same shape' },
    ],
    outputs: [{ name: 'loss', dtype: 'float', doc: 'Scalar loss' }],
    params: z.object({ reduction }),
    infer({ input, target }) {
      if (fmt(input!) !== fmt(target!))
        throw new ShapeError(
          `${kind} needs input and target of the same shape, got ${fmt(input!)} and ${fmt(target!)}`,
        );
      return { outputs: { loss: [] } };
    },
  };
}

export const MSELoss = elementwiseLoss('MSELoss', 'Mean squared error.');
export const L1Loss = elementwiseLoss('L1Loss', 'Mean absolute error.');
export const BCEWithLogitsLoss = elementwiseLoss(
  'BCEWithLogitsLoss',
  'Binary cross-entropy on logits (stable for any logit).',
);
