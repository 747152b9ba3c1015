// Sub: an elementwise binary op with broadcasting.
import { binary } from '../rules/math.ts';

export const Sub = binary(
  'Sub',
  'a − b, with broadcasting.',
  'Sub: da = g, db = −g (summed over broadcast dims)',
);
