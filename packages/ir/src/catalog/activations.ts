// Elementwise activations: one shape-preserving node kind per function.
import { z } from 'zod';
import type { NodeKind } from './types.ts';

function activation(
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

export const ReLU = activation('ReLU', 'max(0, x)');
export const Tanh = activation('Tanh', 'Hyperbolic tangent');
export const Sigmoid = activation('Sigmoid', '1 / (1 + e^−x)');
export const SiLU = activation('SiLU', 'x · sigmoid(x)');
export const GELU = activation(
  'GELU',
  'x · Φ(x)',
  z.object({
    approximate: z.enum(['none', 'tanh']).default('none').describe('Exact (erf) or tanh approximation'),
  }),
);
export const LeakyReLU = activation(
  'LeakyReLU',
  'x for x > 0, slope · x otherwise',
  z.object({ negativeSlope: z.number().min(0).max(1).default(0.01).describe('Slope for negative inputs') }),
);
export const Dropout = activation(
  'Dropout',
  'Zeroes elements with probability p while training',
  z.object({ p: z.number().min(0).max(1).default(0.5).describe('Probability of zeroing an element') }),
);
export const Softmax = activation(
  'Softmax',
  'Normalises the last dim to probabilities',
  z.object({ dim: z.number().int().default(-1).describe('Dimension to normalise') }),
);
