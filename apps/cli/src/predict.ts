// hgrad predict: the model (Dataset data port → what feeds the loss) in evaluation mode on the
// tensor named `input` of a safetensors file; writes the output as tensor `output`. It is the
// reference every export is checked against.
import { writeFile } from 'node:fs/promises';
import * as hg from '@hgrad/engine';
import { parseArgs } from './args.ts';
import { UserError, type CliIo } from './io.ts';
import { readGraph, readText } from './load.ts';
import { datasetClasses, datasetLabels } from '@hgrad/ir';
import { datasetOf, sampleShape } from '@hgrad/train';
import { imageInput, tableInput } from './predict-inputs.ts';
import { modelWithWeights, readSafetensors } from './weights.ts';

export async function predict(args: string[], io: CliIo): Promise<number> {
  const { file, options } = parseArgs('predict', args, {
    '--weights': { kind: 'path' },
    '--input': { kind: 'path' },
    '--out': { kind: 'path' },
  });
  const graph = await readGraph(file, 'predict');
  const weightsFile = (options.get('--weights') as string | undefined) ?? weightsInside(file!);
  const inputFile = options.get('--input') as string | undefined;
  if (!inputFile) throw new UserError('predict: --input IN.safetensors is required (a tensor named "input")');
  const out =
    (options.get('--out') as string | undefined) ??
    inputFile.replace(/(\.safetensors|\.csv|\.tsv|\.txt|\.png|\.jpe?g)?$/i, '.output.safetensors');
  const { tensors } = await readSafetensors(weightsFile, 'predict');
  const model = modelWithWeights(graph, tensors, weightsFile, 'predict');
  const params = datasetOf(graph);
  const shape = sampleShape(graph);
  let input: hg.Tensor;
  if (/\.(csv|tsv|txt)$/i.test(inputFile)) {
    if (shape.length !== 1 || typeof shape[0] !== 'number')
      throw new UserError(
        `predict: a table input needs a model of feature rows; this one takes [${shape.join(', ')}] samples`,
      );
    input = tableInput(await readText(inputFile, 'predict'), params, shape[0], inputFile);
  } else if (/\.(png|jpe?g)$/i.test(inputFile))
    input = await imageInput(inputFile, params, shape as number[]);
  else {
    const inputs = (await readSafetensors(inputFile, 'predict')).tensors;
    const found = inputs.get('input');
    if (!found)
      throw new UserError(
        `predict: ${inputFile} has no tensor named 'input' (it has ${[...inputs.keys()].map((k) => `'${k}'`).join(', ') || 'none'})`,
      );
    input = found;
  }
  model.eval();
  let output: hg.Tensor;
  try {
    output = hg.noGrad(() => model.predict(input));
  } catch (e) {
    throw new UserError(`predict: ${(e as Error).message}`);
  }
  await writeFile(out, hg.saveSafetensors({ output }, { producer: 'homemade-grad' }));
  io.out(`predicted ${output.shape.join('×')} from input ${input.shape.join('×')}; wrote ${out}`);
  // Class scores read as names and probabilities, a row each (the first 20).
  const classes = datasetClasses(params);
  if (classes > 0 && output.ndim === 2 && output.shape[1] === classes) {
    const labels = datasetLabels(params);
    const probs = hg.noGrad(() => output.softmax(1)).tolist() as number[][];
    probs.slice(0, 20).forEach((p, i) => {
      const top = p
        .map((v, c) => [v, c] as const)
        .sort((a, b) => b[0] - a[0])
        .slice(0, 3)
        .map(([v, c]) => `${labels?.[c] ?? c} ${(v * 100).toFixed(1)}%`);
      io.out(`${i + 1}: ${top.join(', ')}`);
    });
    if (probs.length > 20) io.out(`… and ${probs.length - 20} more rows in ${out}`);
  }
  return 0;
}

/** A weights file carries its graph: then FILE can be the weights themselves. */
function weightsInside(file: string): string {
  if (file.endsWith('.safetensors')) return file;
  throw new UserError('predict: --weights W.safetensors is required');
}
