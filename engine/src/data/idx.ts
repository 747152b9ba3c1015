// The IDX format (MNIST, Fashion-MNIST): a magic number naming the element type and rank, the
// sizes as big-endian uint32, then the raw data. gzip input is inflated with the web-standard
// DecompressionStream, available in Node, browsers and workers.
import { tensor } from '../creation.ts';
import type { Tensor } from '../tensor.ts';

export interface IdxArray {
  shape: number[];
  data: Uint8Array;
}

export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

export async function gunzip(bytes: Uint8Array): Promise<Uint8Array> {
  const stream = new Blob([new Uint8Array(bytes)]).stream().pipeThrough(new DecompressionStream('gzip'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
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
  return parseIdx(isGzip(bytes) ? await gunzip(bytes) : bytes, name);
}

/** Images as float32 [n, 1, 28, 28] scaled to [0, 1], labels as int32 [n]. */
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
    y: tensor(Int32Array.from(labels.data)),
  };
}
