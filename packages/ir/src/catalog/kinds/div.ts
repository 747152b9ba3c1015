// Div: an elementwise binary op with broadcasting.
import { binary } from '../rules/math.ts';

export const Div = binary('Div', 'a / b, with broadcasting.', 'Div: da = g / b, db = −g · a / b²');
