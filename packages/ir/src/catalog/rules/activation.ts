// Shape-preserving elementwise node kinds (activations, dropout, softmax) share one rule.
import { z } from 'zod';
import type { NodeKind } from '../types.ts';

export function activation(
  kind: string,
  doc: string,
  params: z.ZodType<Record<string, unknown>> = z.object({}),
): NodeKind {
  return {
    kind,
    category: 'activation',
    doc,
    inputs: [{ name: 'input', dtype: 'float', doc: 'Any shape' }],
    outputs: [{ name: 'output', dtype: 'float', doc: 'Same shape as the input' }],
    params,
    infer: ({ input }) => ({ outputs: { output: [...input!] } }),
  };
}
