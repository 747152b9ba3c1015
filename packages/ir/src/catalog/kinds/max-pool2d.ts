// MaxPool2d: the largest value in each window.
import { pool } from '../rules/spatial.ts';

export const MaxPool2d = pool(
  'MaxPool2d',
  'Maximum over each window',
  'MaxPool2d: g goes to the position that was the maximum of each window; others get 0',
);
