// Add: an elementwise binary op with broadcasting.
import { binary } from '../rules/math.ts';

export const Add = binary(
  'Add',
  'a + b, with broadcasting (residual connections).',
  'Add: da = g, db = g (summed over broadcast dims)',
);
