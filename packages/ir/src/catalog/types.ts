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

/**
 * Everything about one node kind, in one place: its name, ports, params (a zod schema with
 * defaults, ranges and docs), shape rule (which also counts parameters and FLOPs), the local
 * backward rule in words, which params follow the input's size, and the node face's summary.
 * The engine implementation of each kind sits in @hgrad/train, in a table typed over KindName.
 */
export interface NodeKind<P = Record<string, unknown>, K extends string = string> {
  kind: K;
  category: Category;
  doc: string;
  /** The local backward rule in words (x input, y output, g the gradient received, W/b params). */
  backwardRule: string;
  /** A param set from the input's size when the node is connected (Linear.inFeatures). */
  followsInput?: { param: keyof P & string; dim: 'last' | 1 };
  /** The node face's one-line summary of its key params (default: its first three params). */
  face?(params: P): string;
  /** The params that apply given the current ones (default: all); others are hidden in forms. */
  visibleParams?(params: P): string[];
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
