// BatchNorm1d and BatchNorm2d differ only in the ranks they accept.
import { z } from 'zod';
import { fmt, ShapeError, type NodeKind } from '../types.ts';

const bnParams = z.object({
  numFeatures: z.number().int().min(1).max(100_000).describe('Channels (dim 1) to normalise'),
  eps: z.number().positive().max(1).default(1e-5).describe('Added to the variance for stability'),
  momentum: z.number().min(0).max(1).default(0.1).describe('Running-statistics update rate'),
});

export function batchNorm<K extends 'BatchNorm1d' | 'BatchNorm2d'>(
  kind: K,
  ranks: number[],
): NodeKind<z.infer<typeof bnParams>, K> {
  return {
    kind,
    category: 'layer',
    doc: 'Normalises each channel over the batch (running statistics are used in eval mode).',
    backwardRule: 'BatchNorm: dγ = Σ g · x̂, dβ = Σ g, dx = γ/σ · (g − mean(g) − x̂ · mean(g · x̂))',
    followsInput: { param: 'numFeatures', dim: 1 },
    inputs: [
      { name: 'input', dtype: 'float', doc: kind === 'BatchNorm2d' ? '[N, C, H, W]' : '[N, C] or [N, C, L]' },
    ],
    outputs: [{ name: 'output', dtype: 'float', doc: 'Same shape' }],
    params: bnParams,
    initial: { numFeatures: 16 },
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
