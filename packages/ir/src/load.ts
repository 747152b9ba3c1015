// The one way from bytes (or a value) to a graph that can be compiled: parse (migrate, check
// structure), then analyze (meaning, shapes). A CheckedGraph can only be made here, so code that
// takes one (the compiler, the trainer) knows the document and its analysis belong together and
// that the analysis found no problems.
import { analyze, type AnalyzeOptions } from './analyze.ts';
import type { Analysis } from './analysis-types.ts';
import { parseDocument, type Problem } from './parse.ts';
import type { GraphDocument } from './schema.ts';

declare const checked: unique symbol;

export interface CheckedGraph {
  readonly document: GraphDocument;
  readonly analysis: Analysis;
  /** What migrating an older document changed (empty for a current one). */
  readonly notes: readonly string[];
  readonly [checked]: true;
}

export type LoadResult = { ok: true; graph: CheckedGraph } | { ok: false; problems: Problem[] };

/** What loading checks beyond the document itself (the loss, the memory budget). */
export type LoadOptions = AnalyzeOptions;

/** JSON text or a parsed value → a checked graph, or every problem found. */
export function loadGraph(input: unknown, options: LoadOptions = {}): LoadResult {
  const parsed = parseDocument(input);
  if (!parsed.ok) return parsed;
  return checkGraph(parsed.document, options, parsed.notes);
}

/** A document already in memory (the studio's, after an edit) → a checked graph, or its problems. */
export function checkGraph(
  document: GraphDocument,
  options: LoadOptions = {},
  notes: readonly string[] = [],
): LoadResult {
  const analysis = analyze(document, options);
  if (analysis.problems.length) return { ok: false, problems: analysis.problems };
  return { ok: true, graph: { document, analysis, notes } as CheckedGraph };
}
