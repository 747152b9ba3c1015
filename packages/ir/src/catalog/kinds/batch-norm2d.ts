// BatchNorm2d: per-channel normalisation of [N, C, H, W].
import { batchNorm } from '../rules/batch-norm.ts';

export const BatchNorm2d = batchNorm('BatchNorm2d', [4]);
