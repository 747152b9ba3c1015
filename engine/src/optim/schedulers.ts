// torch.optim.lr_scheduler as one namespace (optim.lrScheduler.StepLR, …).
export * from './lr-scheduler.ts';
export { OneCycleLR, type OneCycleOptions } from './one-cycle.ts';
