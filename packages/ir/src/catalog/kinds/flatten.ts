// Flatten: merges every dim after the batch dim.
import { z } from 'zod';
import { numel, type NodeKind } from '../types.ts';

export const Flatten: NodeKind<Record<string, never>, 'Flatten'> = {
  kind: 'Flatten',
  category: 'shape',
  doc: 'Flattens [N, d1, d2, …] into [N, d1·d2·…].',
  backwardRule: 'Flatten: dx = g reshaped back',
  inputs: [{ name: 'input', dtype: 'any', doc: '[N, ...]' }],
  outputs: [{ name: 'output', dtype: 'any', doc: '[N, product of the other dims]' }],
  params: z.object({}) as unknown as z.ZodType<Record<string, never>>,
  infer: ({ input }) => ({ outputs: { output: [input![0]!, numel(input!.slice(1))] } }),
};
