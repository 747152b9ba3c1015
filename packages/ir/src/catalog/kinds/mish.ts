// Mish: a smooth, non-monotonic activation.
import { activation } from '../rules/activation.ts';

export const Mish = activation(
  'Mish',
  'x · tanh(softplus(x))',
  'Mish: dx = g · (tanh(sp) + x · σ(x) · (1 − tanh²(sp))), sp = softplus(x)',
);
