// LayerNorm: normalises the last dim of each sample, with a learned scale and shift.
import { z } from 'zod';
import { fmt, ShapeError, type NodeKind } from '../types.ts';

const params = z.object({
  normalizedShape: z.number().int().min(1).max(1_000_000).describe('Size of the last dim to normalise'),
  eps: z.number().positive().max(1).default(1e-5).describe('Added to the variance for stability'),
});

export const LayerNorm: NodeKind<z.infer<typeof params>, 'LayerNorm'> = {
  kind: 'LayerNorm',
  category: 'layer',
  doc: 'Normalises the last dim of each sample, with a learned scale and shift.',
  backwardRule: 'LayerNorm: as BatchNorm, but the means run over each sample’s last dim',
  followsInput: { param: 'normalizedShape', dim: 'last' },
  inputs: [{ name: 'input', dtype: 'float', doc: '[..., normalizedShape]' }],
  outputs: [{ name: 'output', dtype: 'float', doc: 'Same shape' }],
  params,
  initial: { normalizedShape: 16 },
  infer({ input }, p) {
    if (input!.at(-1) !== p.normalizedShape)
      throw new ShapeError(`LayerNorm normalises a last dim of ${p.normalizedShape}, got ${fmt(input!)}`);
    return { outputs: { output: [...input!] }, params: 2 * p.normalizedShape };
  },
};
