// "Check gradient" for one node, as a learner would do it by hand: on a few samples of the inputs
// the node last received, compare autograd's gradient of a fixed random projection of its outputs
// with central finite differences, in float64, on a few entries of each parameter and input. The
// node runs in evaluation mode (dropout off, batch norm on its running statistics) so that the
// function is deterministic.
import * as hg from '@hgrad/engine';
import { implOf, type GraphModel } from './compile.ts';
import type { Outputs } from './kinds.ts';

export interface CheckedEntry {
  index: number[];
  autograd: number;
  numeric: number;
  /**
   * The function has a kink here (its left and right slopes differ: a ReLU at 0, tied maxima in a
   * pooling window), where no derivative exists to compare; such entries count in no error.
   */
  kink: boolean;
}

export interface TensorCheck {
  /** 'weight', 'bias', … for parameters; 'input: x' for input ports. */
  name: string;
  shape: number[];
  entries: CheckedEntry[];
  /** max |autograd − numeric| / max(|autograd|, |numeric|, 1e-6) over the entries (kinks aside). */
  maxRelError: number;
}

export interface NodeGradCheck {
  nodeId: string;
  samples: number;
  checks: TensorCheck[];
  maxRelError: number;
}

const EPS = 1e-6;

/** Multi-index of a flat position. */
const unravel = (flat: number, shape: readonly number[]): number[] => {
  const out = new Array<number>(shape.length);
  for (let d = shape.length - 1; d >= 0; d--) {
    out[d] = flat % shape[d]!;
    flat = Math.floor(flat / shape[d]!);
  }
  return out;
};

export function checkNodeGradient(
  model: GraphModel,
  nodeId: string,
  lastValues: ReadonlyMap<string, Outputs>,
  options: { samples?: number; entries?: number; seed?: number } = {},
): NodeGradCheck {
  const node = model.analysis.nodes.get(nodeId);
  if (!node) throw new Error(`gradcheck: no node '${nodeId}'`);
  if (node.inner) throw new Error(`gradcheck: ${nodeId} is a group: check the nodes inside it`);
  if (node.kind.category === 'data') throw new Error(`gradcheck: ${nodeId} is the data: it has no gradient`);
  const samples = options.samples ?? 4;
  const per = options.entries ?? 6;
  const gen = new hg.Generator().manualSeed(options.seed ?? 0);
  // The inputs it received at the latest step: the first few samples, floats in float64.
  const inputs: Outputs = {};
  for (const [port, src] of model.sources.get(nodeId) ?? []) {
    const value = lastValues.get(src.node)?.[src.port];
    if (!value) throw new Error(`gradcheck: ${nodeId} has not run yet: take a training step first`);
    const few = value.ndim > 0 && value.shape[0]! > samples ? value.narrow(0, 0, samples) : value;
    const detached = few.detach().contiguous();
    inputs[port] = ['float32', 'float64', 'float16', 'bfloat16'].includes(detached.dtype)
      ? detached.to('cpu').double().requiresGrad_()
      : detached.to('cpu');
  }
  // A float64 copy of the node's parameters (the model itself is untouched).
  const original = model.moduleOf(nodeId);
  const impl = implOf(node.kind.kind);
  const module = original && impl.module ? impl.module(node.params) : null;
  if (module && original) {
    module.loadStateDict(new Map([...original.stateDict()].map(([k, t]) => [k, t.detach().to('cpu')])));
    module.to('float64');
    module.eval();
  }
  const run = (): Outputs => impl.run(inputs, node.params, { module, training: false });
  // A fixed random projection of every float output makes one scalar to differentiate.
  const first = run();
  const weights = new Map<string, hg.Tensor>();
  for (const [port, t] of Object.entries(first))
    if (t && ['float32', 'float64'].includes(t.dtype))
      weights.set(port, hg.randn(t.shape, { dtype: 'float64', generator: gen }));
  const scalar = (): hg.Tensor => {
    const out = run();
    let total: hg.Tensor | null = null;
    for (const [port, w] of weights) {
      const term = out[port]!.double().mul(w).sum();
      total = total ? total.add(term) : term;
    }
    if (!total) throw new Error(`gradcheck: ${nodeId} has no floating output to differentiate`);
    return total;
  };
  const targets: { name: string; tensor: hg.Tensor }[] = [
    ...(module ? [...module.namedParameters()].map(([name, p]) => ({ name, tensor: p as hg.Tensor })) : []),
    ...Object.entries(inputs)
      .filter(([, t]) => t!.requiresGrad)
      .map(([port, t]) => ({ name: `input: ${port}`, tensor: t! })),
  ];
  if (targets.length === 0)
    throw new Error(`gradcheck: ${nodeId} has no parameters and no floating inputs to check`);
  for (const t of targets) t.tensor.grad = null;
  scalar().backward();
  const checks: TensorCheck[] = targets.map(({ name, tensor }) => {
    const grad = tensor.grad?.dataSync() ?? new Float64Array(tensor.numel());
    const base = Float64Array.from(tensor.dataSync());
    const n = base.length;
    const picks = [
      ...new Set(Array.from({ length: Math.min(per, n) }, () => Math.floor(gen.nextFloat64() * n))),
    ];
    const at = (values: Float64Array) =>
      hg.noGrad(() => tensor.copy_(hg.tensor(values, { shape: tensor.shape, dtype: 'float64' })));
    const f0 = hg.noGrad(scalar).item();
    const entries = picks.map((i) => {
      const plus = Float64Array.from(base);
      plus[i] = base[i]! + EPS;
      at(plus);
      const fPlus = hg.noGrad(scalar).item();
      const minus = Float64Array.from(base);
      minus[i] = base[i]! - EPS;
      at(minus);
      const fMinus = hg.noGrad(scalar).item();
      at(base);
      const [right, left] = [(fPlus - f0) / EPS, (f0 - fMinus) / EPS];
      const kink = Math.abs(right - left) > 1e-3 * Math.max(1, Math.abs(right), Math.abs(left));
      return {
        index: unravel(i, tensor.shape),
        autograd: grad[i]!,
        numeric: (fPlus - fMinus) / (2 * EPS),
        kink,
      };
    });
    const maxRelError = Math.max(
      0,
      ...entries
        .filter((e) => !e.kink)
        .map(
          (e) => Math.abs(e.autograd - e.numeric) / Math.max(Math.abs(e.autograd), Math.abs(e.numeric), 1e-6),
        ),
    );
    return { name, shape: [...tensor.shape], entries, maxRelError };
  });
  return {
    nodeId,
    samples: Object.values(inputs)[0]?.shape[0] ?? 0,
    checks,
    maxRelError: Math.max(0, ...checks.map((c) => c.maxRelError)),
  };
}
