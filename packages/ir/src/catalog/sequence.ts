// Sequence layers: Embedding, the recurrent layers (batch-first [N, T, …]) and self-attention.
import { z } from 'zod';
import { fmt, ShapeError, type NodeKind } from './types.ts';

const embParams = z.object({
  numEmbeddings: z.number().int().min(1).max(10_000_000).describe('Vocabulary size'),
  embeddingDim: z.number().int().min(1).max(100_000).describe('Size of each vector'),
});

export const Embedding: NodeKind<z.infer<typeof embParams>> = {
  kind: 'Embedding',
  category: 'layer',
  doc: 'Looks up a learned vector for each token id.',
  inputs: [{ name: 'input', dtype: 'int', doc: 'Token ids [N, T]' }],
  outputs: [{ name: 'output', dtype: 'float', doc: '[N, T, embeddingDim]' }],
  params: embParams,
  infer: ({ input }, p) => ({
    outputs: { output: [...input!, p.embeddingDim] },
    params: p.numEmbeddings * p.embeddingDim,
  }),
};

const rnnParams = z.object({
  inputSize: z.number().int().min(1).max(100_000).describe('Features per time step'),
  hiddenSize: z.number().int().min(1).max(100_000).describe('Features of the hidden state'),
  numLayers: z.number().int().min(1).max(16).default(1).describe('Stacked recurrent layers'),
});

function recurrent(
  kind: 'RNN' | 'GRU' | 'LSTM',
  gates: number,
  doc: string,
): NodeKind<z.infer<typeof rnnParams>> {
  return {
    kind,
    category: 'layer',
    doc,
    inputs: [{ name: 'input', dtype: 'float', doc: '[N, T, inputSize] (batch first)' }],
    outputs: [{ name: 'output', dtype: 'float', doc: '[N, T, hiddenSize]: the last layer at every step' }],
    params: rnnParams,
    infer({ input }, p) {
      const x = input!;
      if (x.length !== 3) throw new ShapeError(`${kind} expects [N, T, ${p.inputSize}], got ${fmt(x)}`);
      if (x[2] !== p.inputSize)
        throw new ShapeError(
          `${kind} expects ${p.inputSize} features per step, got ${fmt(x)}; set inputSize to ${String(x[2])}`,
        );
      const h = p.hiddenSize;
      let params = 0;
      for (let l = 0; l < p.numLayers; l++) params += gates * h * ((l === 0 ? p.inputSize : h) + h + 2);
      return {
        outputs: { output: [x[0]!, x[1]!, h] },
        params,
        flops: 2 * params * (typeof x[1] === 'number' ? x[1] : 1),
      };
    },
  };
}

export const RNN = recurrent('RNN', 1, 'Elman RNN with tanh: h = tanh(x·W_ihᵀ + h·W_hhᵀ + b).');
export const GRU = recurrent('GRU', 3, 'Gated recurrent unit.');
export const LSTM = recurrent('LSTM', 4, 'Long short-term memory.');

const attnParams = z.object({
  embedDim: z.number().int().min(1).max(100_000).describe('Model width'),
  numHeads: z.number().int().min(1).max(256).describe('Attention heads (must divide embedDim)'),
  causal: z.boolean().default(false).describe('Hide later positions (for next-token models)'),
});

export const SelfAttention: NodeKind<z.infer<typeof attnParams>> = {
  kind: 'SelfAttention',
  category: 'layer',
  doc: 'Multi-head self-attention over a sequence (nn.MultiheadAttention with query = key = value).',
  inputs: [{ name: 'input', dtype: 'float', doc: '[N, T, embedDim]' }],
  outputs: [{ name: 'output', dtype: 'float', doc: '[N, T, embedDim]' }],
  params: attnParams,
  infer({ input }, p) {
    const x = input!;
    if (p.embedDim % p.numHeads !== 0)
      throw new ShapeError(`numHeads (${p.numHeads}) must divide embedDim (${p.embedDim})`);
    if (x.length !== 3 || x[2] !== p.embedDim)
      throw new ShapeError(`SelfAttention expects [N, T, ${p.embedDim}], got ${fmt(x)}`);
    return { outputs: { output: [...x] }, params: 4 * p.embedDim * p.embedDim + 4 * p.embedDim };
  },
};
