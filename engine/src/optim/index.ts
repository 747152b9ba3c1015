// torch.optim: optimizers, gradient clipping and learning-rate schedulers.
export { Optimizer, type ParamGroup, type OptimizerStateDict } from './optimizer.ts';
export { SGD } from './sgd.ts';
export { setFusedOptimizers } from './fused.ts';
export { Adam, AdamW } from './adam.ts';
export { RMSprop, Adagrad } from './rmsprop.ts';
export { Adamax, NAdam, RAdam, Adadelta } from './adaptive.ts';
export { clipGradNorm_, clipGradValue_ } from './clip.ts';
export * from './lr-scheduler.ts';
export { OneCycleLR, type OneCycleOptions } from './one-cycle.ts';
export { lrAt, lrCurve, nextLr, oneCycleAt, type Schedule, type OneCycleSchedule } from './schedule.ts';
/** The schedulers under the name PyTorch users look for (torch.optim.lr_scheduler). */
export * as lrScheduler from './schedulers.ts';
export type {
  SgdOptions,
  AdamOptions,
  RmspropOptions,
  AdagradOptions,
  AdamaxOptions,
  NadamOptions,
  RadamOptions,
  AdadeltaOptions,
} from './options.ts';
export type { Params, ParamGroupInput } from './optimizer.ts';
