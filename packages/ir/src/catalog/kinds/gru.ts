// GRU: a recurrent layer (3 gate blocks per weight matrix).
import { recurrent } from '../rules/recurrent.ts';

export const GRU = recurrent(
  'GRU',
  3,
  'Gated recurrent unit.',
  'GRU: backpropagation through time through the reset, update and candidate gates',
);
