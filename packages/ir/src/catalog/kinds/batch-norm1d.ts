// BatchNorm1d: per-channel normalisation of [N, C] or [N, C, L].
import { batchNorm } from '../rules/batch-norm.ts';

export const BatchNorm1d = batchNorm('BatchNorm1d', [2, 3]);
