// The studio's Evaluation tab asks for a report on a split: the report itself (@hgrad/train's one
// evaluationReport) plus the inputs of the samples it lists, so the tab can draw them.
import * as hg from '@hgrad/engine';
import { datasetClasses, datasetLabels, type DatasetParams } from '@hgrad/ir';
import type { RuntimeResult } from '@hgrad/protocol';
import { evaluationReport, subsetData, type GraphModel, type LoadedData } from '@hgrad/train';

type ReportResult = Extract<RuntimeResult, { type: 'report' }>;

export async function evaluationResult(
  model: GraphModel,
  params: DatasetParams,
  source: LoadedData | hg.data.Subset<hg.Tensor[]> | null,
  split: 'validation' | 'test',
  options: { examples: number; vocabulary: string[] | null },
): Promise<ReportResult> {
  const labels = datasetLabels(params);
  const base = {
    type: 'report' as const,
    inputShape: [] as number[],
    inputs: { indices: [] as number[], values: new Float32Array(0) },
    ...(labels ? { labels: [...labels] } : {}),
    ...(options.vocabulary ? { vocabulary: options.vocabulary } : {}),
  };
  const data = source === null ? null : 'x' in source ? source : subsetData(source);
  if (!data)
    return {
      ...base,
      report: null,
      reason:
        split === 'test'
          ? params.name === 'table'
            ? 'this table has no test split: choose a split column with a value for test rows when importing it'
            : `dataset '${params.name}' has no test split of its own (Fashion-MNIST has one: its t10k images)`
          : 'the validation split is empty (the training settings hold out no samples)',
    };
  const report = await evaluationReport(model, data, {
    split,
    classes: datasetClasses(params),
    examples: options.examples,
  });
  const indices = [
    ...new Set([...(report.misclassified ?? []), ...(report.correct ?? [])].map((m) => m.index)),
  ];
  const size = data.x.numel() / Math.max(1, data.x.shape[0]!);
  const values = new Float32Array(indices.length * size);
  if (indices.length) values.set(data.x.indexSelect(0, hg.tensor(indices)).float().contiguous().dataSync());
  return { ...base, report, inputShape: data.x.shape.slice(1), inputs: { indices, values } };
}
