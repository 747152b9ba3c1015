// Adam (with amsgrad) and AdamW (decoupled weight decay), following PyTorch's single-tensor
// implementation step for step.
import { zerosLike } from '../ops/fill.ts';
import { fusedAdam, residentZeros } from './fused.ts';
import type { Tensor } from '../tensor.ts';
import { Optimizer, optimizerArgs, type Params } from './optimizer.ts';
import { HYPER_CHECKS, type AdamOptions } from './options.ts';
import type { PyRest } from '../args.ts';

export type { AdamOptions };

const ADAM_ARGS = ['lr', 'betas', 'eps', 'weightDecay', 'amsgrad', 'maximize'] as const;

function adamUpdate(
  p: Tensor,
  grad: Tensor,
  state: Record<string, Tensor | number>,
  o: AdamOptions,
  decoupled: boolean,
): void {
  const [beta1, beta2] = o.betas as [number, number];
  if (state.step === undefined) {
    state.step = 0;
    const resident = residentZeros(p);
    state.exp_avg = resident?.[0] ?? zerosLike(p);
    state.exp_avg_sq = resident?.[1] ?? zerosLike(p);
    if (o.amsgrad) state.max_exp_avg_sq = zerosLike(p);
  }
  const step = (state.step as number) + 1;
  state.step = step;
  const fused =
    !o.amsgrad &&
    fusedAdam(p, grad, state.exp_avg as Tensor, state.exp_avg_sq as Tensor, {
      beta1,
      beta2,
      lr: o.lr,
      eps: o.eps,
      weightDecay: o.weightDecay,
      decoupled,
      maximize: o.maximize,
      step,
    });
  if (fused) return;
  // The composed ops (amsgrad, a dtype or device without the fused update), as torch's.
  let g = o.maximize ? grad.neg() : grad;
  if (decoupled) p.mul_(1 - o.lr * o.weightDecay);
  else if (o.weightDecay !== 0) g = g.add(p, { alpha: o.weightDecay });
  const expAvg = state.exp_avg as Tensor;
  const expAvgSq = state.exp_avg_sq as Tensor;
  expAvg.mul_(beta1).add_(g, { alpha: 1 - beta1 });
  expAvgSq.mul_(beta2).add_(g.mul(g).mul(1 - beta2));
  const biasCorrection1 = 1 - beta1 ** step;
  const biasCorrection2Sqrt = Math.sqrt(1 - beta2 ** step);
  let second = expAvgSq;
  if (o.amsgrad) {
    const max = state.max_exp_avg_sq as Tensor;
    max.copy_(max.maximum(expAvgSq));
    second = max;
  }
  const denom = second.sqrt().div(biasCorrection2Sqrt).add(o.eps);
  p.add_(expAvg.div(denom).mul(-o.lr / biasCorrection1));
}

export class Adam extends Optimizer<AdamOptions> {
  constructor(params: Params<AdamOptions>, options?: Partial<AdamOptions>);
  constructor(
    params: Params<AdamOptions>,
    ...rest: PyRest<
      [lr: number, betas: number[], eps: number, weightDecay: number, amsgrad: boolean],
      Partial<AdamOptions>
    >
  );
  constructor(params: Params<AdamOptions>, ...rest: unknown[]) {
    const options = optimizerArgs<AdamOptions>('Adam', ADAM_ARGS, 5, rest, HYPER_CHECKS);
    super(
      params,
      {
        lr: 1e-3,
        betas: [0.9, 0.999],
        eps: 1e-8,
        weightDecay: 0,
        amsgrad: false,
        maximize: false,
        ...options,
      },
      HYPER_CHECKS,
    );
  }
  protected update(p: Tensor, g: Tensor, s: Record<string, Tensor | number>, o: AdamOptions): void {
    adamUpdate(p, g, s, o, false);
  }
}

export class AdamW extends Optimizer<AdamOptions> {
  constructor(params: Params<AdamOptions>, options?: Partial<AdamOptions>);
  constructor(
    params: Params<AdamOptions>,
    ...rest: PyRest<
      [lr: number, betas: number[], eps: number, weightDecay: number, amsgrad: boolean],
      Partial<AdamOptions>
    >
  );
  constructor(params: Params<AdamOptions>, ...rest: unknown[]) {
    const options = optimizerArgs<AdamOptions>('AdamW', ADAM_ARGS, 5, rest, HYPER_CHECKS);
    super(
      params,
      {
        lr: 1e-3,
        betas: [0.9, 0.999],
        eps: 1e-8,
        weightDecay: 1e-2,
        amsgrad: false,
        maximize: false,
        ...options,
      },
      HYPER_CHECKS,
    );
  }
  protected update(p: Tensor, g: Tensor, s: Record<string, Tensor | number>, o: AdamOptions): void {
    adamUpdate(p, g, s, o, true);
  }
}
