// Split: cuts one dim in two; the first part gets `size` elements, the second the rest.
import { z } from 'zod';
import { fmt, ShapeError, type NodeKind } from '../types.ts';
import { resolveDim } from '../rules/dim.ts';

const params = z.object({
  dim: z.number().int().min(-8).max(8).default(-1).describe('Dimension to cut'),
  size: z.number().int().min(1).max(1_000_000).describe('Elements in the first part'),
});

export const Split: NodeKind<z.infer<typeof params>, 'Split'> = {
  kind: 'Split',
  category: 'shape',
  doc: 'Cuts a dim in two parts: the first `size` elements and the rest.',
  backwardRule: 'Split: dx = the two gradients joined back along the dim',
  inputs: [{ name: 'input', dtype: 'any', doc: 'Any shape' }],
  outputs: [
    { name: 'first', dtype: 'any', doc: 'The first size elements of the dim' },
    { name: 'rest', dtype: 'any', doc: 'The remaining elements' },
  ],
  params,
  initial: { size: 1 },
  infer({ input }, p) {
    const x = input!;
    const d = resolveDim('Split', p.dim, x);
    if (d === 0) throw new ShapeError('Split cannot cut the batch dim (dim 0); pick a later dim');
    const n = x[d]!;
    if (typeof n !== 'number' || p.size >= n)
      throw new ShapeError(`Split needs size < the length of dim ${d}, got size ${p.size} for ${fmt(x)}`);
    return {
      outputs: {
        first: x.map((v, i) => (i === d ? p.size : v)),
        rest: x.map((v, i) => (i === d ? n - p.size : v)),
      },
    };
  },
};
