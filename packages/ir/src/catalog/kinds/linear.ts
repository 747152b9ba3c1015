// Linear: y = x·Wᵀ + b over the last dim.
import { z } from 'zod';
import { fmt, ShapeError, type NodeKind } from '../types.ts';

const params = z.object({
  inFeatures: z.number().int().min(1).max(1_000_000).describe('Size of each input sample (last dim)'),
  outFeatures: z.number().int().min(1).max(1_000_000).describe('Size of each output sample'),
  bias: z.boolean().default(true).describe('Learn an additive bias'),
});

export const Linear: NodeKind<z.infer<typeof params>, 'Linear'> = {
  kind: 'Linear',
  category: 'layer',
  doc: 'Fully connected layer: output = input · weightᵀ + bias (weight is [out, in]).',
  backwardRule: 'Linear: dx = g · W, dW = gᵀ · x, db = Σ g over the batch',
  followsInput: { param: 'inFeatures', dim: 'last' },
  face: (p) => `${p.inFeatures} → ${p.outFeatures}`,
  inputs: [{ name: 'input', dtype: 'float', doc: '[..., inFeatures]' }],
  outputs: [{ name: 'output', dtype: 'float', doc: '[..., outFeatures]' }],
  params,
  initial: { inFeatures: 2, outFeatures: 16 },
  infer({ input }, p) {
    const x = input!;
    const last = x[x.length - 1];
    if (x.length > 2 && last !== p.inFeatures) {
      const flat = x.slice(1).reduce<number>((a, d) => a * (typeof d === 'number' ? d : 1), 1);
      if (flat === p.inFeatures)
        throw new ShapeError(`insert Flatten: the input is ${fmt(x)}, Linear expects [N,${p.inFeatures}]`);
    }
    if (last !== p.inFeatures)
      throw new ShapeError(
        `Linear expects ${p.inFeatures} input features in the last dim, got ${fmt(x)}; set inFeatures to ${String(last)}`,
      );
    const rows = x.slice(0, -1).reduce<number>((a, d) => a * (typeof d === 'number' ? d : 1), 1);
    return {
      outputs: { output: [...x.slice(0, -1), p.outFeatures] },
      params: p.inFeatures * p.outFeatures + (p.bias ? p.outFeatures : 0),
      flops: 2 * rows * p.inFeatures * p.outFeatures,
    };
  },
};
