// The hyperparameters of the optimizers, as plain types shared by an optimizer and its fused
// update (so the two cannot describe the same options differently).

export type SgdOptions = {
  lr: number;
  momentum: number;
  dampening: number;
  weightDecay: number;
  nesterov: boolean;
  maximize: boolean;
};
