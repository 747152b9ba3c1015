// Adamax, NAdam, RAdam and Adadelta, step for step as PyTorch 1.13's single-tensor updates
// (the same operations in the same order, so the same float32 roundings).
import { zerosLike } from '../ops/fill.ts';
import { maximum } from '../ops/binary.ts';
import { div } from '../ops/modulo.ts';
import type { Tensor } from '../tensor.ts';
import type { PyRest } from '../args.ts';
import { Optimizer, optimizerArgs, type Params } from './optimizer.ts';
import {
  HYPER_CHECKS,
  type AdadeltaOptions,
  type AdamaxOptions,
  type NadamOptions,
  type RadamOptions,
} from './options.ts';

export type { AdadeltaOptions, AdamaxOptions, NadamOptions, RadamOptions };

type State = Record<string, Tensor | number>;

/** The moving averages' start: step 0, then zeros like p under each name. */
function started(state: State, p: Tensor, ...names: string[]): void {
  if (state.step !== undefined) return;
  state.step = 0;
  for (const name of names) state[name] = zerosLike(p);
}

export class Adamax extends Optimizer<AdamaxOptions> {
  constructor(params: Params<AdamaxOptions>, options?: Partial<AdamaxOptions>);
  constructor(
    params: Params<AdamaxOptions>,
    ...rest: PyRest<[lr: number, betas: number[], eps: number, weightDecay: number], Partial<AdamaxOptions>>
  );
  constructor(params: Params<AdamaxOptions>, ...rest: unknown[]) {
    const options = optimizerArgs<AdamaxOptions>(
      'Adamax',
      ['lr', 'betas', 'eps', 'weightDecay', 'maximize'],
      4,
      rest,
      HYPER_CHECKS,
    );
    super(
      params,
      { lr: 2e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, maximize: false, ...options },
      HYPER_CHECKS,
    );
  }

  protected update(p: Tensor, grad: Tensor, state: State, o: AdamaxOptions): void {
    started(state, p, 'exp_avg', 'exp_inf');
    const step = (state.step as number) + 1;
    state.step = step;
    const [beta1, beta2] = o.betas as [number, number];
    let g = o.maximize ? grad.neg() : grad;
    if (o.weightDecay !== 0) g = g.add(p, { alpha: o.weightDecay });
    const expAvg = state.exp_avg as Tensor;
    const expInf = state.exp_inf as Tensor;
    expAvg.mul_(beta1).add_(g, { alpha: 1 - beta1 });
    // max(β₂·u, |g| + eps), as torch.amax over the two stacked.
    expInf.copy_(maximum(expInf.mul_(beta2), g.abs().add(o.eps)));
    const clr = o.lr / (1 - beta1 ** step);
    p.add_(expAvg.mul(-clr).div(expInf));
  }
}

export class NAdam extends Optimizer<NadamOptions> {
  constructor(params: Params<NadamOptions>, options?: Partial<NadamOptions>);
  constructor(
    params: Params<NadamOptions>,
    ...rest: PyRest<
      [lr: number, betas: number[], eps: number, weightDecay: number, momentumDecay: number],
      Partial<NadamOptions>
    >
  );
  constructor(params: Params<NadamOptions>, ...rest: unknown[]) {
    const options = optimizerArgs<NadamOptions>(
      'NAdam',
      ['lr', 'betas', 'eps', 'weightDecay', 'momentumDecay'],
      5,
      rest,
      HYPER_CHECKS,
    );
    super(
      params,
      { lr: 2e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, momentumDecay: 4e-3, ...options },
      HYPER_CHECKS,
    );
  }

  protected update(p: Tensor, grad: Tensor, state: State, o: NadamOptions): void {
    if (state.step === undefined) state.mu_product = 1;
    started(state, p, 'exp_avg', 'exp_avg_sq');
    const step = (state.step as number) + 1;
    state.step = step;
    const [beta1, beta2] = o.betas as [number, number];
    const g = o.weightDecay !== 0 ? grad.add(p, { alpha: o.weightDecay }) : grad;
    const biasCorrection2 = 1 - beta2 ** step;
    const mu = beta1 * (1 - 0.5 * 0.96 ** (step * o.momentumDecay));
    const muNext = beta1 * (1 - 0.5 * 0.96 ** ((step + 1) * o.momentumDecay));
    // PyTorch keeps the product of the mus in a float32 tensor. Its next product is 1.13's
    // mu_product · mu · mu_next (later releases drop the second mu): the reference here is 1.13.
    // (A float32 tensor times a Python float: the float is rounded to float32 first.)
    const f = Math.fround;
    const muProduct = f((state.mu_product as number) * f(mu));
    state.mu_product = muProduct;
    const muProductNext = f(f(muProduct * f(mu)) * f(muNext));
    const expAvg = state.exp_avg as Tensor;
    const expAvgSq = state.exp_avg_sq as Tensor;
    expAvg.mul_(beta1).add_(g, { alpha: 1 - beta1 });
    expAvgSq.mul_(beta2).add_(g.mul(1 - beta2).mul(g));
    const denom = expAvgSq.div(biasCorrection2).sqrt().add(o.eps);
    p.add_(g.mul((-o.lr * (1 - mu)) / (1 - muProduct)).div(denom));
    p.add_(expAvg.mul((-o.lr * muNext) / (1 - muProductNext)).div(denom));
  }
}

export class RAdam extends Optimizer<RadamOptions> {
  constructor(params: Params<RadamOptions>, options?: Partial<RadamOptions>);
  constructor(
    params: Params<RadamOptions>,
    ...rest: PyRest<[lr: number, betas: number[], eps: number, weightDecay: number], Partial<RadamOptions>>
  );
  constructor(params: Params<RadamOptions>, ...rest: unknown[]) {
    const options = optimizerArgs<RadamOptions>(
      'RAdam',
      ['lr', 'betas', 'eps', 'weightDecay'],
      4,
      rest,
      HYPER_CHECKS,
    );
    super(params, { lr: 1e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, ...options }, HYPER_CHECKS);
  }

  protected update(p: Tensor, grad: Tensor, state: State, o: RadamOptions): void {
    started(state, p, 'exp_avg', 'exp_avg_sq');
    const step = (state.step as number) + 1;
    state.step = step;
    const [beta1, beta2] = o.betas as [number, number];
    const g = o.weightDecay !== 0 ? grad.add(p, { alpha: o.weightDecay }) : grad;
    const expAvg = state.exp_avg as Tensor;
    const expAvgSq = state.exp_avg_sq as Tensor;
    expAvg.mul_(beta1).add_(g, { alpha: 1 - beta1 });
    expAvgSq.mul_(beta2).add_(g.mul(1 - beta2).mul(g));
    const biasCorrection1 = 1 - beta1 ** step;
    const biasCorrection2 = 1 - beta2 ** step;
    const corrected = expAvg.div(biasCorrection1);
    // The length of the approximated simple moving average, and its limit.
    const rhoInf = 2 / (1 - beta2) - 1;
    const rhoT = rhoInf - (2 * step * beta2 ** step) / biasCorrection2;
    if (rhoT > 5) {
      const rect = Math.sqrt(((rhoT - 4) * (rhoT - 2) * rhoInf) / ((rhoInf - 4) * (rhoInf - 2) * rhoT));
      const adaptiveLr = div(Math.sqrt(biasCorrection2), expAvgSq.sqrt().add(o.eps));
      p.add_(corrected.mul(o.lr).mul(adaptiveLr).mul(rect), { alpha: -1 });
    } else p.add_(corrected.mul(o.lr), { alpha: -1 });
  }
}

export class Adadelta extends Optimizer<AdadeltaOptions> {
  constructor(params: Params<AdadeltaOptions>, options?: Partial<AdadeltaOptions>);
  constructor(
    params: Params<AdadeltaOptions>,
    ...rest: PyRest<[lr: number, rho: number, eps: number, weightDecay: number], Partial<AdadeltaOptions>>
  );
  constructor(params: Params<AdadeltaOptions>, ...rest: unknown[]) {
    const options = optimizerArgs<AdadeltaOptions>(
      'Adadelta',
      ['lr', 'rho', 'eps', 'weightDecay', 'maximize'],
      4,
      rest,
      HYPER_CHECKS,
    );
    super(params, { lr: 1, rho: 0.9, eps: 1e-6, weightDecay: 0, maximize: false, ...options }, HYPER_CHECKS);
  }

  protected update(p: Tensor, grad: Tensor, state: State, o: AdadeltaOptions): void {
    started(state, p, 'square_avg', 'acc_delta');
    state.step = (state.step as number) + 1;
    let g = o.maximize ? grad.neg() : grad;
    if (o.weightDecay !== 0) g = g.add(p, { alpha: o.weightDecay });
    const squareAvg = state.square_avg as Tensor;
    const accDelta = state.acc_delta as Tensor;
    squareAvg.mul_(o.rho).add_(g.mul(1 - o.rho).mul(g));
    const std = squareAvg.add(o.eps).sqrt();
    const delta = accDelta.add(o.eps).sqrt().div(std).mul(g);
    accDelta.mul_(o.rho).add_(delta.mul(1 - o.rho).mul(delta));
    p.add_(delta, { alpha: -o.lr });
  }
}
