// Max: the largest value over one dim (the gradient flows to the arg-max, as in torch.amax).
import { reduction } from '../rules/math.ts';

export const Max = reduction(
  'Max',
  'Maximum over a dim.',
  'Max: g goes to the maximum along the dim (split evenly between ties)',
);
