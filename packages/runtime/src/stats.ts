// Gradient and weight norms of every parameter after the latest step, and the gradient norm
// reaching each node output (throttled with the losses). The norms are computed at once into one
// tensor and read back together, so on a GPU this is one transfer, taken before the next step can
// free what it reads. With them, each node output's first sample in at most 24 bucket means (the
// activation strip on the node's face).
import * as hg from '@hgrad/engine';
import type { RuntimeEvent } from '@hgrad/protocol';
import type { GraphModel, Outputs } from '@hgrad/train';

/** Buckets of a node's activation strip. */
export const STRIP = 24;

const FLOATS = new Set(['float32', 'float64', 'float16', 'bfloat16']);

/** The first sample of a batched output, flattened, in at most STRIP bucket means. */
function strip(t: hg.Tensor): hg.Tensor {
  const first = t.index(0).reshape([-1]);
  const n = first.shape[0]!;
  const buckets = Math.min(STRIP, n);
  const per = Math.floor(n / buckets);
  return first
    .narrow(0, 0, buckets * per)
    .reshape([buckets, per])
    .mean(1)
    .to('float32');
}

export async function sendStats(
  model: GraphModel,
  nodeValues: ReadonlyMap<string, Outputs>,
  step: number,
  lr: number,
  send: (event: RuntimeEvent) => void,
): Promise<void> {
  const device = model.parameters()[0]?.device ?? 'cpu';
  const named = [...model.namedParameters()];
  const outputs = [...nodeValues].flatMap(([nodeId, ports]) =>
    Object.entries(ports).flatMap(([port, t]) => (t.grad ? [{ nodeId, port, grad: t.grad }] : [])),
  );
  const activations = [...nodeValues].flatMap(([nodeId, ports]) =>
    Object.entries(ports).flatMap(([port, t]) =>
      t.dim() >= 2 && t.shape[0]! > 0 && t.numel() > 0 && FLOATS.has(t.dtype) ? [{ nodeId, port, t }] : [],
    ),
  );
  const zero = hg.zeros([], { device });
  const norms = hg.tidy(() =>
    hg.noGrad(() =>
      hg.cat([
        hg.stack([
          ...named.flatMap(([, p]) => [p.grad ? p.grad.norm() : zero, p.norm()]),
          ...outputs.map((o) => o.grad.norm()),
          zero,
        ]),
        ...activations.map((a) => strip(a.t.detach())),
      ]),
    ),
  );
  const values = await norms.data();
  hg.dispose([norms, zero]);
  send({
    type: 'stats',
    step,
    lr,
    params: named.map(([name], i) => ({ name, gradNorm: values[2 * i]!, weightNorm: values[2 * i + 1]! })),
    outputs: outputs.map((o, i) => ({
      nodeId: o.nodeId,
      port: o.port,
      gradNorm: values[2 * named.length + i]!,
    })),
    activations: stripValues(activations, values, 2 * named.length + outputs.length + 1),
  });
}

function stripValues(
  activations: { nodeId: string; port: string; t: hg.Tensor }[],
  values: ArrayLike<number>,
  start: number,
): { nodeId: string; port: string; values: number[] }[] {
  let at = start;
  return activations.map(({ nodeId, port, t }) => {
    const n = Math.min(STRIP, t.numel() / t.shape[0]!);
    const out = Array.from({ length: n }, (_, i) => values[at + i]!);
    at += n;
    return { nodeId, port, values: out };
  });
}
