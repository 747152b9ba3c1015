// Output sizes of windowed ops over [N, C, H, W] (Conv2d, pooling), and the pooling rule.
import { z } from 'zod';
import { fmt, ShapeError, type NodeKind, type SymShape } from '../types.ts';

/** A size given once for both axes, or as [height, width]. */
export const pair = (max: number, min = 1) =>
  z.union([
    z.number().int().min(min).max(max),
    z.tuple([z.number().int().min(min).max(max), z.number().int().min(min).max(max)]),
  ]);
export type Pair = number | [number, number];
export const asPair = (v: Pair): [number, number] => (typeof v === 'number' ? [v, v] : v);
const show = (v: [number, number]) => (v[0] === v[1] ? `${v[0]}` : `${v[0]}x${v[1]}`);

export function spatial(
  op: string,
  x: SymShape,
  kernel: Pair,
  stride: Pair,
  padding: Pair,
): [number, number] {
  if (x.length !== 4) throw new ShapeError(`${op} expects [N,C,H,W], got ${fmt(x)}`);
  const [h, w] = [x[2], x[3]];
  if (typeof h !== 'number' || typeof w !== 'number')
    throw new ShapeError(`${op} needs known H and W, got ${fmt(x)}`);
  const [k, s, p] = [asPair(kernel), asPair(stride), asPair(padding)];
  const out = (n: number, i: 0 | 1) => Math.floor((n + 2 * p[i] - k[i]) / s[i]) + 1;
  if (out(h, 0) < 1 || out(w, 1) < 1)
    throw new ShapeError(
      `${op}: kernel ${show(k)} is larger than the padded input ${h + 2 * p[0]}x${w + 2 * p[1]}`,
    );
  return [out(h, 0), out(w, 1)];
}

const poolParams = z.object({
  kernelSize: pair(31).describe('Window size (one number, or [height, width])'),
  stride: pair(31).optional().describe('Step between windows (default: kernelSize)'),
  padding: pair(15, 0).default(0).describe('Padding on each side'),
});

export function pool<K extends 'MaxPool2d' | 'AvgPool2d'>(
  kind: K,
  doc: string,
  backwardRule: string,
): NodeKind<z.infer<typeof poolParams>, K> {
  return {
    kind,
    category: 'layer',
    doc,
    backwardRule,
    inputs: [{ name: 'input', dtype: 'float', doc: '[N, C, H, W]' }],
    outputs: [{ name: 'output', dtype: 'float', doc: '[N, C, H′, W′]' }],
    params: poolParams,
    initial: { kernelSize: 2 },
    infer({ input }, p) {
      const [ho, wo] = spatial(kind, input!, p.kernelSize, p.stride ?? p.kernelSize, p.padding);
      return { outputs: { output: [input![0]!, input![1]!, ho, wo] } };
    },
  };
}
