// Resolves a possibly negative dim against a shape, naming the op when it is out of range.
import { fmt, ShapeError, type SymShape } from '../types.ts';

export function resolveDim(op: string, dim: number, shape: SymShape): number {
  const d = dim < 0 ? dim + shape.length : dim;
  if (d < 0 || d >= shape.length) throw new ShapeError(`${op} dim ${dim} is out of range for ${fmt(shape)}`);
  return d;
}
