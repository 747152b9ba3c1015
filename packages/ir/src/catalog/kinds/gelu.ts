// GELU: x · Φ(x), exact or with PyTorch's tanh approximation.
import { z } from 'zod';
import { activation } from '../rules/activation.ts';

export const GELU = activation(
  'GELU',
  'x · Φ(x)',
  'GELU: dx = g · (Φ(x) + x · φ(x))',
  z.object({
    approximate: z.enum(['none', 'tanh']).default('none').describe('Exact (erf) or tanh approximation'),
  }),
);
