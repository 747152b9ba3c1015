// MSELoss: mean squared error.
import { elementwiseLoss } from '../rules/loss.ts';

export const MSELoss = elementwiseLoss('MSELoss', 'Mean squared error.', 'MSE: dx = 2 · (x − target) / n');
