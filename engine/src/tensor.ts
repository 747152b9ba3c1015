// The Tensor: a strided view of a Storage plus its autograd identity. Operations are attached
// as methods by the op modules (see tensor-methods.ts); this file holds only the core state.
import type { Device, View } from './backend/types.ts';
import type { DType, TypedArray } from './dtype.ts';
import type { Node } from './autograd/node.ts';
import { contiguousStrides, numel, normalizeDim } from './shape.ts';
import { Storage } from './storage.ts';

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
    const expected = contiguousStrides(this.shape);
    return this.shape.every((d, i) => d === 1 || this.strides[i] === expected[i]);
  }

  /** The kernel-facing description of this tensor's memory. */
  view_(): View {
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
