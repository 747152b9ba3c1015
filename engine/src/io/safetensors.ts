// The safetensors format: an 8-byte little-endian header length, a JSON header mapping each
// tensor name to {dtype, shape, data_offsets} (plus optional "__metadata__" strings), then the
// raw little-endian data. Readable by PyTorch users' tools (safetensors.torch.load_file).
import { tensor } from '../creation.ts';
import type { DType, TypedArray } from '../dtype.ts';
import { bfloat16Bits, bfloat16Value, float16Bits, float16Value } from '../half.ts';
import type { Tensor } from '../tensor.ts';

const TO_FILE = {
  float32: 'F32',
  float64: 'F64',
  float16: 'F16',
  bfloat16: 'BF16',
  int64: 'I64',
  int32: 'I32',
  uint8: 'U8',
  bool: 'BOOL',
} as const satisfies Record<DType, string>;
const ITEM_SIZE: Record<string, number> = {
  F32: 4,
  F64: 8,
  I32: 4,
  I64: 8,
  BOOL: 1,
  U8: 1,
  I8: 1,
  F16: 2,
  BF16: 2,
  I16: 2,
};

export interface SafetensorsFile {
  tensors: Map<string, Tensor>;
  metadata: Record<string, string>;
}

/** Serialises tensors (in the given order) with optional string metadata. */
export function saveSafetensors(
  tensors: Map<string, Tensor> | Record<string, Tensor>,
  metadata: Record<string, string> = {},
): Uint8Array {
  const entries = tensors instanceof Map ? [...tensors] : Object.entries(tensors);
  const header: Record<string, unknown> = {};
  if (Object.keys(metadata).length) header.__metadata__ = metadata;
  const blobs: Uint8Array[] = [];
  let offset = 0;
  for (const [name, t] of entries) {
    if (name === '__metadata__')
      throw new Error('saveSafetensors: "__metadata__" is reserved and cannot name a tensor');
    const bytes = encodeTensor(t);
    header[name] = { dtype: TO_FILE[t.dtype], shape: t.shape, data_offsets: [offset, offset + bytes.length] };
    blobs.push(bytes);
    offset += bytes.length;
  }
  let json = JSON.stringify(header);
  // Pad the header with spaces so that the data starts 8-byte aligned.
  json += ' '.repeat((8 - ((8 + new TextEncoder().encode(json).length) % 8)) % 8);
  const headerBytes = new TextEncoder().encode(json);
  const out = new Uint8Array(8 + headerBytes.length + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(headerBytes.length), true);
  out.set(headerBytes, 8);
  let at = 8 + headerBytes.length;
  for (const b of blobs) {
    out.set(b, at);
    at += b.length;
  }
  return out;
}

interface HeaderEntry {
  dtype: string;
  shape: number[];
  data_offsets: [number, number];
}

function fail(message: string): never {
  throw new Error(`safetensors: ${message}`);
}

/** Parses and validates a safetensors file; every error names the tensor or field at fault. */
export function loadSafetensors(bytes: Uint8Array): SafetensorsFile {
  if (bytes.length < 8) fail(`file is ${bytes.length} bytes, too short for the 8-byte header length`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = Number(view.getBigUint64(0, true));
  if (headerLength > bytes.length - 8)
    fail(`header length ${headerLength} exceeds the file size (${bytes.length} bytes)`);
  let header: Record<string, unknown>;
  try {
    header = JSON.parse(
      new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + headerLength)),
    );
  } catch (e) {
    fail(`header is not valid UTF-8 JSON (${(e as Error).message})`);
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header))
    fail('header must be a JSON object');
  const dataStart = 8 + headerLength;
  const dataLength = bytes.length - dataStart;
  const metadata = (header.__metadata__ ?? {}) as Record<string, string>;
  if (typeof metadata !== 'object' || Object.values(metadata).some((v) => typeof v !== 'string'))
    fail('__metadata__ must map strings to strings');
  const tensors = new Map<string, Tensor>();
  const ranges: [number, number, string][] = [];
  for (const [name, raw] of Object.entries(header)) {
    if (name === '__metadata__') continue;
    const entry = raw as HeaderEntry;
    if (typeof entry !== 'object' || entry === null) fail(`tensor '${name}': header entry must be an object`);
    const size = Object.hasOwn(ITEM_SIZE, entry.dtype) ? ITEM_SIZE[entry.dtype] : undefined;
    if (size === undefined) fail(`tensor '${name}': unknown dtype '${String(entry.dtype)}'`);
    if (!Array.isArray(entry.shape) || entry.shape.some((d) => !Number.isInteger(d) || d < 0))
      fail(`tensor '${name}': shape must be a list of non-negative integers`);
    const [begin, end] = entry.data_offsets ?? [];
    if (
      !Number.isInteger(begin) ||
      !Number.isInteger(end) ||
      begin! < 0 ||
      end! < begin! ||
      end! > dataLength
    )
      fail(
        `tensor '${name}': data_offsets ${JSON.stringify(entry.data_offsets)} fall outside the ${dataLength}-byte data section`,
      );
    const count = entry.shape.reduce((a, b) => a * b, 1);
    if (end! - begin! !== count * size)
      fail(
        `tensor '${name}': ${end! - begin!} bytes of data do not match shape [${entry.shape.join(', ')}] of ${entry.dtype}`,
      );
    ranges.push([begin!, end!, name]);
    // A copy of the bytes (aligned, owning its buffer): a Node Buffer's slice() would be a view
    // into Node's shared pool, and the typed arrays below read the whole underlying buffer.
    tensors.set(
      name,
      decodeTensor(name, entry, new Uint8Array(bytes.subarray(dataStart + begin!, dataStart + end!))),
    );
  }
  ranges.sort((a, b) => a[0] - b[0]);
  for (let i = 1; i < ranges.length; i++)
    if (ranges[i]![0] < ranges[i - 1]![1])
      fail(`tensors '${ranges[i - 1]![2]}' and '${ranges[i]![2]}' overlap in the data section`);
  return { tensors, metadata };
}

/** The tensor's values as the file stores them (little-endian, 16-bit patterns for halves). */
function encodeTensor(t: Tensor): Uint8Array {
  const data = t.contiguous().dataSync();
  let out: TypedArray | BigInt64Array | Uint16Array = data;
  if (t.dtype === 'float16' || t.dtype === 'bfloat16') {
    const bits = t.dtype === 'float16' ? float16Bits : bfloat16Bits;
    out = Uint16Array.from(data as Float32Array, (v) => bits(v));
  } else if (t.dtype === 'int64') out = BigInt64Array.from(data as Float64Array, (v) => BigInt(v));
  return new Uint8Array(out.buffer, out.byteOffset, out.byteLength).slice();
}

function decodeTensor(name: string, entry: HeaderEntry, raw: Uint8Array): Tensor {
  const buffer = raw.buffer;
  const shape = entry.shape;
  let data: TypedArray;
  switch (entry.dtype) {
    case 'F32':
      data = new Float32Array(buffer);
      break;
    case 'F64':
      data = new Float64Array(buffer);
      break;
    case 'I32':
      data = new Int32Array(buffer);
      break;
    case 'BOOL':
      return tensor(new Uint8Array(buffer), { shape, dtype: 'bool' });
    case 'U8':
      return tensor(new Uint8Array(buffer), { shape, dtype: 'uint8' });
    case 'I64': {
      // The engine's int64 is exact for |x| ≤ 2^53 (see dtype.ts); larger values are refused.
      const wide = new BigInt64Array(buffer);
      const values = new Float64Array(wide.length);
      for (let i = 0; i < wide.length; i++) {
        const v = wide[i]!;
        if (v > 9007199254740992n || v < -9007199254740992n)
          fail(`tensor '${name}': int64 value ${v} is beyond ±2^53, the largest the engine holds exactly`);
        values[i] = Number(v);
      }
      return tensor(values, { shape, dtype: 'int64' });
    }
    case 'F16':
    case 'BF16': {
      // Half storage (as PyTorch saves .half() / bfloat16 weights) stays half; its values widen exactly.
      const bits = new Uint16Array(buffer);
      const value = entry.dtype === 'F16' ? float16Value : bfloat16Value;
      const values = Float32Array.from(bits, (h) => value(h));
      return tensor(values, { shape, dtype: entry.dtype === 'F16' ? 'float16' : 'bfloat16' });
    }
    default:
      fail(
        `tensor '${name}': dtype ${entry.dtype} is not supported by the engine (use F32, F64, F16, BF16, I32, I64, BOOL or U8)`,
      );
  }
  return tensor(data, { shape });
}
