// ReLU: an elementwise activation.
import { activation } from '../rules/activation.ts';

export const ReLU = activation('ReLU', 'max(0, x)');
