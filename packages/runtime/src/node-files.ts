// Writing a user's file safely from Node (the CLI's outputs, the desktop app's saves): the bytes
// go to a uniquely named temporary file beside the target, which is then renamed over it, so a
// crash, a full disk or two saves at once never leave half a file or a mix of both. A file that
// is a symbolic link is written through the link (the link stays), and the file's permissions
// are kept (a 0600 file stays 0600). File-system errors are explained in words with the path.
import { randomUUID } from 'node:crypto';
import { chmod, lstat, mkdir, realpath, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

const REASONS: Record<string, string> = {
  ENOSPC: 'the disk is full',
  EDQUOT: 'the disk quota is exceeded',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EISDIR: 'it is a directory',
  ENOTDIR: 'a part of the path is not a directory',
  ENOENT: 'the folder does not exist',
  EROFS: 'the file system is read-only',
  EEXIST: 'a file is in the way',
  ENAMETOOLONG: 'the name is too long',
  ELOOP: 'the path loops through symbolic links',
};

/** Why a file operation failed, in words ("the disk is full (ENOSPC)"). */
export function fileErrorReason(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code ?? '';
  return `${REASONS[code] ?? (e as Error).message}${code ? ` (${code})` : ''}`;
}

/** An error that names the path and says why, in words. */
export class FileWriteError extends Error {
  constructor(
    readonly path: string,
    cause: unknown,
  ) {
    super(`cannot write ${path}: ${fileErrorReason(cause)}`, { cause });
    this.name = 'FileWriteError';
  }
}

/** Where the bytes go: the target, or what it links to (so a symbolic link stays a link). */
async function resolveTarget(path: string): Promise<{ target: string; mode: number | null }> {
  const link = await lstat(path).catch(() => null);
  if (!link) return { target: path, mode: null };
  const target = link.isSymbolicLink() ? await realpath(path) : path;
  const info = await stat(target);
  if (info.isDirectory()) throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
  return { target, mode: info.mode & 0o7777 };
}

/**
 * Writes atomically. `makeFolder`: create missing folders first (the CLI's --out does; the desktop's
 * save dialog chose an existing one). Throws FileWriteError naming the path.
 */
export async function writeFileAtomic(
  path: string,
  data: Uint8Array | string,
  { makeFolder = false }: { makeFolder?: boolean } = {},
): Promise<void> {
  let temporary: string | null = null;
  try {
    if (makeFolder) await mkdir(dirname(path), { recursive: true });
    const { target, mode } = await resolveTarget(path);
    temporary = join(dirname(target), `.${basename(target)}.${randomUUID()}.tmp`);
    // 'wx': the temporary name is new; nothing else is ever written through it.
    await writeFile(temporary, data, { flag: 'wx', ...(mode !== null ? { mode } : {}) });
    if (mode !== null) await chmod(temporary, mode);
    await rename(temporary, target);
    temporary = null;
  } catch (e) {
    if (temporary) await rm(temporary, { force: true }).catch(() => undefined);
    throw e instanceof FileWriteError ? e : new FileWriteError(path, e);
  }
}
