// Trained weights for a command: a safetensors file read and checked against the graph, with
// every problem named (the file, then the tensor).
import { readFile } from 'node:fs/promises';
import * as hg from '@hgrad/engine';
import type { CheckedGraph } from '@hgrad/ir';
import { compileGraph, type GraphModel } from '@hgrad/train';
import { UserError } from './io.ts';

export interface SafetensorsContents {
  tensors: Map<string, hg.Tensor>;
  metadata: Record<string, string>;
}

export async function readSafetensors(file: string, command: string): Promise<SafetensorsContents> {
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await readFile(file));
  } catch (e) {
    throw new UserError(
      `${command}: cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
    );
  }
  try {
    return hg.loadSafetensors(bytes);
  } catch (e) {
    throw new UserError(`${command}: ${file} is not a valid safetensors file: ${(e as Error).message}`);
  }
}

/** The graph's model with the file's weights loaded (strict: every name and shape must match). */
export function modelWithWeights(
  graph: CheckedGraph,
  tensors: Map<string, hg.Tensor>,
  weightsFile: string,
  command: string,
): GraphModel {
  const model = compileGraph(graph);
  try {
    model.loadStateDict(tensors);
  } catch (e) {
    throw new UserError(`${command}: ${weightsFile} does not fit the graph: ${(e as Error).message}`);
  }
  return model;
}
