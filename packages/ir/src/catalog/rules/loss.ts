// Shared pieces of the loss node kinds: prediction and target in, a scalar loss out.
import { z } from 'zod';
import { fmt, ShapeError, type NodeKind } from '../types.ts';

export const reduction = z
  .enum(['mean', 'sum'])
  .default('mean')
  .describe('How per-sample losses are combined');

/** Losses whose target has the prediction's shape. */
export function elementwiseLoss<K extends 'MSELoss' | 'L1Loss' | 'BCEWithLogitsLoss'>(
  kind: K,
  doc: string,
  backwardRule: string,
): NodeKind<{ reduction: 'mean' | 'sum' }, K> {
  return {
    kind,
    category: 'loss',
    doc,
    backwardRule,
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
