// The IDX format (MNIST, Fashion-MNIST): a magic number naming the element type and rank, the
// sizes as big-endian uint32, then the raw data. gzip input is inflated with the web-standard
// DecompressionStream, available in Node, browsers and workers, as a stream whose size is
// checked while it inflates: a gzip bomb stops at the limit (or, for IDX, as soon as it holds
// more than its header promises), never after filling memory. Errors name the file.
import { tensor } from '../creation.ts';
import type { Tensor } from '../tensor.ts';

export interface IdxArray {
  shape: number[];
  data: Uint8Array;
}

export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/** The most a gzip input may inflate to by default (Fashion-MNIST's images are 47 MB). */
export const GUNZIP_LIMIT = 512 * 2 ** 20;

export interface GunzipOptions {
  /** Named in errors ('images', a file name). */
  name?: string;
  /** Stop with an error past this many inflated bytes (default GUNZIP_LIMIT). */
  limit?: number;
  /** Called with what has inflated so far; returns a smaller limit once it knows one (a header). */
  expect?: (head: Uint8Array) => number | undefined;
}

export async function gunzip(
  bytes: Uint8Array,
  { name = 'gzip data', limit = GUNZIP_LIMIT, expect }: GunzipOptions = {},
): Promise<Uint8Array> {
  const reader = new Blob([new Uint8Array(bytes)])
    .stream()
    .pipeThrough(new DecompressionStream('gzip'))
    .getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  let bound = limit;
  let known = false;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      total += value.length;
      if (!known && expect) {
        const head = chunks.length === 1 ? value : concat(chunks, total);
        const size = expect(head);
        if (size !== undefined) {
          known = true;
          bound = Math.min(bound, size);
        }
      }
      if (total > bound) {
        await reader.cancel().catch(() => undefined);
        throw new Error(
          known
            ? `${name}: inflates to more than the ${bound} bytes its header promises`
            : `${name}: inflates to more than ${bound} bytes (the limit); not reading further`,
        );
      }
    }
  } catch (e) {
    if ((e as Error).message.startsWith(`${name}:`)) throw e;
    throw new Error(`${name}: not valid gzip data (${(e as Error).message})`, { cause: e });
  }
  return concat(chunks, total);
}

function concat(chunks: readonly Uint8Array[], total: number): Uint8Array {
  if (chunks.length === 1) return chunks[0]!;
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

/** The whole size an IDX file's header promises, once enough of it is there (else undefined). */
function idxSize(head: Uint8Array): number | undefined {
  if (head.length < 4) return undefined;
  const rank = head[3]!;
  if (head.length < 4 + 4 * rank) return undefined;
  const view = new DataView(head.buffer, head.byteOffset, head.byteLength);
  let size = 1;
  for (let i = 0; i < rank; i++) size *= view.getUint32(4 + 4 * i);
  return 4 + 4 * rank + size;
}

/** Parses unsigned-byte IDX data (the only element type Fashion-MNIST uses). */
export function parseIdx(bytes: Uint8Array, name = 'IDX data'): IdxArray {
  if (bytes.length < 4) throw new Error(`${name}: too short to be an IDX file (${bytes.length} bytes)`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes[0] !== 0 || bytes[1] !== 0) throw new Error(`${name}: not an IDX file (bad magic number)`);
  if (bytes[2] !== 0x08)
    throw new Error(
      `${name}: element type 0x${bytes[2]!.toString(16)} is not supported (only unsigned bytes, 0x08)`,
    );
  const rank = bytes[3]!;
  const header = 4 + 4 * rank;
  if (bytes.length < header) throw new Error(`${name}: truncated header`);
  const shape = Array.from({ length: rank }, (_, i) => view.getUint32(4 + 4 * i));
  const size = shape.reduce((a, b) => a * b, 1);
  if (bytes.length - header !== size)
    throw new Error(
      `${name}: header promises ${size} values for shape [${shape.join(', ')}], but the file holds ${bytes.length - header}`,
    );
  return { shape, data: bytes.subarray(header) };
}

export async function readIdx(bytes: Uint8Array, name?: string): Promise<IdxArray> {
  return parseIdx(
    isGzip(bytes) ? await gunzip(bytes, { ...(name ? { name } : {}), expect: idxSize }) : bytes,
    name,
  );
}

/** Images as float32 [n, 1, 28, 28] scaled to [0, 1], labels as int64 [n] (as torchvision's). */
export async function fashionMnist(
  imageBytes: Uint8Array,
  labelBytes: Uint8Array,
): Promise<{ x: Tensor; y: Tensor }> {
  const images = await readIdx(imageBytes, 'images');
  const labels = await readIdx(labelBytes, 'labels');
  if (images.shape.length !== 3)
    throw new Error(`images: expected a rank-3 IDX array, got shape [${images.shape.join(', ')}]`);
  if (labels.shape.length !== 1 || labels.shape[0] !== images.shape[0])
    throw new Error(`labels: expected ${images.shape[0]} labels, got shape [${labels.shape.join(', ')}]`);
  const pixels = new Float32Array(images.data.length);
  for (let i = 0; i < pixels.length; i++) pixels[i] = images.data[i]! / 255;
  const [n, h, w] = images.shape as [number, number, number];
  return {
    x: tensor(pixels, { shape: [n, 1, h, w] }),
    y: tensor(Float64Array.from(labels.data), { dtype: 'int64' }),
  };
}
