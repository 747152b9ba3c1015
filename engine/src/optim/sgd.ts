// SGD with momentum, dampening, Nesterov and weight decay (PyTorch's update order).
import type { Tensor } from '../tensor.ts';
import { fusedSgd } from './fused.ts';
import { Optimizer, optimizerArgs, type Params } from './optimizer.ts';
import { HYPER_CHECKS, type SgdOptions } from './options.ts';
import type { PyRest } from '../args.ts';

export type { SgdOptions };

export class SGD extends Optimizer<SgdOptions> {
  constructor(params: Params<SgdOptions>, options?: Partial<SgdOptions>);
  constructor(
    params: Params<SgdOptions>,
    ...rest: PyRest<
      [lr: number, momentum: number, dampening: number, weightDecay: number, nesterov: boolean],
      Partial<SgdOptions>
    >
  );
  constructor(params: Params<SgdOptions>, ...rest: unknown[]) {
    const options = optimizerArgs<SgdOptions>(
      'SGD',
      ['lr', 'momentum', 'dampening', 'weightDecay', 'nesterov', 'maximize'],
      5,
      rest,
      HYPER_CHECKS,
    );
    super(
      params,
      { lr: 1e-3, momentum: 0, dampening: 0, weightDecay: 0, nesterov: false, maximize: false, ...options },
      HYPER_CHECKS,
    );
    if (options.nesterov && (!(options.momentum! > 0) || options.dampening))
      throw new Error('SGD: Nesterov momentum requires a momentum and zero dampening');
  }

  protected update(p: Tensor, grad: Tensor, state: Record<string, Tensor | number>, o: SgdOptions): void {
    // The first momentum step creates the buffer (a clone of the direction); the rest can fuse.
    const buffer = (state.momentum_buffer as Tensor | undefined) ?? null;
    if ((o.momentum === 0 || buffer) && fusedSgd(p, grad, o.momentum === 0 ? null : buffer, o)) return;
    let d = o.maximize ? grad.neg() : grad;
    if (o.weightDecay !== 0) d = d.add(p, { alpha: o.weightDecay });
    if (o.momentum !== 0) {
      let buf = state.momentum_buffer as Tensor | undefined;
      if (!buf) buf = state.momentum_buffer = d.clone();
      else buf.mul_(o.momentum).add_(d, { alpha: 1 - o.dampening });
      d = o.nesterov ? d.add(buf, { alpha: o.momentum }) : buf;
    }
    p.add_(d, { alpha: -o.lr });
  }
}
