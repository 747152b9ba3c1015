// Conv2d and 2-D pooling over [N, C, H, W].
import { z } from 'zod';
import { fmt, ShapeError, type NodeKind, type SymShape } from './types.ts';

const size = z.number().int().min(1).max(4096);

function spatial(op: string, x: SymShape, k: number, s: number, p: number): [number, number] {
  if (x.length !== 4) throw new ShapeError(`${op} expects [N,C,H,W], got ${fmt(x)}`);
  const [h, w] = [x[2], x[3]];
  if (typeof h !== 'number' || typeof w !== 'number')
    throw new ShapeError(`${op} needs known H and W, got ${fmt(x)}`);
  const out = (n: number) => Math.floor((n + 2 * p - k) / s) + 1;
  if (out(h) < 1 || out(w) < 1)
    throw new ShapeError(`${op}: kernel ${k} is larger than the padded input ${h + 2 * p}x${w + 2 * p}`);
  return [out(h), out(w)];
}

const convParams = z.object({
  inChannels: size.describe('Channels of the input'),
  outChannels: size.describe('Channels produced'),
  kernelSize: z.number().int().min(1).max(31).describe('Square kernel size'),
  stride: z.number().int().min(1).max(16).default(1).describe('Step between windows'),
  padding: z.number().int().min(0).max(16).default(0).describe('Zero padding on each side'),
  bias: z.boolean().default(true).describe('Learn an additive bias'),
});

export const Conv2d: NodeKind<z.infer<typeof convParams>> = {
  kind: 'Conv2d',
  category: 'layer',
  doc: '2-D convolution: weight [out, in, k, k].',
  inputs: [{ name: 'input', dtype: 'float', doc: '[N, inChannels, H, W]' }],
  outputs: [{ name: 'output', dtype: 'float', doc: '[N, outChannels, H′, W′]' }],
  params: convParams,
  infer({ input }, p) {
    const x = input!;
    if (x.length === 4 && x[1] !== p.inChannels)
      throw new ShapeError(
        `Conv2d expects ${p.inChannels} input channels, got ${fmt(x)}; set inChannels to ${String(x[1])}`,
      );
    const [ho, wo] = spatial('Conv2d', x, p.kernelSize, p.stride, p.padding);
    const weights = p.outChannels * p.inChannels * p.kernelSize * p.kernelSize;
    return {
      outputs: { output: [x[0]!, p.outChannels, ho, wo] },
      params: weights + (p.bias ? p.outChannels : 0),
      flops: 2 * weights * ho * wo,
    };
  },
};

const poolParams = z.object({
  kernelSize: z.number().int().min(1).max(31).describe('Window size'),
  stride: z.number().int().min(1).max(31).optional().describe('Step between windows (default: kernelSize)'),
  padding: z.number().int().min(0).max(15).default(0).describe('Padding on each side'),
});

function pool(kind: 'MaxPool2d' | 'AvgPool2d', doc: string): NodeKind<z.infer<typeof poolParams>> {
  return {
    kind,
    category: 'layer',
    doc,
    inputs: [{ name: 'input', dtype: 'float', doc: '[N, C, H, W]' }],
    outputs: [{ name: 'output', dtype: 'float', doc: '[N, C, H′, W′]' }],
    params: poolParams,
    infer({ input }, p) {
      const [ho, wo] = spatial(kind, input!, p.kernelSize, p.stride ?? p.kernelSize, p.padding);
      return { outputs: { output: [input![0]!, input![1]!, ho, wo] } };
    },
  };
}

export const MaxPool2d = pool('MaxPool2d', 'Maximum over each window');
export const AvgPool2d = pool('AvgPool2d', 'Average over each window');
