// PyTorch-shaped calls, checked where they enter. A call takes PyTorch's positional order for
// PyTorch's positional parameters and, last, an options object with any of them by camelCase name:
// `Conv2d(1, 8, 3, 1, 1)` ≡ `Conv2d(1, 8, 3, {stride: 1, padding: 1})`. An unknown key is an error
// that names the function, the key and the nearest valid name; a value of the wrong type or range
// names the parameter and the value; a parameter given twice is an error, as in Python.
import { DTYPES } from './dtype.ts';
import { DEVICES } from './backend/types.ts';
import { Tensor } from './tensor.ts';

/** Checks one value: null when it is fine, else what it must be ("must be a positive integer"). */
export type Check = (value: unknown) => string | null;

/** A plain `{…}` object (not a tensor, array or class instance): the options of a call. */
export function isOptions(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value) || value instanceof Tensor)
    return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
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

/** The valid name a mistyped one most likely meant (weight_decay → weightDecay), if any is close. */
export function nearest(name: string, valid: readonly string[]): string | null {
  const squash = (s: string) => s.replace(/_/g, '').toLowerCase();
  const same = valid.find((v) => squash(v) === squash(name));
  if (same) return same;
  let best: string | null = null;
  let bestDistance = Infinity;
  for (const v of valid) {
    const dist = distance(squash(name), squash(v));
    if (dist < bestDistance) [best, bestDistance] = [v, dist];
  }
  return best !== null && bestDistance <= Math.max(2, Math.floor(name.length / 3)) ? best : null;
}

const show = (v: unknown): string => {
  if (typeof v === 'string') return `'${v}'`;
  if (v instanceof Tensor) return `a Tensor of shape [${v.shape.join(', ')}]`;
  if (typeof v === 'function') return 'a function';
  try {
    return JSON.stringify(v) ?? String(v);
  } catch {
    return String(v);
  }
};

/** Refuses keys of `options` that are not `valid`, naming the nearest valid one. */
export function checkKeys(fn: string, options: Record<string, unknown>, valid: readonly string[]): void {
  // A for…in loop allocates nothing: options are checked on every op call.
  for (const key in options)
    if (!valid.includes(key)) {
      const near = nearest(key, valid);
      throw new TypeError(
        `${fn}: unknown option '${key}'${near ? ` (did you mean '${near}'?)` : ''}; valid options: ${valid.join(', ') || 'none'}`,
      );
    }
}

/** Runs the checks of the given values, naming the parameter and the value at fault. */
export function checkValues(
  fn: string,
  values: Record<string, unknown>,
  checks: Record<string, Check>,
): void {
  for (const name in values) {
    const value = values[name];
    const check = checks[name];
    if (value === undefined || !check) continue;
    const problem = check(value);
    if (problem) throw new TypeError(`${fn}: ${name} ${problem}, got ${show(value)}`);
  }
}

/**
 * The arguments of a PyTorch-shaped call: `args` are the values after the required leading ones,
 * positional in the order of `names`, optionally ending with an options object. Returns the given
 * values by name (undefined ones left out, so callers' defaults apply).
 */
export function pyArgs<T extends Record<string, unknown>>(
  fn: string,
  names: readonly (keyof T & string)[],
  args: readonly unknown[],
  checks: Partial<Record<keyof T & string, Check>> = {},
  /** How many of `names` may be given positionally (the rest are keyword-only, as after `*`). */
  maxPositional = names.length,
): Partial<T> {
  const values: Record<string, unknown> = {};
  if (args.length === 0) return values as Partial<T>;
  let count = args.length;
  const last = args[count - 1];
  const options = isOptions(last) ? last : null;
  if (options) count--;
  // Trailing undefineds are what a JavaScript caller passes for "not given".
  while (count > 0 && args[count - 1] === undefined) count--;
  if (count > maxPositional) {
    const allowed = names.slice(0, maxPositional);
    throw new TypeError(
      `${fn}: takes at most ${maxPositional} optional positional argument${maxPositional === 1 ? '' : 's'}${allowed.length ? ` (${allowed.join(', ')})` : ''}, got ${count}; pass the others in an options object`,
    );
  }
  for (let i = 0; i < count; i++) if (args[i] !== undefined) values[names[i]!] = args[i];
  if (options) {
    checkKeys(fn, options, names);
    for (const key in options) {
      const value = options[key];
      if (value === undefined) continue;
      if (key in values) throw new TypeError(`${fn}: got multiple values for argument '${key}'`);
      values[key] = value;
    }
  }
  checkValues(fn, values, checks as Record<string, Check>);
  return values as Partial<T>;
}

const NO_OPTIONS: Readonly<Record<string, never>> = Object.freeze({});

/** Checks an options object alone (calls whose options have no positional form). */
export function options<T extends Record<string, unknown>>(
  fn: string,
  value: unknown,
  names: readonly (keyof T & string)[],
  checks: Partial<Record<keyof T & string, Check>> = {},
): Partial<T> {
  if (value === undefined || value === null) return NO_OPTIONS as Partial<T>;
  if (!isOptions(value))
    throw new TypeError(`${fn}: expected an options object {${names.join(', ')}}, got ${show(value)}`);
  checkKeys(fn, value, names);
  checkValues(fn, value, checks as Record<string, Check>);
  let hasUndefined = false;
  for (const key in value) if (value[key] === undefined) hasUndefined = true;
  if (!hasUndefined) return value as Partial<T>;
  const given: Record<string, unknown> = {};
  for (const key in value) if (value[key] !== undefined) given[key] = value[key];
  return given as Partial<T>;
}

/** Value checks for the common kinds of parameter. */
export const is = {
  number: ((v) => (typeof v === 'number' && !Number.isNaN(v) ? null : 'must be a number')) as Check,
  finite: ((v) => (typeof v === 'number' && Number.isFinite(v) ? null : 'must be a finite number')) as Check,
  positive: ((v) => (typeof v === 'number' && v > 0 ? null : 'must be a positive number')) as Check,
  nonNegative: ((v) => (typeof v === 'number' && v >= 0 ? null : 'must be a number ≥ 0')) as Check,
  probability: ((v) =>
    typeof v === 'number' && v >= 0 && v <= 1 ? null : 'must be between 0 and 1') as Check,
  int: ((v) => (Number.isInteger(v) ? null : 'must be an integer')) as Check,
  positiveInt: ((v) =>
    Number.isInteger(v) && (v as number) > 0 ? null : 'must be a positive integer') as Check,
  nonNegativeInt: ((v) =>
    Number.isInteger(v) && (v as number) >= 0 ? null : 'must be an integer ≥ 0') as Check,
  bool: ((v) => (typeof v === 'boolean' ? null : 'must be true or false')) as Check,
  string: ((v) => (typeof v === 'string' ? null : 'must be a string')) as Check,
  function: ((v) => (typeof v === 'function' ? null : 'must be a function')) as Check,
  tensor: ((v) => (v instanceof Tensor ? null : 'must be a Tensor')) as Check,
  tensorOrNull: ((v) => (v === null || v instanceof Tensor ? null : 'must be a Tensor or null')) as Check,
  dtype: ((v) =>
    (DTYPES as readonly unknown[]).includes(v)
      ? null
      : `must be one of ${DTYPES.map(show).join(', ')}`) as Check,
  device: ((v) =>
    (DEVICES as readonly unknown[]).includes(v)
      ? null
      : `must be one of ${DEVICES.map(show).join(', ')}`) as Check,
  oneOf:
    (...choices: readonly unknown[]): Check =>
    (v) =>
      choices.includes(v) ? null : `must be one of ${choices.map(show).join(', ')}`,
  /** One int for every spatial dim, or a tuple of `n` of them. */
  size: (n: number, min = 1): Check => {
    const ok = (x: unknown) => Number.isInteger(x) && (x as number) >= min;
    return (v) => {
      if (typeof v === 'number' ? ok(v) : Array.isArray(v) && v.length === n && v.every(ok)) return null;
      return `must be an integer ≥ ${min} or ${n} of them`;
    };
  },
  /** A check that also accepts null. */
  orNull:
    (check: Check): Check =>
    (v) =>
      v === null ? null : check(v),
  /** A list whose every element passes `check`. */
  listOf:
    (check: Check, what: string): Check =>
    (v) =>
      Array.isArray(v) && v.every((x) => check(x) === null) ? null : `must be a list of ${what}`,
};

/** Every prefix of a tuple, the empty one included: [a, b] → [] | [a] | [a, b]. */
type Prefixes<P extends unknown[]> = P extends [...infer Init, unknown] ? P | Prefixes<Init> : [];

/**
 * The type of a PyTorch-shaped call's trailing arguments: any prefix of the positional parameters
 * `P` (undefined allowed for "not given"), then optionally the options object `O`.
 */
export type PyRest<P extends unknown[], O> =
  Prefixes<{ [K in keyof P]: P[K] | undefined }> extends infer X
    ? X extends unknown[]
      ? [...X, O?]
      : never
    : never;
