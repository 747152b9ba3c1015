// GroupNorm: normalises each sample over groups of channels, with a learned per-channel
// scale and shift; unlike BatchNorm it does not depend on the batch.
import { z } from 'zod';
import { fmt, ShapeError, type NodeKind } from '../types.ts';

const params = z.object({
  numGroups: z.number().int().min(1).max(100_000).describe('Groups the channels are split into'),
  numChannels: z.number().int().min(1).max(100_000).describe('Channels (dim 1) of the input'),
  eps: z.number().positive().max(1).default(1e-5).describe('Added to the variance for stability'),
  affine: z.boolean().default(true).describe('Learn a per-channel scale and shift'),
});

export const GroupNorm: NodeKind<z.infer<typeof params>, 'GroupNorm'> = {
  kind: 'GroupNorm',
  category: 'layer',
  doc: 'Normalises each sample over groups of channels (independent of the batch size).',
  backwardRule:
    'GroupNorm: as LayerNorm over each group of channels: dx = γ/σ · (g − mean(g) − x̂ · mean(g · x̂)), dγ = Σ g · x̂, dβ = Σ g',
  followsInput: { param: 'numChannels', dim: 1 },
  face: (p) => `${p.numChannels} ch in ${p.numGroups} groups`,
  inputs: [{ name: 'input', dtype: 'float', doc: '[N, C, …]' }],
  outputs: [{ name: 'output', dtype: 'float', doc: 'Same shape' }],
  params,
  initial: { numGroups: 2, numChannels: 8 },
  infer({ input }, p) {
    const x = input!;
    if (x.length < 2) throw new ShapeError(`GroupNorm expects [N, C, …], got ${fmt(x)}`);
    if (x[1] !== p.numChannels)
      throw new ShapeError(
        `GroupNorm expects ${p.numChannels} channels in dim 1, got ${fmt(x)}; set numChannels to ${String(x[1])}`,
      );
    if (p.numChannels % p.numGroups !== 0)
      throw new ShapeError(`numGroups (${p.numGroups}) must divide numChannels (${p.numChannels})`);
    const perSample = x.slice(1).reduce<number>((a, d) => a * (typeof d === 'number' ? d : 1), 1);
    return {
      outputs: { output: [...x] },
      params: p.affine ? 2 * p.numChannels : 0,
      // Mean, variance, normalise, scale and shift: about 8 operations per value.
      flops: 8 * perSample,
    };
  },
};
