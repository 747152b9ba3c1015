// Shape-preserving elementwise node kinds (activations, dropout, softmax) share one rule.
import { z } from 'zod';
import type { NodeKind } from '../types.ts';

export function activation<K extends string, P extends Record<string, unknown> = Record<string, never>>(
  kind: K,
  doc: string,
  backwardRule: string,
  params: z.ZodType<P> = z.object({}) as unknown as z.ZodType<P>,
): NodeKind<P, K> {
  return {
    kind,
    category: 'activation',
    doc,
    backwardRule,
    inputs: [{ name: 'input', dtype: 'float', doc: 'Any shape' }],
    outputs: [{ name: 'output', dtype: 'float', doc: 'Same shape as the input' }],
    params,
    infer: ({ input }) => ({ outputs: { output: [...input!] } }),
  };
}
