// File → Load weights…: a safetensors state dict (an earlier export, or a PyTorch model's saved
// with its own names) onto the current graph. Tensors are matched by name and shape; when all
// fit they are applied, otherwise every mismatch is listed and only an explicit choice loads the
// ones that fit. Nothing is changed silently.
import { loadSafetensors, saveSafetensors } from '@hgrad/engine';
import { allFit, describeMismatch, matchWeights, mergeWeights } from '@hgrad/export';
import { engineCommands } from './engine-controller.ts';
import { pickBinaryFile } from './files.ts';
import { toast } from './ui-store.ts';

const fileNameOf = (path: string) => path.split(/[\\/]/).pop() ?? path;

export async function loadWeightsFromFile(): Promise<void> {
  const current = await engineCommands.weights();
  if (!current) return;
  const picked = await pickBinaryFile('.safetensors');
  if (!picked) return;
  const name = fileNameOf(picked.fileName);
  let file;
  try {
    file = loadSafetensors(picked.bytes).tensors;
  } catch (e) {
    return void toast('error', `${name} cannot be read: ${(e as Error).message}`);
  }
  const graph = loadSafetensors(new Uint8Array(current.bytes)).tensors;
  const match = matchWeights(graph, file);
  if (!allFit(match)) {
    const problems = describeMismatch(match);
    const shown = problems.slice(0, 12).join('\n');
    const more = problems.length > 12 ? `\n…and ${problems.length - 12} more` : '';
    if (match.fits.length === 0)
      return void toast('error', `None of the tensors in ${name} fit this graph:\n${shown}${more}`);
    const partial = confirm(
      `${name} does not fit this graph exactly:\n${shown}${more}\n\nLoad the ${match.fits.length} tensor(s) that fit and keep the rest of the current weights?`,
    );
    if (!partial) return void toast('info', `Nothing was loaded from ${name}`);
  }
  const merged = mergeWeights(graph, file, match);
  if (await engineCommands.loadWeights(saveSafetensors(merged)))
    toast(
      'info',
      allFit(match)
        ? `Loaded all ${match.fits.length} tensors from ${name}`
        : `Loaded ${match.fits.length} of ${graph.size} tensors from ${name}; kept the current values of the rest`,
    );
}
