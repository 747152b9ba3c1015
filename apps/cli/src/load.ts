// Reading a graph document for a command: the file, then @hgrad/ir's loadGraph (the one way from
// bytes to a checked graph). Every problem is listed with its path.
import { readFile } from 'node:fs/promises';
import { loadGraph, type CheckedGraph, type Problem } from '@hgrad/ir';
import { UserError } from './io.ts';
import { readSafetensors } from './weights.ts';
import { memoryBudget } from './memory-budget.ts';

export async function readText(file: string, command: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (e) {
    throw new UserError(
      `${command}: cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
    );
  }
}

/** A problem as one line: messages from the meaning checks name their node; structural ones need the path. */
export const problemLine = (p: Problem): string =>
  `${p.path && !p.message.includes(p.path) ? `${p.path}: ` : ''}${p.message}`;

/**
 * The graph document in FILE: a .hgrad.json document, or a .safetensors weights file that
 * carries its document in the metadata (as `train` and `export` write them).
 */
export async function readGraph(file: string | undefined, command: string): Promise<CheckedGraph> {
  if (!file) throw new UserError(`${command}: missing FILE (usage: hgrad ${command} FILE)`);
  const loaded = loadGraph(
    file.endsWith('.safetensors') ? await documentIn(file, command) : await readText(file, command),
    { memoryBudget: memoryBudget() },
  );
  if (!loaded.ok) {
    const n = loaded.problems.length;
    throw new UserError(
      `${file}: ${n} problem${n === 1 ? '' : 's'}:\n  ${loaded.problems.map(problemLine).join('\n  ')}`,
    );
  }
  return loaded.graph;
}

async function documentIn(file: string, command: string): Promise<string> {
  const { metadata } = await readSafetensors(file, command);
  if (typeof metadata.document !== 'string')
    throw new UserError(
      `${command}: ${file} does not carry a graph document in its metadata (weights written by hgrad train or export do); pass the .hgrad.json document as FILE and the weights with --weights`,
    );
  return metadata.document;
}
