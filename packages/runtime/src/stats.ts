// Gradient and weight norms of every parameter after the latest step, and the gradient norm
// reaching each node output (throttled with the losses). The norms are computed at once into one
// tensor and read back together, so on a GPU this is one transfer, taken before the next step can
// free what it reads.
import * as hg from '@hgrad/engine';
import type { RuntimeEvent } from '@hgrad/protocol';
import type { GraphModel, Outputs } from '@hgrad/train';

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
  const zero = hg.zeros([], { device });
  const norms = hg.tidy(() =>
    hg.noGrad(() =>
      hg.stack([
        ...named.flatMap(([, p]) => [p.grad ? p.grad.norm() : zero, p.norm()]),
        ...outputs.map((o) => o.grad.norm()),
        zero,
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
  });
}
