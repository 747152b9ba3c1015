// AvgPool2d: the mean of each window (padding counts as zeros, as in PyTorch's default).
import { pool } from '../rules/spatial.ts';

export const AvgPool2d = pool(
  'AvgPool2d',
  'Average over each window',
  'AvgPool2d: g is spread evenly over each window (÷ window size)',
);
