// RMSprop (optionally centered, with momentum) and Adagrad, as PyTorch implements them.
import { zerosLike, fullLike } from '../ops/fill.ts';
import type { Tensor } from '../tensor.ts';
import { Optimizer, type ParamGroupInput } from './optimizer.ts';

export type RmspropOptions = {
  lr: number;
  alpha: number;
  eps: number;
  weightDecay: number;
  momentum: number;
  centered: boolean;
};

export class RMSprop extends Optimizer<RmspropOptions> {
  constructor(params: Tensor[] | ParamGroupInput<RmspropOptions>[], options: Partial<RmspropOptions> = {}) {
    super(params, {
      lr: 1e-2,
      alpha: 0.99,
      eps: 1e-8,
      weightDecay: 0,
      momentum: 0,
      centered: false,
      ...options,
    });
  }

  protected update(p: Tensor, grad: Tensor, state: Record<string, Tensor | number>, o: RmspropOptions): void {
    if (state.step === undefined) {
      state.step = 0;
      state.square_avg = zerosLike(p);
      if (o.momentum > 0) state.momentum_buffer = zerosLike(p);
      if (o.centered) state.grad_avg = zerosLike(p);
    }
    state.step = (state.step as number) + 1;
    const g = o.weightDecay !== 0 ? grad.add(p, { alpha: o.weightDecay }) : grad;
    const squareAvg = state.square_avg as Tensor;
    squareAvg.mul_(o.alpha).add_(g.mul(g).mul(1 - o.alpha));
    let avg: Tensor;
    if (o.centered) {
      const gradAvg = state.grad_avg as Tensor;
      gradAvg.mul_(o.alpha).add_(g, { alpha: 1 - o.alpha });
      avg = squareAvg.sub(gradAvg.mul(gradAvg)).sqrt().add(o.eps);
    } else avg = squareAvg.sqrt().add(o.eps);
    if (o.momentum > 0) {
      const buf = state.momentum_buffer as Tensor;
      buf.mul_(o.momentum).add_(g.div(avg));
      p.add_(buf, { alpha: -o.lr });
    } else p.add_(g.div(avg).mul(-o.lr));
  }
}

export type AdagradOptions = {
  lr: number;
  lrDecay: number;
  weightDecay: number;
  initialAccumulatorValue: number;
  eps: number;
};

export class Adagrad extends Optimizer<AdagradOptions> {
  constructor(params: Tensor[] | ParamGroupInput<AdagradOptions>[], options: Partial<AdagradOptions> = {}) {
    super(params, {
      lr: 1e-2,
      lrDecay: 0,
      weightDecay: 0,
      initialAccumulatorValue: 0,
      eps: 1e-10,
      ...options,
    });
  }

  protected update(p: Tensor, grad: Tensor, state: Record<string, Tensor | number>, o: AdagradOptions): void {
    if (state.step === undefined) {
      state.step = 0;
      state.sum = fullLike(p, o.initialAccumulatorValue);
    }
    const step = (state.step as number) + 1;
    state.step = step;
    const g = o.weightDecay !== 0 ? grad.add(p, { alpha: o.weightDecay }) : grad;
    const clr = o.lr / (1 + (step - 1) * o.lrDecay);
    const sum = state.sum as Tensor;
    sum.add_(g.mul(g));
    p.add_(g.div(sum.sqrt().add(o.eps)).mul(-clr));
  }
}
