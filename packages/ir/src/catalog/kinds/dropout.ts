// Dropout: zeroes elements while training and scales the rest by 1/(1−p); identity in eval mode.
import { z } from 'zod';
import { activation } from '../rules/activation.ts';

export const Dropout = activation(
  'Dropout',
  'Zeroes elements with probability p while training',
  'Dropout: dx = g · mask / (1 − p), the mask of the forward pass',
  z.object({ p: z.number().min(0).max(1).default(0.5).describe('Probability of zeroing an element') }),
);
