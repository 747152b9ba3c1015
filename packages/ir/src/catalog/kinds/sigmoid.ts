// Sigmoid: an elementwise activation.
import { activation } from '../rules/activation.ts';

export const Sigmoid = activation('Sigmoid', '1 / (1 + e^−x)', 'Sigmoid: dx = g · y · (1 − y)');
