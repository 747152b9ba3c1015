// hgrad: the command-line face of homemade-grad. Exit codes: 0 success, 1 the user's error
// (with a message naming the problem), 2 an internal error.
import { exportWeights, info, validate } from './commands.ts';
import { UserError, type CliIo } from './io.ts';
import { suggestion } from './args.ts';
import { train } from './train.ts';
import { predict } from './predict.ts';
import { evaluate } from './evaluate.ts';

export type { CliIo } from './io.ts';

/** Each command's line of the usage text, and what it does (`hgrad COMMAND --help` prints it). */
const HELP = {
  validate: `validate FILE     check a .hgrad.json graph document and list every problem`,
  info: `info FILE         table of nodes, output shapes, parameters and FLOPs (FILE may be a
                    .safetensors written by train or export: it carries its graph)`,
  train: `train FILE [--epochs N] [--seed S] [--device cpu|webgpu] [--out DIR] [--limit N] [--resume DIR]
                    train the graph; writes weights.safetensors, a checkpoint (after every
                    epoch; --resume continues from one) and metrics.json`,
  export: `export FILE --weights W [--format safetensors|json|onnx|pytorch] [--out PATH]
                    check trained weights against the graph and export them (safetensors and
                    json keep the graph document; onnx and pytorch write the model)`,
  evaluate: `evaluate FILE --weights W [--split val|test] [--format text|json]
                    the model on the validation split training held out (or the dataset's
                    own test split): loss, accuracy, confusion matrix, per-class precision
                    and recall`,
  predict: `predict FILE --weights W --input IN [--out OUT.safetensors]
                    run the model (evaluation mode) on IN: a safetensors tensor 'input', a
                    CSV/TSV of feature rows, or a PNG/JPEG image; write 'output' and print
                    each row's top classes`,
} as const;

const USAGE = `usage: hgrad <command> [options]

commands:
${Object.values(HELP)
  .map((h) => `  ${h}`)
  .join('\n')}
  --version         print the version
  --help            print this help (hgrad COMMAND --help: that command's)`;

const COMMANDS = {
  validate,
  info,
  train,
  export: exportWeights,
  predict,
  evaluate,
} satisfies Record<keyof typeof HELP, (args: string[], io: CliIo) => Promise<number>>;

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
    if (!Object.hasOwn(COMMANDS, command))
      throw new UserError(
        `unknown command '${command}'${suggestion(command, Object.keys(COMMANDS))}\n${USAGE}`,
      );
    const name = command as keyof typeof COMMANDS;
    if (rest.includes('--help') || rest.includes('-h')) {
      io.out(`usage: hgrad ${HELP[name]}`);
      return 0;
    }
    return await COMMANDS[name](rest, io);
  } catch (e) {
    if (e instanceof UserError) {
      io.err(`hgrad: ${e.message}`);
      return 1;
    }
    io.err(`hgrad: internal error: ${(e as Error).stack ?? String(e)}`);
    return 2;
  }
}
