// Hardswish: MobileNetV3's piecewise-quadratic stand-in for SiLU.
import { activation } from '../rules/activation.ts';

export const Hardswish = activation(
  'Hardswish',
  'x · min(max(x + 3, 0), 6) / 6',
  'Hardswish: dx = 0 for x < −3, g for x > 3, g · (2x + 3) / 6 between',
);
