// Measuring a table for the import dialog: the spec the user chose is checked first (every field
// named), then the file is read; lines it cannot use come back as data for the dialog to list.
import type { RuntimeResult } from '@hgrad/protocol';
import { TableSpecSchema } from '@hgrad/ir';
import { measureTable, TableError, type TableChoice } from '@hgrad/train';

export function measureResult(text: string, choice: unknown, onProgress: (f: number) => void): RuntimeResult {
  // The spec's own rules (target not a feature, …) are checked with placeholders for what is measured.
  const checked = TableSpecSchema.safeParse({
    ...(choice as object),
    classes: ['a', 'b'],
    stats: { rows: 1, mean: [], std: [] },
  });
  const issue = checked.success
    ? null
    : checked.error.issues.find(
        (i) => i.path[0] !== 'classes' && i.path[0] !== 'stats' && i.path[0] !== undefined,
      );
  if (issue) throw new Error(`measureTable: ${issue.path.join('.')}: ${issue.message}`);
  try {
    return { type: 'tableMeasure', measure: measureTable(text, choice as TableChoice, onProgress) };
  } catch (e) {
    if (e instanceof TableError)
      return {
        type: 'tableProblems',
        message: e.message,
        problems: e.problems,
        problemCount: e.problemCount,
      };
    throw e;
  }
}
