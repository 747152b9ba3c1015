// Conv2d: 2-D convolution over [N, C, H, W]; weight [out, in, kh, kw] as in PyTorch.
import { z } from 'zod';
import { fmt, ShapeError, type NodeKind } from '../types.ts';
import { asPair, pair, spatial } from '../rules/spatial.ts';

const size = z.number().int().min(1).max(4096);
const params = z.object({
  inChannels: size.describe('Channels of the input'),
  outChannels: size.describe('Channels produced'),
  kernelSize: pair(31).describe('Kernel size (one number, or [height, width])'),
  stride: pair(16).default(1).describe('Step between windows'),
  padding: pair(16, 0).default(0).describe('Zero padding on each side'),
  bias: z.boolean().default(true).describe('Learn an additive bias'),
});

export const Conv2d: NodeKind<z.infer<typeof params>, 'Conv2d'> = {
  kind: 'Conv2d',
  category: 'layer',
  doc: '2-D convolution: weight [out, in, kh, kw].',
  backwardRule:
    'Conv2d: dW = g ⋆ x (correlate over the batch), dx = g ⊛ W (transposed convolution), db = Σ g',
  followsInput: { param: 'inChannels', dim: 1 },
  face: (p) => `${p.inChannels} → ${p.outChannels}, k${JSON.stringify(p.kernelSize)}`,
  inputs: [{ name: 'input', dtype: 'float', doc: '[N, inChannels, H, W]' }],
  outputs: [{ name: 'output', dtype: 'float', doc: '[N, outChannels, H′, W′]' }],
  params,
  initial: { inChannels: 1, outChannels: 8, kernelSize: 3, padding: 1 },
  infer({ input }, p) {
    const x = input!;
    if (x.length === 4 && x[1] !== p.inChannels)
      throw new ShapeError(
        `Conv2d expects ${p.inChannels} input channels, got ${fmt(x)}; set inChannels to ${String(x[1])}`,
      );
    const [ho, wo] = spatial('Conv2d', x, p.kernelSize, p.stride, p.padding);
    const [kh, kw] = asPair(p.kernelSize);
    const weights = p.outChannels * p.inChannels * kh * kw;
    return {
      outputs: { output: [x[0]!, p.outChannels, ho, wo] },
      params: weights + (p.bias ? p.outChannels : 0),
      flops: 2 * weights * ho * wo,
    };
  },
};
