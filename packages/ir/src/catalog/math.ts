// Elementwise math, shape and reduction nodes.
import { z } from 'zod';
import { fmt, numel, ShapeError, type Dim, type NodeKind, type SymShape } from './types.ts';

function broadcast(a: SymShape, b: SymShape): SymShape {
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

function binary(kind: string, doc: string): NodeKind<Record<string, never>> {
  return {
    kind,
    category: 'math',
    doc,
    inputs: [
      { name: 'a', dtype: 'float', doc: 'Left operand' },
      { name: 'b', dtype: 'float', doc: 'Right operand (broadcast)' },
    ],
    outputs: [{ name: 'output', dtype: 'float', doc: 'Broadcast shape' }],
    params: z.object({}) as unknown as z.ZodType<Record<string, never>>,
    infer: ({ a, b }) => ({ outputs: { output: broadcast(a!, b!) } }),
  };
}

export const Add = binary('Add', 'a + b, with broadcasting (residual connections).');
export const Mul = binary('Mul', 'a · b elementwise, with broadcasting.');

export const Concat: NodeKind<{ dim: number }> = {
  kind: 'Concat',
  category: 'shape',
  doc: 'Joins two tensors along a dim.',
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

export const Reshape: NodeKind<{ shape: number[] }> = {
  kind: 'Reshape',
  category: 'shape',
  doc: 'Reshapes each sample (the batch dim is kept); one size may be −1.',
  inputs: [{ name: 'input', dtype: 'any', doc: '[N, ...]' }],
  outputs: [{ name: 'output', dtype: 'any', doc: '[N, ...shape]' }],
  params: z.object({
    shape: z.array(z.number().int().min(-1).max(1_000_000)).max(8).describe('Per-sample shape'),
  }),
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

function reduction(kind: 'Mean' | 'Sum', doc: string): NodeKind<{ dim: number; keepdim: boolean }> {
  return {
    kind,
    category: 'math',
    doc,
    inputs: [{ name: 'input', dtype: 'float', doc: 'Any shape' }],
    outputs: [{ name: 'output', dtype: 'float', doc: 'The dim removed (or kept as 1)' }],
    params: z.object({
      dim: z.number().int().min(-8).max(8).describe('Dimension to reduce'),
      keepdim: z.boolean().default(false).describe('Keep the reduced dim with size 1'),
    }),
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

export const Mean = reduction('Mean', 'Mean over a dim.');
export const Sum = reduction('Sum', 'Sum over a dim.');
