// hgrad predict: the model (Dataset data port → what feeds the loss) in evaluation mode on the
// tensor named `input` of a safetensors file; writes the output as tensor `output`. It is the
// reference every export is checked against.
import { writeFile } from 'node:fs/promises';
import * as hg from '@hgrad/engine';
import { parseArgs } from './args.ts';
import { UserError, type CliIo } from './io.ts';
import { readGraph } from './load.ts';
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
    inputFile.replace(/(\.safetensors)?$/, '.output.safetensors');
  const { tensors } = await readSafetensors(weightsFile, 'predict');
  const model = modelWithWeights(graph, tensors, weightsFile, 'predict');
  const inputs = (await readSafetensors(inputFile, 'predict')).tensors;
  const input = inputs.get('input');
  if (!input)
    throw new UserError(
      `predict: ${inputFile} has no tensor named 'input' (it has ${[...inputs.keys()].map((k) => `'${k}'`).join(', ') || 'none'})`,
    );
  model.eval();
  let output: hg.Tensor;
  try {
    output = hg.noGrad(() => model.predict(input));
  } catch (e) {
    throw new UserError(`predict: ${(e as Error).message}`);
  }
  await writeFile(out, hg.saveSafetensors({ output }, { producer: 'homemade-grad' }));
  io.out(`predicted ${output.shape.join('×')} from input ${input.shape.join('×')}; wrote ${out}`);
  return 0;
}

/** A weights file carries its graph: then FILE can be the weights themselves. */
function weightsInside(file: string): string {
  if (file.endsWith('.safetensors')) return file;
  throw new UserError('predict: --weights W.safetensors is required');
}
