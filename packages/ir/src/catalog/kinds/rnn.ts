// RNN: a recurrent layer (1 gate block per weight matrix).
import { recurrent } from '../rules/recurrent.ts';

export const RNN = recurrent(
  'RNN',
  1,
  'Elman RNN with tanh: h = tanh(x·W_ihᵀ + h·W_hhᵀ + b).',
  'RNN: backpropagation through time: dh_t = g_t + W_hhᵀ · (dh_{t+1} ⊙ (1 − h_{t+1}²)); dW sums over steps',
);
