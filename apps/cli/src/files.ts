// Writing outputs: every file is written to a unique temporary name beside it and renamed over
// the target, so a crash or a full disk never leaves half a file where a good one was; file-system
// errors become user errors that name the path.
import { randomUUID } from 'node:crypto';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { UserError } from './io.ts';

const REASONS: Record<string, string> = {
  ENOSPC: 'the disk is full',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EISDIR: 'it is a directory',
  ENOTDIR: 'a part of the path is not a directory',
  ENOENT: 'the folder does not exist',
  EROFS: 'the file system is read-only',
  EEXIST: 'a file is in the way',
};

export function fileError(command: string, path: string, e: unknown): UserError {
  const code = (e as NodeJS.ErrnoException).code ?? '';
  return new UserError(
    `${command}: cannot write ${path}: ${REASONS[code] ?? (e as Error).message}${code ? ` (${code})` : ''}`,
  );
}

export async function writeOutput(command: string, path: string, data: Uint8Array | string): Promise<void> {
  const temporary = join(dirname(path), `.${basename(path)}.${randomUUID()}.tmp`);
  try {
    await writeFile(temporary, data);
    await rename(temporary, path);
  } catch (e) {
    await rm(temporary, { force: true }).catch(() => undefined);
    throw fileError(command, path, e);
  }
}

export async function makeFolder(command: string, path: string): Promise<void> {
  try {
    await mkdir(path, { recursive: true });
  } catch (e) {
    throw fileError(command, path, e);
  }
}
