// What a node kind is: its ports, its params (a zod schema with defaults, ranges and docs) and
// its shape rule. The catalog is data: the UI's palette, inspector and docs read it directly.
import type { z } from 'zod';

/** A dimension: a number, or a symbol for the batch ('N') or sequence length ('T'). */
export type Dim = number | 'N' | 'T';
export type SymShape = Dim[];

export type PortDtype = 'float' | 'int' | 'any';

export interface PortSpec {
  name: string;
  dtype: PortDtype;
  doc: string;
  optional?: boolean;
}

export type Category = 'data' | 'layer' | 'activation' | 'math' | 'shape' | 'loss' | 'group';

export interface ShapeResult {
  outputs: Record<string, SymShape>;
  /** Output dtypes where they differ from 'float'. */
  dtypes?: Record<string, PortDtype>;
  params?: number;
  /** Multiply-adds ×2 per sample. */
  flops?: number;
}

/** Thrown by shape rules; the message says what is wrong and, where obvious, the fix. */
export class ShapeError extends Error {}

export interface NodeKind<P = Record<string, unknown>> {
  kind: string;
  category: Category;
  doc: string;
  inputs: PortSpec[];
  outputs: PortSpec[];
  params: z.ZodType<P>;
  /** Values for required params when the node is first added (the rest take their defaults). */
  initial?: Partial<P>;
  infer(inputs: Record<string, SymShape>, params: P): ShapeResult;
}

export const fmt = (s: SymShape): string => `[${s.join(',')}]`;
export const numel = (s: SymShape): number =>
  s.reduce<number>((p, d) => (typeof d === 'number' ? p * d : p), 1);
