// The Optimizer base: parameter groups with their own hyperparameters, per-parameter state,
// zeroGrad and state dicts (PyTorch's layout: state keyed by parameter index, param_groups
// listing indices). Updates run under noGrad.
import { checkKeys, checkValues, isOptions, pyArgs, type Check } from '../args.ts';
import { noGrad } from '../autograd/grad-mode.ts';
import { Tensor as TensorClass } from '../tensor.ts';
import { tensor } from '../creation.ts';
import { dispose, keep } from '../scope.ts';
import type { Tensor } from '../tensor.ts';

export type Hyper = Record<string, number | boolean | number[]>;

/**
 * A parameter group: its tensors and hyperparameters. Each hyperparameter is also readable and
 * writable on the group itself, as in PyTorch (`opt.paramGroups[0].lr = 0.01`).
 */
export type ParamGroup<H extends Hyper = Hyper> = { params: Tensor[]; options: H } & (string extends keyof H
  ? Record<never, never>
  : H);

/** A group as given: PyTorch's `{params, lr: 0.1, …}`, or `{params, options: {lr: 0.1}}`. */
export type ParamGroupInput<H extends Hyper> = {
  params: Tensor[] | Iterable<Tensor>;
  options?: Partial<H>;
} & Partial<H>;

/** What an optimizer takes first: tensors (any iterable, e.g. model.parameters()) or groups. */
export type Params<H extends Hyper> = Iterable<Tensor> | ParamGroupInput<H>[];

/**
 * Reads an optimizer's arguments after `params`: PyTorch's positional hyperparameters (the first
 * `positional` of `names`) and an options object; unknown keys and bad values are errors.
 */
export function optimizerArgs<H extends Hyper>(
  name: string,
  names: readonly (keyof H & string)[],
  positional: number,
  rest: readonly unknown[],
  checks: Partial<Record<keyof H & string, Check>>,
): Partial<H> {
  return pyArgs<H>(name, names, rest, checks, positional);
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

  constructor(params: Params<H>, defaults: H, checks: Partial<Record<keyof H & string, Check>> = {}) {
    const name = new.target.name;
    if (params instanceof TensorClass)
      throw new TypeError(
        `${name}: params argument given to the optimizer should be an iterable of Tensors, got a Tensor`,
      );
    const list = [...(params as Iterable<Tensor | ParamGroupInput<H>>)];
    const groups: ParamGroupInput<H>[] =
      list.length > 0 && isOptions(list[0])
        ? (list as ParamGroupInput<H>[])
        : [{ params: list as Tensor[] } as ParamGroupInput<H>];
    if (groups.length === 0 || groups.every((g) => [...g.params].length === 0))
      throw new Error(`${name}: got an empty parameter list`);
    const seen = new Set<Tensor>();
    const valid = ['params', 'options', ...Object.keys(defaults)];
    this.paramGroups = groups.map((g, i) => {
      checkKeys(`${name} (parameter group ${i})`, g, valid);
      const { params: tensors, options = {}, ...inline } = g as ParamGroupInput<H> & Record<string, unknown>;
      const own = { ...inline, ...options } as Partial<H>;
      checkValues(`${name} (parameter group ${i})`, own, checks as Record<string, Check>);
      const ps = [...tensors];
      for (const p of ps) {
        if (!(p instanceof TensorClass))
          throw new TypeError(`${name}: parameter group ${i} holds something that is not a Tensor`);
        if (seen.has(p)) throw new Error(`${name}: some parameters appear in more than one parameter group`);
        seen.add(p);
      }
      const group = { params: ps, options: { ...defaults, ...own } as H };
      // PyTorch's group['lr'] habit: each hyperparameter as a property of the group.
      for (const key of Object.keys(group.options))
        Object.defineProperty(group, key, {
          get: () => group.options[key as keyof H],
          set: (v: H[keyof H]) => (group.options[key as keyof H] = v),
          enumerable: true,
        });
      return group as ParamGroup<H>;
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
      Object.assign(own.options, options);
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
