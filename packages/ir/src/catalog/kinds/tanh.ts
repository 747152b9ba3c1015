// Tanh: an elementwise activation.
import { activation } from '../rules/activation.ts';

export const Tanh = activation('Tanh', 'Hyperbolic tangent', 'Tanh: dx = g · (1 − y²)');
