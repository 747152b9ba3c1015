// hgrad: the command-line face of homemade-grad. Exit codes: 0 success, 1 the user's error
// (with a message naming the problem), 2 an internal error.
import { readFile } from 'node:fs/promises';
import { analyze, parseDocument } from '@hgrad/ir';
import { exportWeights, info, train, UserError } from './commands.ts';

export interface CliIo {
  out(line: string): void;
  err(line: string): void;
  /** A transient status line (a progress bar on terminals). */
  progress?(line: string): void;
}

const USAGE = `usage: hgrad <command> [options]

commands:
  validate FILE     check a .hgrad.json graph document and list every problem
  info FILE         table of nodes, output shapes, parameters and FLOPs
  train FILE [--epochs N] [--seed S] [--device cpu|webgpu] [--out DIR] [--limit N]
                    train the graph; writes weights.safetensors, a checkpoint and metrics.json
  export FILE --weights W [--format safetensors|json] [--out PATH]
                    check trained weights against the graph and export them
  --version         print the version
  --help            print this help`;

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
  const parsed = parseDocument(text);
  const result =
    parsed.ok && analyze(parsed.document).problems.length
      ? { ok: false as const, problems: analyze(parsed.document).problems }
      : parsed;
  if (result.ok) {
    io.out(`${file}: valid (${result.document.nodes.length} nodes, ${result.document.edges.length} edges)`);
    return 0;
  }
  // Messages from the meaning checks already name their node or edge; structural ones need the path.
  for (const p of result.problems)
    io.err(`${file}: ${p.path && !p.message.includes(p.path) ? `${p.path}: ` : ''}${p.message}`);
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
      case 'info':
        return await info(rest[0], io);
      case 'train':
        return await train(rest, io);
      case 'export':
        return await exportWeights(rest, io);
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
