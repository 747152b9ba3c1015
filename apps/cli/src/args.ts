// Command-line arguments checked against each command's own options: one FILE, then --name value
// pairs. An unknown option is refused with the nearest known one; values are checked for type and
// range where they enter, never silently clamped or wrapped.
import { UserError } from './io.ts';

export type OptionSpec =
  | { kind: 'int'; min: number; max: number }
  | { kind: 'choice'; choices: readonly string[] }
  | { kind: 'path' };

export interface ParsedArgs {
  file: string | undefined;
  options: Map<string, string | number>;
}

function distance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...new Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++)
    for (let j = 1; j <= b.length; j++)
      d[i]![j] = Math.min(
        d[i - 1]![j]! + 1,
        d[i]![j - 1]! + 1,
        d[i - 1]![j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
  return d[a.length]![b.length]!;
}

/** " (did you mean '--epochs'?)" for the closest known name within a few edits, else "". */
export function suggestion(name: string, known: readonly string[]): string {
  const best = known.map((k) => [k, distance(name, k)] as const).sort((x, y) => x[1] - y[1])[0];
  return best && best[1] <= Math.max(2, name.length / 3) ? ` (did you mean '${best[0]}'?)` : '';
}

export function parseArgs(
  command: string,
  args: readonly string[],
  spec: Record<string, OptionSpec>,
): ParsedArgs {
  const options = new Map<string, string | number>();
  let file: string | undefined;
  const known = Object.keys(spec);
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (!arg.startsWith('--')) {
      if (file !== undefined)
        throw new UserError(`${command}: unexpected argument '${arg}' (FILE is ${file})`);
      file = arg;
      continue;
    }
    const option = Object.hasOwn(spec, arg) ? spec[arg]! : undefined;
    if (!option)
      throw new UserError(
        `${command}: unknown option '${arg}'${suggestion(arg, known)}; ${command} takes ${known.join(', ') || 'no options'}`,
      );
    if (options.has(arg)) throw new UserError(`${command}: ${arg} is given twice`);
    const value = args[i + 1];
    if (value === undefined || value.startsWith('--'))
      throw new UserError(`${command}: ${arg} needs a value`);
    i++;
    options.set(arg, checkValue(command, arg, value, option));
  }
  return { file, options };
}

function checkValue(command: string, name: string, value: string, spec: OptionSpec): string | number {
  if (spec.kind === 'choice') {
    if (!spec.choices.includes(value))
      throw new UserError(`${name} must be ${spec.choices.join(' or ')}, got '${value}'`);
    return value;
  }
  if (spec.kind === 'path') {
    if (value.length === 0) throw new UserError(`${command}: ${name} needs a path`);
    return value;
  }
  // Decimal integers only: "1e3", "0x10" and " 5" are refused rather than reinterpreted.
  const n = /^-?\d+$/.test(value) ? Number(value) : NaN;
  if (!Number.isSafeInteger(n) || n < spec.min || n > spec.max)
    throw new UserError(`${name} must be an integer in ${spec.min}..${spec.max}, got '${value}'`);
  return n;
}
