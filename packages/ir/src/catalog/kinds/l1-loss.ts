// L1Loss: mean absolute error.
import { elementwiseLoss } from '../rules/loss.ts';

export const L1Loss = elementwiseLoss('L1Loss', 'Mean absolute error.', 'L1: dx = sign(x − target) / n');
