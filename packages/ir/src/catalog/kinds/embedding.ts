// Embedding: a learned vector per token id; weight [numEmbeddings, embeddingDim].
import { z } from 'zod';
import type { NodeKind } from '../types.ts';

const params = z.object({
  numEmbeddings: z.number().int().min(1).max(10_000_000).describe('Vocabulary size'),
  embeddingDim: z.number().int().min(1).max(100_000).describe('Size of each vector'),
});

export const Embedding: NodeKind<z.infer<typeof params>, 'Embedding'> = {
  kind: 'Embedding',
  category: 'layer',
  doc: 'Looks up a learned vector for each token id.',
  backwardRule: 'Embedding: dW[row of each token] += g at that position; token ids get no gradient',
  inputs: [{ name: 'input', dtype: 'int', doc: 'Token ids [N, T]' }],
  outputs: [{ name: 'output', dtype: 'float', doc: '[N, T, embeddingDim]' }],
  params: params,
  initial: { numEmbeddings: 59, embeddingDim: 32 },
  infer: ({ input }, p) => ({
    outputs: { output: [...input!, p.embeddingDim] },
    params: p.numEmbeddings * p.embeddingDim,
  }),
};
