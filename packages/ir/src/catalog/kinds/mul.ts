// Mul: an elementwise binary op with broadcasting.
import { binary } from '../rules/math.ts';

export const Mul = binary(
  'Mul',
  'a · b elementwise, with broadcasting.',
  'Mul: da = g · b, db = g · a (summed over broadcast dims)',
);
