// Softplus: a smooth ReLU, log(1 + e^(βx)) / β, linear above PyTorch's threshold.
import { z } from 'zod';
import { activation } from '../rules/activation.ts';

export const Softplus = activation(
  'Softplus',
  'log(1 + e^(β·x)) / β, and x where β·x > threshold',
  'Softplus: dx = g · σ(β·x), and g where β·x > threshold',
  z.object({
    beta: z.number().positive().max(1000).default(1).describe('β: larger is closer to ReLU'),
    threshold: z.number().positive().max(1000).default(20).describe('Above β·x = threshold the output is x'),
  }),
);
