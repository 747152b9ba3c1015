// ELU: exponential for negative inputs, so outputs can be negative and gradients never vanish there.
import { z } from 'zod';
import { activation } from '../rules/activation.ts';

export const ELU = activation(
  'ELU',
  'x for x > 0, α · (eˣ − 1) otherwise',
  'ELU: dx = g where x > 0, g · α · eˣ elsewhere',
  z.object({
    alpha: z.number().positive().max(100).default(1).describe('α: the value negative inputs tend to is −α'),
  }),
);
