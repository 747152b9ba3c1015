// The Tensor (a strided view of a Storage plus its autograd identity) and the Node of the
// backward graph that produced it. The two types refer to each other, so they share this module.
// Operations are attached to Tensor as methods by tensor-methods.ts; this file holds only state.
import type { Device, View } from './backend/types.ts';
import type { DType, TypedArray } from './dtype.ts';
import { isDense, numel, normalizeDim } from './shape.ts';
import { Storage } from './storage.ts';

const RELEASED =
  'a tensor whose memory was released was used (it was freed at the end of a tidy() scope or by dispose(); keep() it, or return it from tidy(), to use it later)';

export type Hook = (grad: Tensor) => Tensor | void;

export class Tensor {
  requiresGrad = false;
  /** Accumulated gradient (leaves, and non-leaves after retainGrad()). */
  grad: Tensor | null = null;
  /** The node that produced this tensor; null for leaves. */
  gradFn: Node | null = null;
  /** The tensor this one is a view of (views share storage and version counter). */
  base: Tensor | null = null;
  /** True for 0-d tensors made from plain numbers: they rank lowest in type promotion. */
  isWrappedNumber = false;
  /** Lazily created AccumulateGrad node of a leaf that requires grad. */
  accumulator: Node | null = null;
  retainsGrad = false;
  /** Hooks of a leaf (non-leaf hooks live on their gradFn). */
  leafHooks: Hook[] | null = null;

  constructor(
    readonly storage: Storage,
    readonly shape: number[],
    readonly strides: number[],
    readonly offset: number,
  ) {}

  get dtype(): DType {
    return this.storage.dtype;
  }

  get device(): Device {
    return this.storage.backend.device;
  }

  get ndim(): number {
    return this.shape.length;
  }

  get isLeaf(): boolean {
    return this.gradFn === null;
  }

  /** PyTorch's tensor._version: bumped by every in-place change of the storage. */
  get version(): number {
    return this.storage.version;
  }

  dim(): number {
    return this.shape.length;
  }

  numel(): number {
    return numel(this.shape);
  }

  size(): number[];
  size(dim: number): number;
  size(dim?: number): number[] | number {
    if (dim === undefined) return [...this.shape];
    return this.shape[normalizeDim('size', dim, this.ndim)] ?? 1;
  }

  stride(): number[] {
    return [...this.strides];
  }

  isContiguous(): boolean {
    return isDense(this.shape, this.strides);
  }

  /** The kernel-facing description of this tensor's memory. */
  view_(): View {
    if (this.storage.released) throw new Error(RELEASED);
    return {
      buffer: this.storage.buffer,
      dtype: this.dtype,
      shape: this.shape,
      strides: this.strides,
      offset: this.offset,
    };
  }

  /** A contiguous copy of the values (synchronous; CPU tensors only). */
  dataSync(): TypedArray {
    return this.storage.backend.readSync(this.view_());
  }

  /** A contiguous copy of the values, on any device. */
  data(): Promise<TypedArray> {
    return this.storage.backend.read(this.view_());
  }

  item(): number {
    if (this.numel() !== 1)
      throw new Error(`item(): a Tensor with ${this.numel()} elements cannot be converted to a number`);
    return this.dataSync()[0]!;
  }

  /** Nested arrays of numbers (booleans for bool tensors), like PyTorch's tolist(). */
  tolist(): unknown {
    return nestedList(this, this.dataSync());
  }
}

/** The values of t (contiguous, row-major) as nested arrays of t's shape. */
export function nestedList(t: Tensor, values: TypedArray): unknown {
  const isBool = t.dtype === 'bool';
  const build = (dim: number, start: number): unknown => {
    if (dim === t.ndim) return isBool ? values[start] === 1 : values[start];
    const step = numel(t.shape.slice(dim + 1));
    return Array.from({ length: t.shape[dim]! }, (_, i) => build(dim + 1, start + i * step));
  };
  return build(0, 0);
}

// A node of the backward graph: one per recorded operation. It holds the edges to the nodes
// of its inputs, the tensors its backward needs (with their versions, to catch in-place
// changes), and the hooks of the tensor it produced.

// Shared empty defaults (fields are replaced, never appended to): no arrays allocated per node.
const NONE: never[] = [];

export class Node {
  /** Where each input's gradient goes; null for inputs that do not require grad. */
  next: (Node | null)[] = NONE;
  /** Each input's shape and dtype (the gradient sent to it is fitted to them). */
  inputShapes: (readonly number[])[] = NONE;
  inputDtypes: DType[] = NONE;
  /** Hooks on the gradient of the tensor this node produced (created on first use). */
  preHooks: Hook[] | null = null;
  /** Tensors whose .grad is set when this node receives its gradient (retainGrad(); created on first use). */
  retained: Tensor[] | null = null;
  /** A view op's in-place gradient accumulation (see OpDef.accumulate). */
  accumulateFn: ((pending: Tensor | null, grad: Tensor) => Tensor) | null = null;
  /** Stack trace of the forward call, kept in anomaly mode. */
  forwardTrace: string | null = null;
  // Scratch space of the backward walk (engine.ts): valid only while `walk` is the current
  // walk's number, so no Map or Set is built per backward() call.
  walk = 0;
  needed = 0;
  deps = 0;
  pending: Tensor | null = null;
  private savedSlots: (Tensor | null)[] | null = NONE;
  private savedVersions: number[] = NONE;
  private hadSaved = false;

  constructor(
    /** PyTorch-style name, e.g. "MulBackward0". */
    readonly name: string,
    /** The gradients for each input, given the gradient of the output. */
    readonly backwardFn: (node: Node, grad: Tensor) => (Tensor | null)[],
    /** For AccumulateGrad nodes: the leaf they accumulate into. */
    readonly variable: Tensor | null = null,
  ) {}

  save(tensors: readonly (Tensor | null)[]): void {
    this.savedSlots = tensors as (Tensor | null)[];
    this.savedVersions = tensors.map((tensor) => tensor?.version ?? 0);
    this.hadSaved = tensors.length > 0;
  }

  /** The saved tensors, checked against in-place changes and against a freed graph. */
  savedTensors(): Tensor[] {
    if (this.savedSlots === null)
      throw new Error(
        `${this.name}: trying to backward through the graph a second time (or to access saved tensors after they ` +
          `were freed). Saved intermediate values are freed by backward() and grad(); pass {retainGraph: true} ` +
          `to the first call if you need to backward through the graph again.`,
      );
    // Slots saved as null are never read by the backward that left them empty.
    return this.savedSlots.map((tensor, i) => {
      const version = this.savedVersions[i]!;
      if (tensor === null) return null as unknown as Tensor;
      if (tensor.version !== version)
        throw new Error(
          `${this.name}: one of the variables needed for gradient computation has been modified by an inplace ` +
            `operation: saved tensor ${i} of shape [${tensor.shape.join(', ')}] is at version ${tensor.version}; ` +
            `expected version ${version} instead.`,
        );
      return tensor;
    });
  }

  get isReleased(): boolean {
    return this.savedSlots === null && this.hadSaved;
  }

  release(): void {
    if (this.hadSaved) this.savedSlots = null;
  }
}
