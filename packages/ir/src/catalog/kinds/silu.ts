// SiLU: an elementwise activation.
import { activation } from '../rules/activation.ts';

export const SiLU = activation('SiLU', 'x · sigmoid(x)');
