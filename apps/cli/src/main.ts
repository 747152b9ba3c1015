// hgrad: the command-line face of homemade-grad. Exit codes: 0 success, 1 the user's error
// (with a message naming the problem), 2 an internal error.
import { readFile } from 'node:fs/promises';
import { parseDocument } from '@hgrad/ir';

export interface CliIo {
  out(line: string): void;
  err(line: string): void;
}

const USAGE = `usage: hgrad <command> [options]

commands:
  validate FILE     check a .hgrad.json graph document and list every problem
  --version         print the version
  --help            print this help`;

export class UserError extends Error {}

async function validate(file: string | undefined, io: CliIo): Promise<number> {
  if (!file) throw new UserError('validate: missing FILE (usage: hgrad validate FILE)');
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    throw new UserError(
      `validate: cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
    );
  }
  const result = parseDocument(text);
  if (result.ok) {
    io.out(`${file}: valid (${result.document.nodes.length} nodes, ${result.document.edges.length} edges)`);
    return 0;
  }
  for (const p of result.problems) io.err(`${file}: ${p.path ? `${p.path}: ` : ''}${p.message}`);
  io.err(`${file}: ${result.problems.length} problem${result.problems.length === 1 ? '' : 's'}`);
  return 1;
}

export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case undefined:
      case '--help':
      case '-h':
        io.out(USAGE);
        return command === undefined ? 1 : 0;
      case '--version':
        io.out('hgrad 0.1.0');
        return 0;
      case 'validate':
        return await validate(rest[0], io);
      default:
        throw new UserError(`unknown command '${command}'\n${USAGE}`);
    }
  } catch (e) {
    if (e instanceof UserError) {
      io.err(`hgrad: ${e.message}`);
      return 1;
    }
    io.err(`hgrad: internal error: ${(e as Error).stack ?? String(e)}`);
    return 2;
  }
}
