// SelfAttention: nn.MultiheadAttention with query = key = value, batch first.
import { z } from 'zod';
import { fmt, ShapeError, type NodeKind } from '../types.ts';

const params = z.object({
  embedDim: z.number().int().min(1).max(100_000).describe('Model width'),
  numHeads: z.number().int().min(1).max(256).describe('Attention heads (must divide embedDim)'),
  causal: z.boolean().default(false).describe('Hide later positions (for next-token models)'),
});

export const SelfAttention: NodeKind<z.infer<typeof params>, 'SelfAttention'> = {
  kind: 'SelfAttention',
  category: 'layer',
  doc: 'Multi-head self-attention over a sequence (nn.MultiheadAttention with query = key = value).',
  backwardRule: 'Attention: dV = Aᵀ · g, dA = g · Vᵀ, then softmax and dQ = dS · K/√d, dK = dSᵀ · Q/√d',
  followsInput: { param: 'embedDim', dim: 'last' },
  inputs: [{ name: 'input', dtype: 'float', doc: '[N, T, embedDim]' }],
  outputs: [{ name: 'output', dtype: 'float', doc: '[N, T, embedDim]' }],
  params: params,
  initial: { embedDim: 32, numHeads: 4 },
  infer({ input }, p) {
    const x = input!;
    if (p.embedDim % p.numHeads !== 0)
      throw new ShapeError(`numHeads (${p.numHeads}) must divide embedDim (${p.embedDim})`);
    if (x.length !== 3 || x[2] !== p.embedDim)
      throw new ShapeError(`SelfAttention expects [N, T, ${p.embedDim}], got ${fmt(x)}`);
    return { outputs: { output: [...x] }, params: 4 * p.embedDim * p.embedDim + 4 * p.embedDim };
  },
};
