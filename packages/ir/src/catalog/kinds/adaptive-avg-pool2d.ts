// AdaptiveAvgPool2d: averages over windows that tile [H, W] into a fixed output size, whatever H
// and W are (at 1×1: global average pooling, a CNN's usual head before its classifier).
import { z } from 'zod';
import { fmt, ShapeError, type NodeKind } from '../types.ts';
import { asPair, pair } from '../rules/spatial.ts';

const params = z.object({
  outputSize: pair(1024)
    .default(1)
    .describe('Output height and width (one number, or [height, width]); 1 averages each channel whole'),
});

export const AdaptiveAvgPool2d: NodeKind<z.infer<typeof params>, 'AdaptiveAvgPool2d'> = {
  kind: 'AdaptiveAvgPool2d',
  category: 'layer',
  doc: 'Average over windows that cover the input in a fixed output grid (1: global average pooling)',
  backwardRule: "AdaptiveAvgPool2d: g is spread evenly over each output's window (÷ its size)",
  inputs: [{ name: 'input', dtype: 'float', doc: '[N, C, H, W]' }],
  outputs: [{ name: 'output', dtype: 'float', doc: '[N, C, outH, outW]' }],
  params,
  infer({ input }, p) {
    if (input!.length !== 4) throw new ShapeError(`AdaptiveAvgPool2d expects [N,C,H,W], got ${fmt(input!)}`);
    const [oh, ow] = asPair(p.outputSize);
    return { outputs: { output: [input![0]!, input![1]!, oh, ow] } };
  },
};
