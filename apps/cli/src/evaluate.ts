// hgrad evaluate: trained weights on the document's validation split (the samples training held
// out, remade from the same seed and split) or the dataset's own test split; prints loss, accuracy,
// the confusion matrix and per-class precision and recall (for regression, the mean absolute error).
import { datasetClasses, datasetLabels } from '@hgrad/ir';
import {
  confusionTable,
  datasetOf,
  evaluationReport,
  hasTestSplit,
  prepareRun,
  subsetData,
  type EvaluationReport,
} from '@hgrad/train';
import { parseArgs } from './args.ts';
import { UserError, type CliIo } from './io.ts';
import { readGraph } from './load.ts';
import { datasetFiles } from './dataset-files.ts';
import { readSafetensors } from './weights.ts';

const SPLITS = ['val', 'test'] as const;
const FORMATS = ['text', 'json'] as const;

export async function evaluate(args: string[], io: CliIo): Promise<number> {
  const { file, options } = parseArgs('evaluate', args, {
    '--weights': { kind: 'path' },
    '--split': { kind: 'choice', choices: SPLITS },
    '--format': { kind: 'choice', choices: FORMATS },
  });
  const graph = await readGraph(file, 'evaluate');
  const weightsFile =
    (options.get('--weights') as string | undefined) ?? (file!.endsWith('.safetensors') ? file! : undefined);
  if (!weightsFile) throw new UserError('evaluate: --weights FILE is required');
  const split = (options.get('--split') as (typeof SPLITS)[number] | undefined) ?? 'val';
  const params = datasetOf(graph);
  if (split === 'test' && !hasTestSplit(params))
    throw new UserError(
      `evaluate: dataset '${params.name}' has no test split of its own (fashion-mnist has one${params.name === 'table' ? '; a table has one when its split column names test rows' : ''}); use --split val`,
    );
  const { tensors } = await readSafetensors(weightsFile, 'evaluate');
  // The same preparation as training (seed, split), so 'val' is exactly the held-out samples.
  const prepared = await prepareRun(graph, { files: await datasetFiles(params, file) }).catch((e: Error) => {
    throw new UserError(`evaluate: ${e.message}`);
  });
  try {
    prepared.model.loadStateDict(tensors);
  } catch (e) {
    throw new UserError(`evaluate: ${weightsFile} does not fit the graph: ${(e as Error).message}`);
  }
  const data = split === 'test' ? prepared.test : subsetData(prepared.run.val);
  if (!data)
    throw new UserError(
      split === 'test'
        ? `evaluate: the test files of '${params.name}' were not found`
        : 'evaluate: the validation split is empty (the document has validationSplit 0); use --split test',
    );
  const report = await evaluationReport(prepared.model, data, {
    split: split === 'val' ? 'validation' : 'test',
    classes: datasetClasses(params),
  });
  if (options.get('--format') === 'json') io.out(JSON.stringify(report, null, 2));
  else {
    const labels = datasetLabels(params) ?? [];
    for (const line of reportLines(report, labels)) io.out(line);
  }
  return 0;
}

const percent = (v: number | null) => (v === null ? '—' : `${(v * 100).toFixed(1)}%`);

/** The report as the terminal shows it. */
export function reportLines(report: EvaluationReport, labels: readonly string[]): string[] {
  const name = report.split === 'validation' ? 'validation' : report.split;
  const lines = [
    `${name} split: ${report.samples} samples, loss ${report.loss === null ? '—' : report.loss.toFixed(4)}` +
      (report.accuracy !== null ? `, accuracy ${percent(report.accuracy)}` : '') +
      (report.regression
        ? `, mean absolute error ${report.regression.meanAbsoluteError.toPrecision(4)}`
        : ''),
  ];
  if (report.confusion && report.perClass) {
    lines.push('', 'confusion matrix (rows: true class, columns: predicted class):');
    lines.push(...confusionTable(report.confusion, labels));
    lines.push('', 'class                precision  recall  support');
    report.perClass.forEach((c, i) =>
      lines.push(
        `${`${i} ${labels[i] ?? ''}`.trimEnd().padEnd(20)} ${percent(c.precision).padStart(9)} ${percent(c.recall).padStart(7)} ${String(c.support).padStart(8)}`,
      ),
    );
  }
  return lines;
}
