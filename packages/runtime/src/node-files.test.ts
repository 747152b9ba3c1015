// Atomic writes of a user's files: concurrent saves never tear a file, a crash between write and
// rename leaves the old file whole, permissions and symbolic links are kept, and errors name the
// path and say why in words.
import { spawnSync } from 'node:child_process';
import {
  chmod,
  lstat,
  mkdtemp,
  readdir,
  readFile,
  readlink,
  stat,
  symlink,
  writeFile,
} from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { FileWriteError, fileErrorReason, writeFileAtomic } from './node-files.ts';

const folder = () => mkdtemp(join(tmpdir(), 'hgrad-files-'));

describe('writeFileAtomic', () => {
  it('twenty saves at once leave exactly one of them, whole, and no temporary files', async () => {
    const dir = await folder();
    const path = join(dir, 'doc.hgrad.json');
    const contents = Array.from({ length: 20 }, (_, i) => `${String(i).repeat(20000)}\n`);
    await Promise.all(contents.map((c) => writeFileAtomic(path, c)));
    const final = await readFile(path, 'utf8');
    expect(contents).toContain(final);
    expect(await readdir(dir)).toEqual(['doc.hgrad.json']);
  });

  it('keeps the permissions of the file it replaces', async () => {
    const dir = await folder();
    const path = join(dir, 'secret.json');
    await writeFile(path, 'old');
    await chmod(path, 0o600);
    await writeFileAtomic(path, 'new');
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect(await readFile(path, 'utf8')).toBe('new');
  });

  it('writes through a symbolic link, which stays a link', async () => {
    const dir = await folder();
    const real = join(dir, 'real.json');
    const link = join(dir, 'link.json');
    await writeFile(real, 'old');
    await symlink(real, link);
    await writeFileAtomic(link, 'new');
    expect((await lstat(link)).isSymbolicLink()).toBe(true);
    expect(await readlink(link)).toBe(real);
    expect(await readFile(real, 'utf8')).toBe('new');
  });

  it('a crash between writing and renaming leaves the old file intact', async () => {
    const dir = await folder();
    const path = join(dir, 'weights.safetensors');
    await writeFile(path, 'the old, good file');
    const module = fileURLToPath(new URL('./node-files.ts', import.meta.url));
    // The child process is killed when it reaches the rename.
    const script = `
      const fsp = require('node:fs/promises');
      const { syncBuiltinESMExports } = require('node:module');
      fsp.rename = async () => process.kill(process.pid, 'SIGKILL');
      syncBuiltinESMExports();
      import(${JSON.stringify(module)}).then((m) => m.writeFileAtomic(${JSON.stringify(path)}, 'half of a new file'));
    `;
    const child = spawnSync(process.execPath, ['--import', 'tsx', '-e', script], { encoding: 'utf8' });
    expect(child.signal).toBe('SIGKILL');
    expect(await readFile(path, 'utf8')).toBe('the old, good file');
  });

  it('errors name the path and say why in words', async () => {
    const dir = await folder();
    const missing = join(dir, 'no-such-folder', 'x.json');
    const error = await writeFileAtomic(missing, 'x').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FileWriteError);
    expect((error as Error).message).toBe(`cannot write ${missing}: the folder does not exist (ENOENT)`);
    await expect(writeFileAtomic(dir, 'x')).rejects.toThrow(
      `cannot write ${dir}: it is a directory (EISDIR)`,
    );
    // With makeFolder the folders are made.
    await writeFileAtomic(missing, 'made', { makeFolder: true });
    expect(await readFile(missing, 'utf8')).toBe('made');
    expect(fileErrorReason(Object.assign(new Error('x'), { code: 'ENOSPC' }))).toBe(
      'the disk is full (ENOSPC)',
    );
  });
});
