// The backward walk. Iterative (a work list, no recursion) so that 10,000-op chains are fine.
// The engine, not the ops, sums fan-in, reduces broadcast gradients to each input's shape,
// checks shapes and dtypes (naming the op), runs hooks, and frees saved tensors.
import { shapesEqual, formatShape } from '../shape.ts';
import type { Tensor } from '../tensor.ts';
import { checkFiniteBackward } from './anomaly.ts';
import { gradEdge } from './function.ts';
import { isAnomalyEnabled, isGradEnabled, noGrad, setDetectAnomaly, setGradEnabled } from './grad-mode.ts';
import type { Node } from './node.ts';
import { engineOps } from './engine-ops.ts';
import { keep } from '../scope.ts';

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
    grad = engineOps.onesLike(t);
  } else if (!shapesEqual(grad.shape, t.shape)) {
    throw new Error(
      `${op}: mismatch in shape: grad_output[${index}] has a shape of ${formatShape(grad.shape)} and output[${index}] has a shape of ${formatShape(t.shape)}`,
    );
  }
  return { node: gradEdge(t), grad };
}

/** Fits a gradient to the input it flows into: broadcast reduction, shape and dtype checks. */
function fitGrad(node: Node, index: number, grad: Tensor): Tensor {
  const shape = node.inputShapes[index]!;
  const dtype = node.inputDtypes[index]!;
  if (!shapesEqual(grad.shape, shape)) {
    const reduced = engineOps.sumToShape(grad, shape);
    if (!reduced)
      throw new Error(
        `${node.name}: returned a gradient of shape ${formatShape(grad.shape)} for input ${index}, ` +
          `which has shape ${formatShape(shape)}`,
      );
    grad = reduced;
  }
  return grad.dtype === dtype ? grad : engineOps.cast(grad, dtype);
}

function accumulateIntoLeaf(leaf: Tensor, grad: Tensor, createGraph: boolean): void {
  // A leaf's gradient outlives the step's scope (see scope.ts).
  if (leaf.grad === null) leaf.grad = keep(createGraph ? grad : noGrad(() => engineOps.clone(grad.detach())));
  else if (createGraph) leaf.grad = engineOps.add(leaf.grad, grad);
  else noGrad(() => engineOps.addInPlace(leaf.grad!, grad));
}

/**
 * Runs the graph backward from `roots`. With `captures` (the grad() API), gradients arriving at
 * those nodes are returned instead of accumulated, and only the nodes that lead to them run.
 */
function run(roots: Root[], captures: Node[] | null, options: BackwardOptions): (Tensor | null)[] {
  const retainGraph = options.retainGraph ?? options.createGraph ?? false;
  const createGraph = options.createGraph ?? false;

  // Discover the graph and count, for every node, the edges that lead into it. (Parent lists
  // are only built for grad(), which runs just the nodes on paths to its captures.)
  const deps = new Map<Node, number>();
  const parents = captures ? new Map<Node, Node[]>() : null;
  const stack = roots.map((r) => r.node);
  const seen = new Set<Node>(stack);
  while (stack.length > 0) {
    const node = stack.pop()!;
    for (const next of node.next) {
      if (!next) continue;
      deps.set(next, (deps.get(next) ?? 0) + 1);
      if (parents) {
        const list = parents.get(next);
        if (list) list.push(node);
        else parents.set(next, [node]);
      }
      if (!seen.has(next)) {
        seen.add(next);
        stack.push(next);
      }
    }
  }
  let needed: Set<Node> = seen;
  if (captures && parents) {
    needed = new Set(captures.filter((c) => seen.has(c)));
    const queue = [...needed];
    while (queue.length > 0) {
      for (const p of parents.get(queue.pop()!) ?? []) {
        if (needed.has(p)) continue;
        needed.add(p);
        queue.push(p);
      }
    }
    deps.clear();
    for (const [child, ps] of parents) {
      if (!needed.has(child)) continue;
      deps.set(child, ps.filter((p) => needed.has(p)).length);
    }
  }

  const pending = new Map<Node, Tensor>();
  // Sums the engine created itself: nobody else holds them, so they may be added to in place.
  const owned = new Set<Tensor>();
  const accumulate = (next: Node, grad: Tensor) => {
    const prior = pending.get(next);
    if (!prior) return void pending.set(next, grad);
    if (
      owned.has(prior) &&
      !createGraph &&
      prior.dtype === grad.dtype &&
      shapesEqual(prior.shape, grad.shape)
    ) {
      noGrad(() => engineOps.addInPlace(prior, grad));
      return;
    }
    const sum = engineOps.add(prior, grad);
    if (!createGraph) owned.add(sum);
    pending.set(next, sum);
  };
  for (const r of roots) {
    const prior = pending.get(r.node);
    pending.set(r.node, prior ? engineOps.add(prior, r.grad) : r.grad);
  }
  const captured: (Tensor | null)[] = captures ? captures.map(() => null) : [];
  const ready = [...new Set(roots.map((r) => r.node))].filter((n) => needed.has(n) && !deps.get(n));

  while (ready.length > 0) {
    const node = ready.pop()!;
    let grad = pending.get(node) ?? null;
    pending.delete(node);
    if (grad !== null) {
      const hooks = node.variable ? node.variable.leafHooks : node.preHooks;
      if (hooks) for (const hook of hooks) grad = hook(grad) ?? grad;
      if (node.retained)
        for (const t of node.retained)
          t.grad = t.grad ? engineOps.add(t.grad, grad) : createGraph ? grad : grad.detach();
      captures?.forEach((c, i) => c === node && (captured[i] = grad));
    }
    if (node.variable) {
      if (grad !== null && !captures) accumulateIntoLeaf(node.variable, grad, createGraph);
      continue;
    }
    if (grad !== null && node.accumulateFn && !createGraph && !isAnomalyEnabled()) {
      // A view's gradient goes straight into its input's pending sum (no full-size temporary).
      const next = node.next[0];
      if (next && needed.has(next)) {
        const prior = pending.get(next) ?? null;
        const target = prior && !owned.has(prior) ? noGrad(() => engineOps.clone(prior)) : prior;
        const sum = noGrad(() => node.accumulateFn!(target, grad!));
        owned.add(sum);
        pending.set(next, sum);
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
        const next = nexts[i];
        const gi = grads[i];
        if (next && gi && needed.has(next)) accumulate(next, fitGrad(node, i, gi));
      }
    }
    if (!retainGraph) node.release();
    for (const next of node.next) {
      if (!next || !needed.has(next)) continue;
      const left = deps.get(next)! - 1;
      deps.set(next, left);
      if (left === 0) ready.push(next);
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
