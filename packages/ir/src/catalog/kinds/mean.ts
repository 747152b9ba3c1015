// Mean: a reduction over one dim.
import { reduction } from '../rules/math.ts';

export const Mean = reduction('Mean', 'Mean over a dim.', 'Mean: dx = g / n, repeated along the reduced dim');
