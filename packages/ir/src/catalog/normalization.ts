// BatchNorm1d/2d and LayerNorm.
import { z } from 'zod';
import { fmt, ShapeError, type NodeKind } from './types.ts';

const bnParams = z.object({
  numFeatures: z.number().int().min(1).max(100_000).describe('Channels (dim 1) to normalise'),
  eps: z.number().positive().max(1).default(1e-5).describe('Added to the variance for stability'),
  momentum: z.number().min(0).max(1).default(0.1).describe('Running-statistics update rate'),
});

function batchNorm(kind: 'BatchNorm1d' | 'BatchNorm2d', ranks: number[]): NodeKind<z.infer<typeof bnParams>> {
  return {
    kind,
    category: 'layer',
    doc: 'Normalises each channel over the batch (running statistics are used in eval mode).',
    inputs: [
      { name: 'input', dtype: 'float', doc: kind === 'BatchNorm2d' ? '[N, C, H, W]' : '[N, C] or [N, C, L]' },
    ],
    outputs: [{ name: 'output', dtype: 'float', doc: 'Same shape' }],
    params: bnParams,
    infer({ input }, p) {
      const x = input!;
      if (!ranks.includes(x.length))
        throw new ShapeError(`${kind} expects a ${ranks.join('- or ')}-D input, got ${fmt(x)}`);
      if (x[1] !== p.numFeatures)
        throw new ShapeError(
          `${kind} expects ${p.numFeatures} channels in dim 1, got ${fmt(x)}; set numFeatures to ${String(x[1])}`,
        );
      return { outputs: { output: [...x] }, params: 2 * p.numFeatures };
    },
  };
}

export const BatchNorm1d = batchNorm('BatchNorm1d', [2, 3]);
export const BatchNorm2d = batchNorm('BatchNorm2d', [4]);

const lnParams = z.object({
  normalizedShape: z.number().int().min(1).max(1_000_000).describe('Size of the last dim to normalise'),
  eps: z.number().positive().max(1).default(1e-5).describe('Added to the variance for stability'),
});

export const LayerNorm: NodeKind<z.infer<typeof lnParams>> = {
  kind: 'LayerNorm',
  category: 'layer',
  doc: 'Normalises the last dim of each sample, with a learned scale and shift.',
  inputs: [{ name: 'input', dtype: 'float', doc: '[..., normalizedShape]' }],
  outputs: [{ name: 'output', dtype: 'float', doc: 'Same shape' }],
  params: lnParams,
  infer({ input }, p) {
    if (input!.at(-1) !== p.normalizedShape)
      throw new ShapeError(`LayerNorm normalises a last dim of ${p.normalizedShape}, got ${fmt(input!)}`);
    return { outputs: { output: [...input!] }, params: 2 * p.normalizedShape };
  },
};
