// The hyperparameters of the optimizers, as plain types shared by an optimizer and its fused
// update (so the two cannot describe the same options differently), with the checks PyTorch's
// constructors make ("Invalid learning rate: -1").
import { is, type Check } from '../args.ts';

export type SgdOptions = {
  lr: number;
  momentum: number;
  dampening: number;
  weightDecay: number;
  nesterov: boolean;
  maximize: boolean;
};

export type AdamOptions = {
  lr: number;
  betas: number[];
  eps: number;
  weightDecay: number;
  amsgrad: boolean;
  maximize: boolean;
};

export type RmspropOptions = {
  lr: number;
  alpha: number;
  eps: number;
  weightDecay: number;
  momentum: number;
  centered: boolean;
  maximize: boolean;
};

export type AdagradOptions = {
  lr: number;
  lrDecay: number;
  weightDecay: number;
  initialAccumulatorValue: number;
  eps: number;
  maximize: boolean;
};

export type AdamaxOptions = {
  lr: number;
  betas: number[];
  eps: number;
  weightDecay: number;
  maximize: boolean;
};

export type NadamOptions = {
  lr: number;
  betas: number[];
  eps: number;
  weightDecay: number;
  momentumDecay: number;
};

export type RadamOptions = {
  lr: number;
  betas: number[];
  eps: number;
  weightDecay: number;
};

export type AdadeltaOptions = {
  lr: number;
  rho: number;
  eps: number;
  weightDecay: number;
  maximize: boolean;
};

const nonNegative =
  (what: string): Check =>
  (v) =>
    typeof v === 'number' && v >= 0 ? null : `(${what}) must be ≥ 0`;

/** The checks shared by every optimizer's hyperparameters. */
export const HYPER_CHECKS = {
  lr: nonNegative('invalid learning rate'),
  momentum: nonNegative('invalid momentum value'),
  dampening: is.number,
  weightDecay: nonNegative('invalid weight_decay value'),
  eps: nonNegative('invalid epsilon value'),
  alpha: nonNegative('invalid alpha value'),
  lrDecay: nonNegative('invalid lr_decay value'),
  initialAccumulatorValue: nonNegative('invalid initial_accumulator_value value'),
  momentumDecay: nonNegative('invalid momentum_decay value'),
  rho: (v: unknown) =>
    typeof v === 'number' && v >= 0 && v <= 1 ? null : '(invalid rho value) must be in [0, 1]',
  betas: (v: unknown) =>
    Array.isArray(v) && v.length === 2 && v.every((b) => typeof b === 'number' && b >= 0 && b < 1)
      ? null
      : 'must be two numbers in [0, 1)',
  nesterov: is.bool,
  amsgrad: is.bool,
  centered: is.bool,
  maximize: is.bool,
} satisfies Record<string, Check>;
