// ReLU: an elementwise activation.
import { activation } from '../rules/activation.ts';

export const ReLU = activation('ReLU', 'max(0, x)', 'ReLU: dx = g where x > 0, else 0');
