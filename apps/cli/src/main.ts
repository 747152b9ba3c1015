// hgrad: the command-line face of homemade-grad. Exit codes: 0 success, 1 the user's error
// (with a message naming the problem), 2 an internal error.
import { exportWeights, info, validate } from './commands.ts';
import { UserError, type CliIo } from './io.ts';
import { suggestion } from './args.ts';
import { train } from './train.ts';
import { predict } from './predict.ts';
import { evaluate } from './evaluate.ts';

export type { CliIo } from './io.ts';

const USAGE = `usage: hgrad <command> [options]

commands:
  validate FILE     check a .hgrad.json graph document and list every problem
  info FILE         table of nodes, output shapes, parameters and FLOPs (FILE may be a
                    .safetensors written by train or export: it carries its graph)
  train FILE [--epochs N] [--seed S] [--device cpu|webgpu] [--out DIR] [--limit N] [--resume DIR]
                    train the graph; writes weights.safetensors, a checkpoint (after every
                    epoch; --resume continues from one) and metrics.json
  export FILE --weights W [--format safetensors|json|onnx|pytorch] [--out PATH]
                    check trained weights against the graph and export them (safetensors and
                    json keep the graph document; onnx and pytorch write the model)
  evaluate FILE --weights W [--split val|test] [--format text|json]
                    the model on the validation split training held out (or the dataset's
                    own test split): loss, accuracy, confusion matrix, per-class precision
                    and recall
  predict FILE --weights W --input IN [--out OUT.safetensors]
                    run the model (evaluation mode) on IN: a safetensors tensor 'input', a
                    CSV/TSV of feature rows, or a PNG/JPEG image; write 'output' and print
                    each row's top classes
  --version         print the version
  --help            print this help`;

const COMMANDS: Record<string, (args: string[], io: CliIo) => Promise<number>> = {
  validate,
  info,
  train,
  export: exportWeights,
  predict,
  evaluate,
};

export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv;
  try {
    if (command === undefined || command === '--help' || command === '-h') {
      io.out(USAGE);
      return command === undefined ? 1 : 0;
    }
    if (command === '--version') {
      io.out('hgrad 0.1.0');
      return 0;
    }
    const run = Object.hasOwn(COMMANDS, command) ? COMMANDS[command]! : undefined;
    if (!run)
      throw new UserError(
        `unknown command '${command}'${suggestion(command, Object.keys(COMMANDS))}\n${USAGE}`,
      );
    return await run(rest, io);
  } catch (e) {
    if (e instanceof UserError) {
      io.err(`hgrad: ${e.message}`);
      return 1;
    }
    io.err(`hgrad: internal error: ${(e as Error).stack ?? String(e)}`);
    return 2;
  }
}
