// Concat: joins two tensors along one dim.
import { z } from 'zod';
import { fmt, ShapeError, type NodeKind } from '../types.ts';

export const Concat: NodeKind<{ dim: number }, 'Concat'> = {
  kind: 'Concat',
  category: 'shape',
  doc: 'Joins two tensors along a dim.',
  backwardRule: 'Concat: each input gets its slice of g',
  inputs: [
    { name: 'a', dtype: 'any', doc: 'First part' },
    { name: 'b', dtype: 'any', doc: 'Second part' },
  ],
  outputs: [{ name: 'output', dtype: 'any', doc: 'Joined tensor' }],
  params: z.object({ dim: z.number().int().min(-8).max(8).default(1).describe('Dimension to join along') }),
  infer({ a, b }, p) {
    if (a!.length !== b!.length)
      throw new ShapeError(`Concat needs inputs of the same rank, got ${fmt(a!)} and ${fmt(b!)}`);
    const d = p.dim < 0 ? p.dim + a!.length : p.dim;
    if (d < 0 || d >= a!.length) throw new ShapeError(`Concat dim ${p.dim} is out of range for ${fmt(a!)}`);
    const out = a!.map((x, i) => {
      const y = b![i]!;
      if (i === d) return typeof x === 'number' && typeof y === 'number' ? x + y : x;
      if (x !== y)
        throw new ShapeError(`Concat along dim ${d}: other dims must match, got ${fmt(a!)} and ${fmt(b!)}`);
      return x;
    });
    return { outputs: { output: out } };
  },
};
