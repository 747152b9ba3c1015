// ModuleList, Sequential (a ModuleList that chains its modules) and ModuleDict: children keyed
// "0", "1", … or by name, as in PyTorch.
import type { Tensor } from '../tensor.ts';
import { Module } from './module.ts';

export class ModuleList extends Module {
  private readonly items: Module[] = [];

  constructor(modules: Module[] = []) {
    super();
    modules.forEach((m) => this.append(m));
  }

  append(m: Module): this {
    this.module(String(this.items.length), m);
    this.items.push(m);
    return this;
  }

  get length(): number {
    return this.items.length;
  }

  at(index: number): Module {
    const m = this.items[index < 0 ? index + this.items.length : index];
    if (!m)
      throw new Error(
        `${this.constructor.name}: index ${index} is out of range (length ${this.items.length})`,
      );
    return m;
  }

  forward(..._inputs: never[]): unknown {
    throw new Error(`${this.constructor.name} has no forward(): call its modules`);
  }

  [Symbol.iterator](): Iterator<Module> {
    return this.items[Symbol.iterator]();
  }
}

export class Sequential extends ModuleList {
  constructor(...modules: Module[]) {
    super(modules);
  }

  override forward(x: Tensor): Tensor {
    let out = x;
    for (const layer of this) out = layer.call(out) as Tensor;
    return out;
  }
}

export class ModuleDict extends Module {
  private readonly entries = new Map<string, Module>();

  constructor(modules: Record<string, Module> = {}) {
    super();
    for (const [k, m] of Object.entries(modules)) this.set(k, m);
  }

  set(key: string, m: Module): this {
    this.module(key, m);
    this.entries.set(key, m);
    return this;
  }

  get(key: string): Module {
    const m = this.entries.get(key);
    if (!m) throw new Error(`ModuleDict: no module named '${key}'`);
    return m;
  }

  keys(): string[] {
    return [...this.entries.keys()];
  }

  forward(): never {
    throw new Error('ModuleDict has no forward(): call its modules');
  }
}
