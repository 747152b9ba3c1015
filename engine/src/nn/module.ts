// nn.Module: a tree of modules owning parameters and buffers, with PyTorch's state-dict keys
// ("0.weight", "layer.running_mean"), train/eval modes and a printable structure.
// Subclasses register what they own with param(), buffer() and module(); the returned values
// are stored as plain fields so that forward() reads them naturally.
import { noGrad } from '../autograd/grad-mode.ts';
import { DEVICES, type Device } from '../backend/types.ts';
import { DTYPES, isFloating } from '../dtype.ts';
import { formatShape, shapesEqual } from '../shape.ts';
import type { Tensor } from '../tensor.ts';
import { Parameter } from './parameter.ts';
import { dispose, keep } from '../scope.ts';

export type StateDict = Map<string, Tensor>;

export interface LoadResult {
  missingKeys: string[];
  unexpectedKeys: string[];
}

export abstract class Module {
  training = true;
  private readonly params = new Map<string, Parameter | null>();
  private readonly buffersMap = new Map<string, Tensor | null>();
  private readonly persistent = new Set<string>();
  private readonly children_ = new Map<string, Module | null>();

  /** The computation; each layer types its own inputs (`never[]` lets subclasses choose). */
  abstract forward(...inputs: never[]): unknown;

  /** Calls forward with loosely typed inputs (how containers and compiled graphs invoke layers). */
  call(...inputs: unknown[]): unknown {
    return (this.forward as (...args: unknown[]) => unknown)(...inputs);
  }

  protected param(name: string, value: Tensor | null): Parameter {
    const p = value === null ? null : value instanceof Parameter ? value : new Parameter(value);
    this.params.set(name, p);
    return p as Parameter;
  }

  protected buffer(name: string, value: Tensor | null, persistent = true): Tensor {
    this.buffersMap.set(name, value);
    // Like parameters, buffers outlive the memory scope they were made in.
    if (value) value.storage.persistent = true;
    if (persistent) this.persistent.add(name);
    return value as Tensor;
  }

  protected module<M extends Module>(name: string, child: M): M {
    this.children_.set(name, child);
    return child;
  }

  /** Replaces a registered parameter or buffer (used by loadStateDict and to()). */
  protected setTensor(name: string, value: Tensor): void {
    if (this.params.has(name)) this.params.set(name, value as Parameter);
    else this.buffersMap.set(name, value);
    (this as unknown as Record<string, Tensor>)[name] = value;
  }

  *namedChildren(): Generator<[string, Module]> {
    for (const [name, child] of this.children_) if (child) yield [name, child];
  }

  *children(): Generator<Module> {
    for (const [, child] of this.namedChildren()) yield child;
  }

  *namedModules(prefix = ''): Generator<[string, Module]> {
    yield [prefix, this];
    for (const [name, child] of this.namedChildren())
      yield* child.namedModules(prefix ? `${prefix}.${name}` : name);
  }

  *modules(): Generator<Module> {
    for (const [, m] of this.namedModules()) yield m;
  }

  *namedParameters(prefix = ''): Generator<[string, Parameter]> {
    const seen = new Set<Tensor>();
    for (const [path, m] of this.namedModules(prefix))
      for (const [name, p] of m.params)
        if (p && !seen.has(p)) {
          seen.add(p);
          yield [path ? `${path}.${name}` : name, p];
        }
  }

  parameters(): Parameter[] {
    return [...this.namedParameters()].map(([, p]) => p);
  }

  *namedBuffers(prefix = ''): Generator<[string, Tensor]> {
    for (const [path, m] of this.namedModules(prefix))
      for (const [name, b] of m.buffersMap) if (b) yield [path ? `${path}.${name}` : name, b];
  }

  buffers(): Tensor[] {
    return [...this.namedBuffers()].map(([, b]) => b);
  }

  train(mode = true): this {
    for (const m of this.modules()) m.training = mode;
    return this;
  }

  eval(): this {
    return this.train(false);
  }

  zeroGrad(setToNone = true): void {
    for (const p of this.parameters()) {
      if (!p.grad) continue;
      if (setToNone) {
        dispose(p.grad);
        p.grad = null;
      } else noGrad(() => p.grad!.zero_());
    }
  }

  apply(fn: (m: Module) => void): this {
    for (const child of this.children()) child.apply(fn);
    fn(this);
    return this;
  }

  requiresGrad_(requiresGrad = true): this {
    for (const p of this.parameters()) p.requiresGrad = requiresGrad;
    return this;
  }

  /** Parameters and persistent buffers by PyTorch's dotted names, in registration order. */
  stateDict(): StateDict {
    const out: StateDict = new Map();
    for (const [path, m] of this.namedModules()) {
      const key = (name: string) => (path ? `${path}.${name}` : name);
      for (const [name, p] of m.params) if (p) out.set(key(name), p);
      for (const [name, b] of m.buffersMap) if (b && m.persistent.has(name)) out.set(key(name), b);
    }
    return out;
  }

  /** stateDict() with every tensor read back to the CPU (for saving a model trained on a GPU). */
  async stateDictAsync(): Promise<StateDict> {
    const out: StateDict = new Map();
    for (const [k, t] of this.stateDict())
      out.set(k, t.device === 'cpu' ? t : await t.detach().toAsync('cpu'));
    return out;
  }

  /**
   * Copies tensors into the module's parameters and buffers. Shape mismatches always throw,
   * naming every offending key; missing and unexpected keys throw when strict (the default).
   */
  loadStateDict(state: StateDict | Record<string, Tensor>, { strict = true } = {}): LoadResult {
    const incoming = state instanceof Map ? state : new Map(Object.entries(state));
    const own = this.stateDict();
    const missingKeys = [...own.keys()].filter((k) => !incoming.has(k));
    const unexpectedKeys = [...incoming.keys()].filter((k) => !own.has(k));
    const misshapen = [...own]
      .filter(([k, t]) => incoming.has(k) && !shapesEqual(incoming.get(k)!.shape, t.shape))
      .map(
        ([k, t]) =>
          `size mismatch for ${k}: copying a param with shape ${formatShape(incoming.get(k)!.shape)} from checkpoint, the shape in current model is ${formatShape(t.shape)}.`,
      );
    const problems = [...misshapen];
    if (strict && missingKeys.length)
      problems.unshift(`Missing key(s) in state_dict: ${missingKeys.map((k) => `"${k}"`).join(', ')}.`);
    if (strict && unexpectedKeys.length)
      problems.unshift(`Unexpected key(s) in state_dict: ${unexpectedKeys.map((k) => `"${k}"`).join(', ')}.`);
    if (problems.length)
      throw new Error(
        `Error(s) in loading state_dict for ${this.constructor.name}:\n\t${problems.join('\n\t')}`,
      );
    noGrad(() => {
      for (const [k, t] of own) if (incoming.has(k)) t.copy_(incoming.get(k)!.to(t.device));
    });
    return { missingKeys, unexpectedKeys };
  }

  /**
   * Moves every parameter and buffer to a device (or dtype), keeping Parameter identity
   * semantics. Leaving 'webgpu' needs an asynchronous read: use toAsync('cpu').
   */
  to(target: Device | FloatDType): this {
    checkTarget(target);
    for (const m of this.modules()) {
      for (const [name, p] of m.params)
        if (p) m.setTensor(name, keep(new Parameter(p.detach().to(target), p.requiresGrad)));
      for (const [name, b] of m.buffersMap) if (b && moves(b, target)) m.setTensor(name, keep(b.to(target)));
    }
    return this;
  }

  /** to() for any pair of devices; the old device's memory is freed. */
  async toAsync(target: Device | FloatDType): Promise<this> {
    checkTarget(target);
    for (const m of this.modules()) {
      for (const [name, p] of m.params)
        if (p) {
          const moved = keep(new Parameter(await p.detach().toAsync(target), p.requiresGrad));
          if (moved.storage !== p.storage) p.dispose();
          m.setTensor(name, moved);
        }
      for (const [name, b] of m.buffersMap)
        if (b && moves(b, target)) {
          const moved = keep(await b.toAsync(target));
          if (moved.storage !== b.storage) b.dispose();
          m.setTensor(name, moved);
        }
    }
    return this;
  }

  /** Floating-point parameters and buffers to float32 (as PyTorch's module.float()). */
  float(): this {
    return this.to('float32');
  }

  double(): this {
    return this.to('float64');
  }

  /** Floating-point parameters and buffers to float16 storage (computed in float32, rounded back). */
  half(): this {
    return this.to('float16');
  }

  bfloat16(): this {
    return this.to('bfloat16');
  }

  /** One line of constructor arguments, as PyTorch's extra_repr. */
  extraRepr(): string {
    return '';
  }

  toString(): string {
    const kids = [...this.namedChildren()];
    const head = `${this.constructor.name}(${this.extraRepr()}`;
    if (kids.length === 0) return `${head})`;
    const lines = kids.map(([name, child]) => `(${name}): ${child.toString().split('\n').join('\n  ')}`);
    return `${this.constructor.name}(\n  ${lines.join('\n  ')}\n)`;
  }
}

/** The dtypes a module can be cast to: PyTorch's module.to(dtype) accepts floating types only. */
export type FloatDType = 'float32' | 'float64' | 'float16' | 'bfloat16';
const FLOAT_DTYPES: readonly string[] = ['float32', 'float64', 'float16', 'bfloat16'];

function checkTarget(target: unknown): void {
  if (
    typeof target === 'string' &&
    !FLOAT_DTYPES.includes(target) &&
    !(DEVICES as readonly string[]).includes(target)
  )
    throw new TypeError(
      `Module.to: expected a device (${DEVICES.join(', ')}) or a floating dtype (${FLOAT_DTYPES.join(', ')}), got '${target}'` +
        ((DTYPES as readonly string[]).includes(target)
          ? ' (nn.Module.to only accepts floating point dtypes)'
          : ''),
    );
}

/** A dtype cast leaves integer and bool buffers (num_batches_tracked) as they are, as PyTorch does. */
const moves = (b: Tensor, target: Device | FloatDType): boolean =>
  !FLOAT_DTYPES.includes(target) || isFloating(b.dtype);
