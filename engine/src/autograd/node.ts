// A node of the backward graph: one per recorded operation. It holds the edges to the nodes
// of its inputs, the tensors its backward needs (with their versions, to catch in-place
// changes), and the hooks of the tensor it produced.
import type { DType } from '../dtype.ts';
import type { Hook, Tensor } from '../tensor.ts';

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
