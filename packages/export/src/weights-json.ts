// The JSON weights format, one writer and one reader for the CLI and the studio:
//   {"format": "hgrad-weights", "version": 1, "metadata": {…},
//    "tensors": {"fc1.weight": {"dtype": "float32", "shape": [16, 2], "data": [0.1, "NaN", …]}}}
// dtypes are spelled as the engine spells them; NaN and ±Infinity (which JSON has no numbers for)
// are the strings "NaN", "Infinity" and "-Infinity", never null.
import * as hg from '@hgrad/engine';

export const WEIGHTS_JSON_FORMAT = 'hgrad-weights';
export const WEIGHTS_JSON_VERSION = 1;
const DTYPES = hg.DTYPES;
/** The integers each integer dtype holds exactly (int64: the engine's ±2^53, see its README). */
const INT_RANGE: Partial<Record<hg.DType, [number, number]>> = {
  int64: [-(2 ** 53), 2 ** 53],
  int32: [-(2 ** 31), 2 ** 31 - 1],
  uint8: [0, 255],
};
type JsonNumber = number | 'NaN' | 'Infinity' | '-Infinity';

export interface WeightsJson {
  format: typeof WEIGHTS_JSON_FORMAT;
  version: typeof WEIGHTS_JSON_VERSION;
  metadata: Record<string, string>;
  tensors: Record<string, { dtype: hg.DType; shape: number[]; data: JsonNumber[] }>;
}

const encodeNumber = (v: number): JsonNumber =>
  Number.isFinite(v) ? v : Number.isNaN(v) ? 'NaN' : v > 0 ? 'Infinity' : '-Infinity';

export function writeWeightsJson(
  tensors: ReadonlyMap<string, hg.Tensor>,
  metadata: Record<string, string> = {},
): string {
  const out: WeightsJson = {
    format: WEIGHTS_JSON_FORMAT,
    version: WEIGHTS_JSON_VERSION,
    metadata,
    tensors: {},
  };
  for (const [name, t] of tensors) {
    const values = t.contiguous().dataSync() as ArrayLike<number>;
    out.tensors[name] = { dtype: t.dtype, shape: [...t.shape], data: Array.from(values, encodeNumber) };
  }
  return `${JSON.stringify(out)}\n`;
}

export type ReadWeightsResult =
  | { ok: true; tensors: Map<string, hg.Tensor>; metadata: Record<string, string> }
  | { ok: false; problem: string };

const SPECIAL: Record<string, number> = { NaN: NaN, Infinity: Infinity, '-Infinity': -Infinity };

/** Reads the JSON weights format; a problem names the tensor and the field. */
export function readWeightsJson(text: string): ReadWeightsResult {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    return { ok: false, problem: `not JSON: ${(e as Error).message}` };
  }
  const fail = (problem: string): ReadWeightsResult => ({ ok: false, problem });
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) return fail('expected a JSON object');
  const d = doc as Record<string, unknown>;
  if (d.format !== WEIGHTS_JSON_FORMAT)
    return fail(`format: expected "${WEIGHTS_JSON_FORMAT}", got ${JSON.stringify(d.format)}`);
  if (d.version !== WEIGHTS_JSON_VERSION)
    return fail(
      `version: this reader knows version ${WEIGHTS_JSON_VERSION}, got ${JSON.stringify(d.version)}`,
    );
  const metadata = d.metadata ?? {};
  if (typeof metadata !== 'object' || metadata === null || Array.isArray(metadata))
    return fail('metadata: expected an object of strings');
  for (const [k, v] of Object.entries(metadata))
    if (typeof v !== 'string') return fail(`metadata.${k}: expected a string, got ${typeof v}`);
  if (typeof d.tensors !== 'object' || d.tensors === null || Array.isArray(d.tensors))
    return fail('tensors: expected an object mapping names to tensors');
  const tensors = new Map<string, hg.Tensor>();
  for (const [name, raw] of Object.entries(d.tensors as Record<string, unknown>)) {
    const at = `tensors["${name}"]`;
    if (typeof raw !== 'object' || raw === null) return fail(`${at}: expected {dtype, shape, data}`);
    const { dtype, shape, data } = raw as Record<string, unknown>;
    if (!(DTYPES as readonly unknown[]).includes(dtype))
      return fail(`${at}.dtype: expected one of ${DTYPES.join(', ')}, got ${JSON.stringify(dtype)}`);
    if (!Array.isArray(shape) || !shape.every((n) => Number.isInteger(n) && n >= 0))
      return fail(`${at}.shape: expected a list of non-negative integers`);
    const count = (shape as number[]).reduce((a, b) => a * b, 1);
    if (!Array.isArray(data) || data.length !== count)
      return fail(
        `${at}.data: expected ${count} values for shape [${shape.join(', ')}], got ${Array.isArray(data) ? data.length : typeof data}`,
      );
    const values = new Float64Array(count);
    for (let i = 0; i < count; i++) {
      const v = data[i] as unknown;
      if (typeof v === 'number') values[i] = v;
      else if (typeof v === 'string' && v in SPECIAL) values[i] = SPECIAL[v]!;
      else
        return fail(
          `${at}.data[${i}]: expected a number, "NaN", "Infinity" or "-Infinity", got ${JSON.stringify(v)}`,
        );
      const range = INT_RANGE[dtype as hg.DType];
      if (range && !(Number.isInteger(values[i]) && values[i]! >= range[0] && values[i]! <= range[1]))
        return fail(
          `${at}.data[${i}]: expected an ${dtype} (${range[0]} to ${range[1]}), got ${JSON.stringify(v)}`,
        );
      if (dtype === 'bool' && values[i] !== 0 && values[i] !== 1)
        return fail(`${at}.data[${i}]: expected 0 or 1 for a bool tensor, got ${JSON.stringify(v)}`);
    }
    tensors.set(name, hg.tensor(values, { shape: shape as number[], dtype: dtype as hg.DType }));
  }
  return { ok: true, tensors, metadata: metadata as Record<string, string> };
}
