// LSTM: a recurrent layer (4 gate blocks per weight matrix).
import { recurrent } from '../rules/recurrent.ts';

export const LSTM = recurrent(
  'LSTM',
  4,
  'Long short-term memory.',
  'LSTM: backpropagation through time through the input, forget, cell and output gates',
);
