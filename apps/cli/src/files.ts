// Writing outputs: every file is written to a unique temporary name beside it and renamed over
// the target, so a crash or a full disk never leaves half a file where a good one was; file-system
// errors become user errors that name the path.
import { mkdir } from 'node:fs/promises';
import { fileErrorReason, writeFileAtomic } from '@hgrad/runtime/node-files';
import { UserError } from './io.ts';

export function fileError(command: string, path: string, e: unknown): UserError {
  return new UserError(`${command}: cannot write ${path}: ${fileErrorReason(e)}`);
}

export async function writeOutput(command: string, path: string, data: Uint8Array | string): Promise<void> {
  try {
    await writeFileAtomic(path, data);
  } catch (e) {
    throw fileError(command, path, (e as { cause?: unknown }).cause ?? e);
  }
}

export async function makeFolder(command: string, path: string): Promise<void> {
  try {
    await mkdir(path, { recursive: true });
  } catch (e) {
    throw fileError(command, path, e);
  }
}
