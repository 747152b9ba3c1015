// BCEWithLogitsLoss: binary cross-entropy computed from logits (log-sum-exp stable).
import { elementwiseLoss } from '../rules/loss.ts';

export const BCEWithLogitsLoss = elementwiseLoss(
  'BCEWithLogitsLoss',
  'Binary cross-entropy on logits (stable for any logit).',
  'BCEWithLogits: dx = (σ(x) − target) / n',
);
