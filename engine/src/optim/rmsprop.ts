// RMSprop (optionally centered, with momentum) and Adagrad, as PyTorch implements them.
import { zerosLike, fullLike } from '../ops/fill.ts';
import type { Tensor } from '../tensor.ts';
import { Optimizer, optimizerArgs, type Params } from './optimizer.ts';
import { HYPER_CHECKS, type AdagradOptions, type RmspropOptions } from './options.ts';
import type { PyRest } from '../args.ts';

export type { AdagradOptions, RmspropOptions };

export class RMSprop extends Optimizer<RmspropOptions> {
  constructor(params: Params<RmspropOptions>, options?: Partial<RmspropOptions>);
  constructor(
    params: Params<RmspropOptions>,
    ...rest: PyRest<
      [lr: number, alpha: number, eps: number, weightDecay: number, momentum: number, centered: boolean],
      Partial<RmspropOptions>
    >
  );
  constructor(params: Params<RmspropOptions>, ...rest: unknown[]) {
    const options = optimizerArgs<RmspropOptions>(
      'RMSprop',
      ['lr', 'alpha', 'eps', 'weightDecay', 'momentum', 'centered', 'maximize'],
      6,
      rest,
      HYPER_CHECKS,
    );
    super(
      params,
      {
        lr: 1e-2,
        alpha: 0.99,
        eps: 1e-8,
        weightDecay: 0,
        momentum: 0,
        centered: false,
        maximize: false,
        ...options,
      },
      HYPER_CHECKS,
    );
  }

  protected update(p: Tensor, grad: Tensor, state: Record<string, Tensor | number>, o: RmspropOptions): void {
    if (state.step === undefined) {
      state.step = 0;
      state.square_avg = zerosLike(p);
      if (o.momentum > 0) state.momentum_buffer = zerosLike(p);
      if (o.centered) state.grad_avg = zerosLike(p);
    }
    state.step = (state.step as number) + 1;
    const d = o.maximize ? grad.neg() : grad;
    const g = o.weightDecay !== 0 ? d.add(p, { alpha: o.weightDecay }) : d;
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

export class Adagrad extends Optimizer<AdagradOptions> {
  constructor(params: Params<AdagradOptions>, options?: Partial<AdagradOptions>);
  constructor(
    params: Params<AdagradOptions>,
    ...rest: PyRest<
      [lr: number, lrDecay: number, weightDecay: number, initialAccumulatorValue: number, eps: number],
      Partial<AdagradOptions>
    >
  );
  constructor(params: Params<AdagradOptions>, ...rest: unknown[]) {
    const options = optimizerArgs<AdagradOptions>(
      'Adagrad',
      ['lr', 'lrDecay', 'weightDecay', 'initialAccumulatorValue', 'eps', 'maximize'],
      5,
      rest,
      HYPER_CHECKS,
    );
    super(
      params,
      {
        lr: 1e-2,
        lrDecay: 0,
        weightDecay: 0,
        initialAccumulatorValue: 0,
        eps: 1e-10,
        maximize: false,
        ...options,
      },
      HYPER_CHECKS,
    );
  }

  protected update(p: Tensor, grad: Tensor, state: Record<string, Tensor | number>, o: AdagradOptions): void {
    if (state.step === undefined) {
      state.step = 0;
      state.sum = fullLike(p, o.initialAccumulatorValue);
    }
    const step = (state.step as number) + 1;
    state.step = step;
    const d = o.maximize ? grad.neg() : grad;
    const g = o.weightDecay !== 0 ? d.add(p, { alpha: o.weightDecay }) : d;
    const clr = o.lr / (1 + (step - 1) * o.lrDecay);
    const sum = state.sum as Tensor;
    sum.add_(g.mul(g));
    p.add_(g.div(sum.sqrt().add(o.eps)).mul(-clr));
  }
}
