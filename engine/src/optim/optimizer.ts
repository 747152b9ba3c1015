// The Optimizer base: parameter groups with their own hyperparameters, per-parameter state,
// zeroGrad and state dicts (PyTorch's layout: state keyed by parameter index, param_groups
// listing indices). Updates run under noGrad.
import { noGrad } from '../autograd/grad-mode.ts';
import { tensor } from '../creation.ts';
import { dispose, keep } from '../scope.ts';
import type { Tensor } from '../tensor.ts';

export type Hyper = Record<string, number | boolean | number[]>;

export interface ParamGroup<H extends Hyper = Hyper> {
  params: Tensor[];
  options: H;
}

export interface ParamGroupInput<H extends Hyper> {
  params: Tensor[];
  options?: Partial<H>;
}

export interface SerializedTensor {
  shape: number[];
  dtype: string;
  data: number[];
}

export interface OptimizerStateDict {
  state: Record<number, Record<string, SerializedTensor | number>>;
  paramGroups: (Hyper & { params: number[] })[];
}

export abstract class Optimizer<H extends Hyper = Hyper> {
  readonly paramGroups: ParamGroup<H>[];
  readonly state = new Map<Tensor, Record<string, Tensor | number>>();

  constructor(params: Tensor[] | ParamGroupInput<H>[], defaults: H) {
    const groups: ParamGroupInput<H>[] =
      params.length > 0 && !('params' in (params[0] as object))
        ? [{ params: params as Tensor[] }]
        : (params as ParamGroupInput<H>[]);
    if (groups.length === 0 || groups.every((g) => g.params.length === 0))
      throw new Error(`${new.target.name}: got an empty parameter list`);
    const seen = new Set<Tensor>();
    this.paramGroups = groups.map((g) => {
      for (const p of g.params) {
        if (seen.has(p))
          throw new Error(`${new.target.name}: some parameters appear in more than one parameter group`);
        seen.add(p);
      }
      return { params: [...g.params], options: { ...defaults, ...g.options } as H };
    });
  }

  /** Sets every gradient to null (default, as PyTorch 2) or to zero. */
  zeroGrad({ setToNone = true } = {}): void {
    for (const g of this.paramGroups)
      for (const p of g.params) {
        if (!p.grad) continue;
        if (setToNone) {
          // A GPU gradient's memory goes back to the pool now rather than when it is collected.
          dispose(p.grad);
          p.grad = null;
        } else noGrad(() => p.grad!.zero_());
      }
  }

  /** One update of every parameter that has a gradient. */
  step(): void {
    noGrad(() => {
      for (const group of this.paramGroups)
        for (const p of group.params) {
          if (!p.grad) continue;
          let state = this.state.get(p);
          if (!state) this.state.set(p, (state = {}));
          this.update(p, p.grad, state, group.options);
          // The state outlives the step's scope (see scope.ts).
          for (const v of Object.values(state)) if (typeof v !== 'number' && !v.storage.persistent) keep(v);
        }
    });
  }

  protected abstract update(
    param: Tensor,
    grad: Tensor,
    state: Record<string, Tensor | number>,
    options: H,
  ): void;

  /** stateDict() for state on any device (a GPU's is read back asynchronously). */
  async stateDictAsync(): Promise<OptimizerStateDict> {
    const values = new Map<Tensor, number[]>();
    for (const s of this.state.values())
      for (const v of Object.values(s)) if (typeof v !== 'number') values.set(v, Array.from(await v.data()));
    return this.stateDict((t) => values.get(t)!);
  }

  stateDict(read: (t: Tensor) => number[] = (t) => Array.from(t.dataSync())): OptimizerStateDict {
    const index = new Map<Tensor, number>();
    this.paramGroups.forEach((g) => g.params.forEach((p) => index.set(p, index.size)));
    const state: OptimizerStateDict['state'] = {};
    for (const [p, s] of this.state)
      state[index.get(p)!] = Object.fromEntries(
        Object.entries(s).map(([k, v]) => [
          k,
          typeof v === 'number' ? v : { shape: [...v.shape], dtype: v.dtype, data: read(v) },
        ]),
      );
    return {
      state,
      paramGroups: this.paramGroups.map((g) => ({
        ...g.options,
        params: g.params.map((p) => index.get(p)!),
      })),
    };
  }

  loadStateDict(sd: OptimizerStateDict): void {
    if (sd.paramGroups.length !== this.paramGroups.length)
      throw new Error(
        `loadStateDict: the state dict has ${sd.paramGroups.length} parameter groups, the optimizer has ${this.paramGroups.length}`,
      );
    const params: Tensor[] = [];
    sd.paramGroups.forEach((g, i) => {
      const own = this.paramGroups[i]!;
      if (g.params.length !== own.params.length)
        throw new Error(
          `loadStateDict: parameter group ${i} has ${g.params.length} parameters in the state dict but ${own.params.length} in the optimizer`,
        );
      const { params: _indices, ...options } = g;
      own.options = { ...own.options, ...options } as H;
      params.push(...own.params);
    });
    this.state.clear();
    for (const [key, s] of Object.entries(sd.state)) {
      const p = params[Number(key)];
      if (!p) throw new Error(`loadStateDict: state for parameter ${key}, which does not exist`);
      this.state.set(
        p,
        Object.fromEntries(
          Object.entries(s).map(([k, v]) => [
            k,
            typeof v === 'number'
              ? v
              : keep(tensor(v.data, { dtype: v.dtype as 'float32', device: p.device }).reshape(v.shape)),
          ]),
        ),
      );
    }
  }
}
