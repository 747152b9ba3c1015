// LeakyReLU: a small slope for negative inputs instead of zero.
import { z } from 'zod';
import { activation } from '../rules/activation.ts';

export const LeakyReLU = activation(
  'LeakyReLU',
  'x for x > 0, slope · x otherwise',
  'LeakyReLU: dx = g where x > 0, slope · g elsewhere',
  z.object({ negativeSlope: z.number().min(0).max(1).default(0.01).describe('Slope for negative inputs') }),
);
