// The step-through debugger: runs the compiled graph forward one node at a time, then backward
// one node at a time in reverse topological order. Each backward step asks the autograd engine
// for the gradient of that node's outputs with respect to its inputs and parameters, given the
// gradient its consumers sent, so it runs on the real engine graph and its parameter gradients
// equal those of a plain backward(). Recurrent nodes also record their hidden state at every
// unrolled time step, and the gradient reaching each one.
import * as hg from '@hgrad/engine';
import type { DebugPlanStep, DebugRole } from '@hgrad/protocol';
import type { GraphModel, GraphRun } from '@hgrad/train';

/** One tensor of a step: what it is (role), its port, parameter or time-step name, and its value. */
export interface DebugTensorRef {
  role: DebugRole;
  name: string;
  tensor: hg.Tensor;
}

type Outputs = Record<string, hg.Tensor>;

export class StepDebugger {
  readonly plan: DebugPlanStep[];
  /** The step whose state is shown; −1 before the first. */
  cursor = -1;
  private readonly run: GraphRun;
  private readonly states: DebugTensorRef[][] = [];
  /** Gradients sent so far to each node's output ports, summed over consumers. */
  private readonly received = new Map<string, Map<string, hg.Tensor>>();
  private readonly hidden = new Map<string, hg.Tensor[]>();
  private readonly buffers: [hg.Tensor, hg.Tensor][];

  constructor(
    private readonly model: GraphModel,
    feeds: Outputs,
  ) {
    this.run = model.begin(feeds);
    // Running statistics (BatchNorm) are put back when the debugger closes: stepping through
    // a batch must not change the model.
    this.buffers = model.buffers().map((b) => [b, b.clone()]);
    const nodes = model.analysis.nodes;
    const kind = (id: string) => nodes.get(id)!.kind.kind;
    const forward = model.order.map((nodeId) => ({ phase: 'forward' as const, nodeId, kind: kind(nodeId) }));
    const backward = [...this.nodesBeforeLoss()]
      .reverse()
      .map((nodeId) => ({ phase: 'backward' as const, nodeId, kind: kind(nodeId) }));
    this.plan = [...forward, ...backward];
  }

  /** Nodes with a path to the loss, except data sources, in topological order. */
  private nodesBeforeLoss(): string[] {
    const nodes = this.model.analysis.nodes;
    const loss = this.model.order.find((id) => nodes.get(id)!.kind.category === 'loss');
    if (!loss) return [];
    const reaches = new Set([loss]);
    for (const id of [...this.model.order].reverse())
      for (const [, src] of this.model.sources.get(id) ?? []) if (reaches.has(id)) reaches.add(src.node);
    return this.model.order.filter((id) => reaches.has(id) && nodes.get(id)!.kind.category !== 'data');
  }

  /** How many steps of the plan have been computed (stepping back keeps them). */
  get computedSteps(): number {
    return this.states.length;
  }

  /** The tensors of step i (computing every step up to it first). */
  state(i: number): DebugTensorRef[] {
    while (this.states.length <= i) this.compute(this.states.length);
    return this.states[i]!;
  }

  moveTo(index: number): void {
    if (!Number.isInteger(index) || index < -1 || index >= this.plan.length)
      throw new Error(`debug: step ${index} is outside 0..${this.plan.length - 1}`);
    if (index >= 0) this.state(index);
    this.cursor = index;
  }

  close(): void {
    for (const [buffer, saved] of this.buffers) hg.noGrad(() => buffer.copy_(saved));
  }

  /** Every parameter's gradient by state-dict name, once the backward pass has reached it. */
  parameterGradients(): Map<string, hg.Tensor> {
    const grads = new Map<string, hg.Tensor>();
    for (const state of this.states)
      for (const t of state) if (t.role === 'gradParam') grads.set(t.name, t.tensor);
    return grads;
  }

  private compute(i: number): void {
    const step = this.plan[i]!;
    this.states.push(
      step.phase === 'forward' ? this.forwardStep(step.nodeId) : this.backwardStep(step.nodeId),
    );
  }

  private forwardStep(id: string): DebugTensorRef[] {
    const module = this.model.nodeModule(id);
    const recurrent = module instanceof hg.nn.RNNBase ? module : null;
    const hidden: hg.Tensor[] = [];
    const lastLayer = (recurrent?.numLayers ?? 1) - 1;
    if (recurrent)
      recurrent.onStep = ({ layer, direction, t, h }) => {
        if (layer === lastLayer && direction === 0) hidden[t] = h;
      };
    let outputs: Outputs;
    try {
      outputs = this.model.runNode(id, this.run);
    } finally {
      if (recurrent) recurrent.onStep = null;
    }
    if (recurrent) this.hidden.set(id, hidden);
    const inputs = this.model.nodeInputs(id, this.run);
    const kind = this.model.analysis.nodes.get(id)!.kind;
    return [
      ...(kind.category === 'data' ? [] : refs('input', inputs)),
      ...refs('output', outputs),
      ...hidden.map((h, t) => ({ role: 'hidden' as const, name: `t=${t}`, tensor: h })),
    ];
  }

  private backwardStep(id: string): DebugTensorRef[] {
    const outputs = this.run.values.get(id)!;
    const isLoss = this.model.analysis.nodes.get(id)!.kind.category === 'loss';
    const sent = this.received.get(id);
    const ports = Object.keys(outputs).filter((p) => outputs[p]!.requiresGrad && (isLoss || sent?.has(p)));
    if (ports.length === 0) return [];
    const gradOutputs = ports.map((p) => (isLoss ? hg.onesLike(outputs[p]!) : sent!.get(p)!));
    const inputs = Object.entries(this.model.nodeInputs(id, this.run)).filter(([, t]) => t.requiresGrad);
    const module = this.model.nodeModule(id);
    const params = module ? [...module.namedParameters(id)].filter(([, p]) => p.requiresGrad) : [];
    const hidden = (this.hidden.get(id) ?? []).filter((h) => h.requiresGrad);
    const grads = hg.grad(
      ports.map((p) => outputs[p]!),
      [...inputs.map(([, t]) => t), ...params.map(([, p]) => p), ...hidden],
      { gradOutputs, retainGraph: true, allowUnused: true },
    );
    const result: DebugTensorRef[] = ports.map((p, k) => ({
      role: 'gradOutput',
      name: p,
      tensor: gradOutputs[k]!,
    }));
    inputs.forEach(([port, input], k) => {
      const g = grads[k] ?? hg.zerosLike(input);
      result.push({ role: 'gradInput', name: port, tensor: g });
      const src = this.model.sources.get(id)!.get(port)!;
      const into = this.received.get(src.node) ?? new Map<string, hg.Tensor>();
      const prior = into.get(src.port);
      into.set(src.port, prior ? prior.add(g) : g);
      this.received.set(src.node, into);
    });
    params.forEach(([name, p], k) =>
      result.push({ role: 'gradParam', name, tensor: grads[inputs.length + k] ?? hg.zerosLike(p) }),
    );
    hidden.forEach((h, t) =>
      result.push({
        role: 'gradHidden',
        name: `t=${t}`,
        tensor: grads[inputs.length + params.length + t] ?? hg.zerosLike(h),
      }),
    );
    // The parameters' values, so the rule can be shown with its numbers (dL/dx = dL/dy · W).
    params.forEach(([name, p]) => result.push({ role: 'param', name, tensor: p.detach() }));
    return result;
  }
}

const refs = (role: 'input' | 'output', values: Outputs): DebugTensorRef[] =>
  Object.entries(values).map(([name, tensor]) => ({ role, name, tensor }));
