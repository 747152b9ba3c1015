// Reshape: a new per-sample shape with the same number of values; the batch dim is kept.
import { z } from 'zod';
import { fmt, numel, ShapeError, type NodeKind } from '../types.ts';

export const Reshape: NodeKind<{ shape: number[] }, 'Reshape'> = {
  kind: 'Reshape',
  category: 'shape',
  doc: 'Reshapes each sample (the batch dim is kept); one size may be −1.',
  backwardRule: 'Reshape: dx = g reshaped back',
  inputs: [{ name: 'input', dtype: 'any', doc: '[N, ...]' }],
  outputs: [{ name: 'output', dtype: 'any', doc: '[N, ...shape]' }],
  params: z.object({
    shape: z.array(z.number().int().min(-1).max(1_000_000)).max(8).describe('Per-sample shape'),
  }),
  initial: { shape: [-1] },
  infer({ input }, p) {
    const total = numel(input!.slice(1));
    const known = p.shape.filter((d) => d !== -1).reduce((a, b) => a * b, 1);
    const infer = p.shape.filter((d) => d === -1).length;
    if (
      infer > 1 ||
      (infer === 0 && known !== total) ||
      (infer === 1 && (known === 0 || total % known !== 0))
    )
      throw new ShapeError(
        `cannot reshape a sample of ${fmt(input!.slice(1))} (${total} values) to ${fmt(p.shape)}`,
      );
    return { outputs: { output: [input![0]!, ...p.shape.map((d) => (d === -1 ? total / known : d))] } };
  },
};
