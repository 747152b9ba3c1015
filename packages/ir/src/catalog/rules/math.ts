// Rules shared by the math node kinds: broadcasting binary ops and single-dim reductions.
import { z } from 'zod';
import { fmt, ShapeError, type Dim, type NodeKind, type SymShape } from '../types.ts';

export function broadcast(a: SymShape, b: SymShape): SymShape {
  const n = Math.max(a.length, b.length);
  const out: Dim[] = [];
  for (let i = 0; i < n; i++) {
    const x = a[a.length - n + i] ?? 1;
    const y = b[b.length - n + i] ?? 1;
    if (x !== y && x !== 1 && y !== 1)
      throw new ShapeError(`shapes ${fmt(a)} and ${fmt(b)} cannot be broadcast together`);
    out.push(x === 1 ? y : x);
  }
  return out;
}

export function binary<K extends string>(
  kind: K,
  doc: string,
  backwardRule: string,
): NodeKind<Record<string, never>, K> {
  return {
    kind,
    category: 'math',
    doc,
    backwardRule,
    inputs: [
      { name: 'a', dtype: 'float', doc: 'Left operand' },
      { name: 'b', dtype: 'float', doc: 'Right operand (broadcast)' },
    ],
    outputs: [{ name: 'output', dtype: 'float', doc: 'Broadcast shape' }],
    params: z.object({}) as unknown as z.ZodType<Record<string, never>>,
    infer: ({ a, b }) => ({ outputs: { output: broadcast(a!, b!) } }),
  };
}

export function reduction<K extends 'Mean' | 'Sum' | 'Max'>(
  kind: K,
  doc: string,
  backwardRule: string,
): NodeKind<{ dim: number; keepdim: boolean }, K> {
  return {
    kind,
    category: 'math',
    doc,
    backwardRule,
    inputs: [{ name: 'input', dtype: 'float', doc: 'Any shape' }],
    outputs: [{ name: 'output', dtype: 'float', doc: 'The dim removed (or kept as 1)' }],
    params: z.object({
      dim: z.number().int().min(-8).max(8).describe('Dimension to reduce'),
      keepdim: z.boolean().default(false).describe('Keep the reduced dim with size 1'),
    }),
    initial: { dim: 1 },
    infer({ input }, p) {
      const d = p.dim < 0 ? p.dim + input!.length : p.dim;
      if (d < 0 || d >= input!.length)
        throw new ShapeError(`${kind} dim ${p.dim} is out of range for ${fmt(input!)}`);
      return {
        outputs: {
          output: p.keepdim ? input!.map((x, i) => (i === d ? 1 : x)) : input!.filter((_, i) => i !== d),
        },
      };
    },
  };
}
