// The backward walk. Iterative (a work list, no recursion) so that 10,000-op chains are fine.
// The engine, not the ops, sums fan-in, reduces broadcast gradients to each input's shape,
// checks shapes and dtypes (naming the op), runs hooks, and frees saved tensors.
import { shapesEqual, formatShape } from '../shape.ts';
import { checkFiniteBackward } from './anomaly.ts';
import { gradEdge } from './function.ts';
import { isAnomalyEnabled, isGradEnabled, noGrad, setDetectAnomaly, setGradEnabled } from './grad-mode.ts';
import type { Node, Tensor } from '../tensor.ts';
import { keep } from '../scope.ts';
import { add } from '../ops/binary.ts';
import { cast, clone } from '../ops/cast.ts';
import { onesLike } from '../ops/fill.ts';
import { sumRaw } from '../ops/reduce.ts';
import { reshapeRaw } from '../ops/views.ts';
import { addInto } from '../ops/accumulate.ts';

export interface BackwardOptions {
  retainGraph?: boolean;
  createGraph?: boolean;
}

interface Root {
  node: Node;
  grad: Tensor;
}

function rootOf(op: string, t: Tensor, grad: Tensor | undefined, index: number): Root {
  if (!t.requiresGrad)
    throw new Error(`${op}: element ${index} of tensors does not require grad and does not have a grad_fn`);
  if (grad === undefined) {
    if (t.numel() !== 1)
      throw new Error(
        `${op}: grad can be implicitly created only for scalar outputs (got shape ${formatShape(t.shape)})`,
      );
    grad = onesLike(t);
  } else if (!shapesEqual(grad.shape, t.shape)) {
    throw new Error(
      `${op}: mismatch in shape: grad_output[${index}] has a shape of ${formatShape(grad.shape)} and output[${index}] has a shape of ${formatShape(t.shape)}`,
    );
  }
  return { node: gradEdge(t), grad };
}

/** Sums a broadcast gradient back to `shape`, or null when `shape` does not broadcast to t's. */
function sumToShape(t: Tensor, shape: readonly number[]): Tensor | null {
  const lead = t.ndim - shape.length;
  if (lead < 0) return null;
  const dims: number[] = [];
  for (let i = 0; i < t.ndim; i++) {
    const target = i < lead ? 1 : shape[i - lead]!;
    if (i < lead || (target === 1 && t.shape[i] !== 1)) dims.push(i);
    else if (target !== t.shape[i]) return null;
  }
  return reshapeRaw(dims.length ? sumRaw(t, dims, true) : t, shape);
}

/** Fits a gradient to the input it flows into: broadcast reduction, shape and dtype checks. */
function fitGrad(node: Node, index: number, grad: Tensor): Tensor {
  const shape = node.inputShapes[index]!;
  const dtype = node.inputDtypes[index]!;
  if (!shapesEqual(grad.shape, shape)) {
    const reduced = sumToShape(grad, shape);
    if (!reduced)
      throw new Error(
        `${node.name}: returned a gradient of shape ${formatShape(grad.shape)} for input ${index}, ` +
          `which has shape ${formatShape(shape)}`,
      );
    grad = reduced;
  }
  return grad.dtype === dtype ? grad : cast(grad, dtype);
}

function accumulateIntoLeaf(leaf: Tensor, grad: Tensor, createGraph: boolean): void {
  // A leaf's gradient outlives the step's scope (see scope.ts).
  if (leaf.grad === null) leaf.grad = keep(createGraph ? grad : noGrad(() => clone(grad.detach())));
  else if (createGraph) leaf.grad = add(leaf.grad, grad);
  else noGrad(() => addInto(leaf.grad!, grad));
}

/**
 * Runs the graph backward from `roots`. With `captures` (the grad() API), gradients arriving at
 * those nodes are returned instead of accumulated, and only the nodes that lead to them run.
 */
/** Numbers the backward walks: a node's scratch fields belong to the walk whose number they carry. */
let walks = 0;

let walking = false;

function run(roots: Root[], captures: Node[] | null, options: BackwardOptions): (Tensor | null)[] {
  // The nodes' scratch fields serve one walk at a time.
  if (walking)
    throw new Error(
      'backward()/grad() was called while another backward pass was running (from a hook?); run it after that pass returns',
    );
  walking = true;
  try {
    return walkGraph(roots, captures, options);
  } finally {
    walking = false;
    for (const r of roots) r.node.pending = null;
  }
}

function walkGraph(roots: Root[], captures: Node[] | null, options: BackwardOptions): (Tensor | null)[] {
  const retainGraph = options.retainGraph ?? options.createGraph ?? false;
  const createGraph = options.createGraph ?? false;
  const walk = ++walks;

  // Discover the graph and count, for every node, the edges that lead into it. (Parent lists
  // are only built for grad(), which runs just the nodes on paths to its captures.)
  const parents = captures ? new Map<Node, Node[]>() : null;
  const stack: Node[] = [];
  const discover = (node: Node) => {
    node.walk = walk;
    node.needed = captures ? 0 : walk;
    node.deps = 0;
    node.pending = null;
    stack.push(node);
  };
  for (const r of roots) if (r.node.walk !== walk) discover(r.node);
  while (stack.length > 0) {
    const node = stack.pop()!;
    for (const next of node.next) {
      if (!next) continue;
      if (next.walk !== walk) discover(next);
      next.deps++;
      if (parents) {
        const list = parents.get(next);
        if (list) list.push(node);
        else parents.set(next, [node]);
      }
    }
  }
  if (captures && parents) {
    const queue = captures.filter((c) => c.walk === walk);
    for (const c of queue) c.needed = walk;
    while (queue.length > 0)
      for (const p of parents.get(queue.pop()!) ?? []) {
        if (p.needed === walk) continue;
        p.needed = walk;
        queue.push(p);
      }
    for (const [child, ps] of parents)
      if (child.needed === walk) child.deps = ps.filter((p) => p.needed === walk).length;
  }
  const isNeeded = (n: Node | null): n is Node => n !== null && n.needed === walk;

  // Sums the engine created itself: nobody else holds them, so they may be added to in place.
  const owned = new Set<Tensor>();
  const accumulate = (next: Node, grad: Tensor) => {
    const prior = next.pending;
    if (!prior) return void (next.pending = grad);
    if (
      owned.has(prior) &&
      !createGraph &&
      prior.dtype === grad.dtype &&
      shapesEqual(prior.shape, grad.shape)
    ) {
      noGrad(() => addInto(prior, grad));
      return;
    }
    const sum = add(prior, grad);
    if (!createGraph) owned.add(sum);
    next.pending = sum;
  };
  for (const r of roots) r.node.pending = r.node.pending ? add(r.node.pending, r.grad) : r.grad;
  const captured: (Tensor | null)[] = captures ? captures.map(() => null) : [];
  const ready = [...new Set(roots.map((r) => r.node))].filter((n) => isNeeded(n) && n.deps === 0);

  while (ready.length > 0) {
    const node = ready.pop()!;
    let grad = node.pending;
    node.pending = null;
    if (grad !== null) {
      const hooks = node.variable ? node.variable.leafHooks : node.preHooks;
      if (hooks) for (const hook of hooks) grad = hook(grad) ?? grad;
      if (node.retained)
        for (const t of node.retained)
          t.grad = t.grad ? add(t.grad, grad) : createGraph ? grad : grad.detach();
      captures?.forEach((c, i) => c === node && (captured[i] = grad));
    }
    if (node.variable) {
      if (grad !== null && !captures) accumulateIntoLeaf(node.variable, grad, createGraph);
      continue;
    }
    if (grad !== null && node.accumulateFn && !createGraph && !isAnomalyEnabled()) {
      // A view's gradient goes straight into its input's pending sum (no full-size temporary).
      const next = node.next[0] ?? null;
      if (isNeeded(next)) {
        const prior = next.pending;
        const target = prior && !owned.has(prior) ? noGrad(() => clone(prior)) : prior;
        const sum = noGrad(() => node.accumulateFn!(target, grad!));
        owned.add(sum);
        next.pending = sum;
      }
    } else if (grad !== null) {
      if (node.isReleased) node.savedTensors(); // throws the "backward a second time" error
      // Anomaly mode checks what a backward returns, not each op inside the formula. The
      // backward runs with grad mode on only when its graph is wanted (createGraph).
      const anomaly = isAnomalyEnabled();
      if (anomaly) setDetectAnomaly(false);
      const gradMode = isGradEnabled();
      setGradEnabled(createGraph);
      let grads: (Tensor | null)[];
      try {
        grads = node.backwardFn(node, grad);
      } finally {
        setGradEnabled(gradMode);
        if (anomaly) setDetectAnomaly(true);
      }
      if (anomaly) checkFiniteBackward(node, grads);
      const nexts = node.next;
      for (let i = 0; i < nexts.length; i++) {
        const next = nexts[i]!;
        const gi = grads[i];
        if (gi && isNeeded(next)) accumulate(next, fitGrad(node, i, gi));
      }
    }
    if (!retainGraph) node.release();
    for (const next of node.next) {
      if (!isNeeded(next)) continue;
      if (--next.deps === 0) ready.push(next);
    }
  }
  return captured;
}

const asArray = <T>(x: T | readonly T[]): T[] => (Array.isArray(x) ? [...(x as T[])] : [x as T]);

/** torch.autograd.backward: accumulates d(tensors)/d(leaf) into each leaf's .grad. */
export function backward(
  tensors: Tensor | readonly Tensor[],
  gradTensors?: Tensor | readonly (Tensor | undefined)[],
  options: BackwardOptions = {},
): void {
  const ts = asArray(tensors);
  const gs = gradTensors === undefined ? [] : asArray(gradTensors);
  run(
    ts.map((t, i) => rootOf('backward', t, gs[i], i)),
    null,
    options,
  );
}

export interface GradOptions extends BackwardOptions {
  gradOutputs?: Tensor | readonly (Tensor | undefined)[];
  allowUnused?: boolean;
}

/** torch.autograd.grad: the gradients of outputs with respect to inputs, without touching .grad. */
export function grad(
  outputs: Tensor | readonly Tensor[],
  inputs: Tensor | readonly Tensor[],
  options: GradOptions = {},
): (Tensor | null)[] {
  const outs = asArray(outputs);
  const ins = asArray(inputs);
  const gs = options.gradOutputs === undefined ? [] : asArray(options.gradOutputs);
  ins.forEach((t, i) => {
    if (!t.requiresGrad) throw new Error(`grad: input ${i} does not require grad`);
  });
  const result = run(
    outs.map((t, i) => rootOf('grad', t, gs[i], i)),
    ins.map((t) => gradEdge(t)),
    options,
  );
  return result.map((g, i) => {
    if (g === null && !options.allowUnused)
      throw new Error(
        `grad: input ${i} appears to not have been used in the graph. Set allowUnused: true if this is the desired behavior.`,
      );
    return g === null ? null : options.createGraph ? g : g.detach();
  });
}
