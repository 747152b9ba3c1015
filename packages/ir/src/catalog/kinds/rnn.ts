// RNN: a recurrent layer (1 gate block per weight matrix).
import { recurrent } from '../rules/recurrent.ts';

export const RNN = recurrent('RNN', 1, 'Elman RNN with tanh: h = tanh(x·W_ihᵀ + h·W_hhᵀ + b).');
