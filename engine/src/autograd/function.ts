// How an op is defined and applied. An OpDef pairs a forward (which runs kernels and says
// what to save) with a backward written in differentiable tensor ops, so that gradients of
// gradients come for free. apply() records the node when any input requires grad.
import { isFloating } from '../dtype.ts';

import { checkFiniteForward } from './anomaly.ts';
import { isAnomalyEnabled, isGradEnabled, setGradEnabled } from './grad-mode.ts';
import { Node, type Tensor } from '../tensor.ts';

export interface ForwardContext {
  /** Tensors the backward will need (null for a slot it will not read); checked for in-place changes before use. */
  save(...tensors: (Tensor | null)[]): void;
  /** Which inputs will receive a gradient: save only what their formulas read. */
  readonly needsInputGrad: readonly boolean[];
}

export interface BackwardContext<A> {
  readonly attrs: A;
  readonly saved: Tensor[];
  readonly needsInputGrad: readonly boolean[];
}

export interface OpDef<A = void> {
  /** PyTorch's name for the forward op; the node is named `${name}Backward0`. */
  readonly name: string;
  forward(inputs: readonly Tensor[], attrs: A, ctx: ForwardContext): Tensor;
  /** One gradient per input (in the output's shape is fine: the engine reduces broadcasts), or null. */
  backward(grad: Tensor, ctx: BackwardContext<A>): (Tensor | null)[];
  /**
   * For view ops with one input: add this op's input-gradient into `pending` (the gradient
   * gathered so far for that input, which the engine owns and may write), or create it when
   * null — without building the full-size gradient first. Used when no graph of the backward is
   * recorded; must equal adding backward()'s result.
   */
  accumulate?(pending: Tensor | null, grad: Tensor, attrs: A): Tensor;
}

export function defineOp<A = void>(def: OpDef<A>): OpDef<A> {
  return def;
}

export function gradEdge(t: Tensor): Node {
  if (t.gradFn) return t.gradFn;
  t.accumulator ??= new Node('AccumulateGrad', () => [], t);
  return t.accumulator;
}

/** Context for a forward that records nothing: saving is a no-op. */
const NOT_RECORDING: ForwardContext = { save: () => undefined, needsInputGrad: [] };
const nodeNames = new Map<string, string>();

/** What a recording forward saves, kept in one object (no closure per op). */
class Recorder implements ForwardContext {
  saved: (Tensor | null)[] = [];
  constructor(readonly needsInputGrad: boolean[]) {}
  save(...tensors: (Tensor | null)[]): void {
    if (this.saved.length === 0) this.saved = tensors;
    else this.saved.push(...tensors);
  }
}

/** The backward of an op node: its def's backward with the attrs and saved tensors. */
class OpNode<A> extends Node {
  constructor(
    name: string,
    readonly op: OpDef<A>,
    readonly attrs: A,
    readonly needsInputGrad: boolean[],
  ) {
    super(name, opBackward as unknown as (node: Node, grad: Tensor) => (Tensor | null)[]);
  }
  get saved(): Tensor[] {
    return this.savedTensors();
  }
}

function opBackward<A>(node: OpNode<A>, grad: Tensor): (Tensor | null)[] {
  return node.op.backward(grad, node);
}

export function apply<A>(op: OpDef<A>, inputs: readonly Tensor[], attrs: A): Tensor {
  let recording = false;
  const device = inputs[0]?.device;
  for (const t of inputs) {
    if (t.device !== device)
      throw new Error(
        `${op.name}: expected all tensors to be on the same device, but found ${device} and ${t.device}`,
      );
    if (t.requiresGrad) recording = true;
  }
  recording &&= isGradEnabled();
  const ctx = recording ? new Recorder(inputs.map((t) => t.requiresGrad)) : NOT_RECORDING;
  // The forward's own kernels and helper ops are not recorded (grad mode off, restored after).
  const gradMode = isGradEnabled();
  setGradEnabled(false);
  let out: Tensor;
  try {
    out = op.forward(inputs, attrs, ctx);
  } finally {
    setGradEnabled(gradMode);
  }
  if (isAnomalyEnabled()) checkFiniteForward(op.name, out);
  if (!recording || !isFloating(out.dtype)) return out;

  let name = nodeNames.get(op.name);
  if (name === undefined) nodeNames.set(op.name, (name = `${op.name}Backward0`));
  const node = new OpNode(name, op, attrs, ctx.needsInputGrad as boolean[]);
  if (op.accumulate) node.accumulateFn = (pending, grad) => op.accumulate!(pending, grad, attrs);
  node.next = inputs.map((t) => (t.requiresGrad ? gradEdge(t) : null));
  node.inputShapes = inputs.map((t) => t.shape);
  node.inputDtypes = inputs.map((t) => t.dtype);
  node.save((ctx as Recorder).saved);
  if (isAnomalyEnabled()) node.forwardTrace = new Error(`forward of ${op.name}`).stack ?? null;
  out.gradFn = node;
  out.requiresGrad = true;
  return out;
}
