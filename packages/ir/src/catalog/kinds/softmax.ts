// Softmax: normalises one dim to probabilities.
import { z } from 'zod';
import { activation } from '../rules/activation.ts';

export const Softmax = activation(
  'Softmax',
  'Normalises the last dim to probabilities',
  'Softmax: dx = y · (g − Σ g · y)',
  z.object({ dim: z.number().int().min(-8).max(8).default(-1).describe('Dimension to normalise') }),
);
