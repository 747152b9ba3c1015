// Sum: a reduction over one dim.
import { reduction } from '../rules/math.ts';

export const Sum = reduction('Sum', 'Sum over a dim.', 'Sum: dx = g, repeated along the reduced dim');
