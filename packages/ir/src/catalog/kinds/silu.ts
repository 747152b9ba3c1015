// SiLU: an elementwise activation.
import { activation } from '../rules/activation.ts';

export const SiLU = activation('SiLU', 'x · sigmoid(x)', 'SiLU: dx = g · (σ(x) + x · σ(x) · (1 − σ(x)))');
