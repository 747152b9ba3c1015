// Importing a state dict (a PyTorch model's, or an earlier export) onto the current graph:
// tensors are matched by name and shape, every mismatch is named, and what is applied is either
// everything (when all fit) or, when the user chooses, only what fits — never a silent mix.
import * as hg from '@hgrad/engine';

export interface WeightsMatch {
  /** Names present in both with the same shape (values converted to the graph's dtype). */
  fits: string[];
  /** The graph's tensors the file does not have. */
  missing: string[];
  /** The file's tensors the graph has no place for. */
  unexpected: string[];
  /** Same name, different shape. */
  wrongShape: { name: string; graph: number[]; file: number[] }[];
}

export function matchWeights(
  graph: ReadonlyMap<string, hg.Tensor>,
  file: ReadonlyMap<string, hg.Tensor>,
): WeightsMatch {
  const match: WeightsMatch = { fits: [], missing: [], unexpected: [], wrongShape: [] };
  for (const [name, t] of graph) {
    const given = file.get(name);
    if (!given) match.missing.push(name);
    else if (given.shape.length !== t.shape.length || given.shape.some((d, i) => d !== t.shape[i]))
      match.wrongShape.push({ name, graph: [...t.shape], file: [...given.shape] });
    else match.fits.push(name);
  }
  for (const name of file.keys()) if (!graph.has(name)) match.unexpected.push(name);
  return match;
}

export const allFit = (m: WeightsMatch): boolean =>
  m.missing.length === 0 && m.unexpected.length === 0 && m.wrongShape.length === 0;

/** One line per problem, naming the tensor ("fc2.weight: the graph has [3, 16], the file [4, 16]"). */
export function describeMismatch(m: WeightsMatch): string[] {
  const shape = (s: number[]) => `[${s.join(', ')}]`;
  return [
    ...m.wrongShape.map((w) => `${w.name}: the graph has ${shape(w.graph)}, the file ${shape(w.file)}`),
    ...m.missing.map((n) => `${n}: not in the file`),
    ...m.unexpected.map((n) => `${n}: the graph has no such tensor`),
  ];
}

/**
 * The full state to load: the file's fitting tensors (cast to the graph's dtypes: a float64 or
 * float16 file onto float32 weights, int32 counters onto int64) over the graph's current ones.
 */
export function mergeWeights(
  graph: ReadonlyMap<string, hg.Tensor>,
  file: ReadonlyMap<string, hg.Tensor>,
  m: WeightsMatch,
): Map<string, hg.Tensor> {
  const out = new Map(graph);
  for (const name of m.fits) {
    const target = graph.get(name)!;
    const given = file.get(name)!;
    out.set(name, given.dtype === target.dtype ? given : given.to(target.dtype));
  }
  return out;
}
