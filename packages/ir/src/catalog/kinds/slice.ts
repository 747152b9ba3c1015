// Slice: start:end:step along one dim, as x[..., start:end:step] (negative indices count from the end).
import { z } from 'zod';
import { fmt, ShapeError, type NodeKind } from '../types.ts';
import { resolveDim } from '../rules/dim.ts';

const index = z.number().int().min(-1_000_000_000).max(1_000_000_000);
const params = z.object({
  dim: z.number().int().min(-8).max(8).describe('Dimension to slice'),
  start: index.default(0).describe('First index (negative counts from the end)'),
  end: index.optional().describe('One past the last index (default: the end)'),
  step: z.number().int().min(1).max(1_000_000).default(1).describe('Take every step-th element'),
});

/** Python's slice arithmetic: the number of elements start:end:step picks from a dim of size n. */
export function sliceLength(n: number, start: number, end: number | undefined, step: number): number {
  const clamp = (i: number) => Math.min(Math.max(i < 0 ? i + n : i, 0), n);
  const [s, e] = [clamp(start), clamp(end ?? n)];
  return e > s ? Math.ceil((e - s) / step) : 0;
}

export const Slice: NodeKind<z.infer<typeof params>, 'Slice'> = {
  kind: 'Slice',
  category: 'shape',
  doc: 'Keeps start:end:step along one dim (like x[:, 2:5]).',
  backwardRule: 'Slice: dx = g in the sliced positions, 0 elsewhere',
  inputs: [{ name: 'input', dtype: 'any', doc: 'Any shape' }],
  outputs: [{ name: 'output', dtype: 'any', doc: 'The same shape with the dim shortened' }],
  params,
  initial: { dim: 1, start: 0 },
  infer({ input }, p) {
    const x = input!;
    const d = resolveDim('Slice', p.dim, x);
    if (d === 0) throw new ShapeError('Slice cannot cut the batch dim (dim 0); pick a later dim');
    const size = x[d]!;
    if (typeof size !== 'number') return { outputs: { output: [...x] } };
    const length = sliceLength(size, p.start, p.end, p.step);
    if (length === 0)
      throw new ShapeError(
        `Slice ${p.start}:${p.end ?? ''}:${p.step} of dim ${d} in ${fmt(x)} is empty; pick start < end within ${size}`,
      );
    return { outputs: { output: x.map((v, i) => (i === d ? length : v)) } };
  },
};
