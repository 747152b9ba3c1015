// A user's image folder as training data. Hosts decode the files (the studio's worker with the
// browser's decoders, the CLI with pngjs and jpeg-js) to RGBA; from there everything is here, so
// both make the same samples: each image fitted into size × size with a box filter (white margins,
// transparent pixels over white), grayscale or RGB, values in [0, 1], then standardised per
// channel when the spec says so.
import * as hg from '@hgrad/engine';
import type { ImagesSpec } from '@hgrad/ir';

export const IMAGE_FILES = /\.(png|jpe?g)$/i;

/** One image as a [channels, size, size] sample in [0, 1]. */
export function imageSample(
  rgba: ArrayLike<number>,
  width: number,
  height: number,
  size: number,
  channels: 1 | 3,
): Float32Array {
  const out = new Float32Array(channels * size * size);
  const scale = Math.max(width / size, height / size);
  const [ox, oy] = [(size * scale - width) / 2, (size * scale - height) / 2];
  const value = (sx: number, sy: number, c: number): number => {
    if (sx < 0 || sy < 0 || sx >= width || sy >= height) return 1;
    const i = 4 * (sy * width + sx);
    const a = rgba[i + 3]! / 255;
    const v = channels === 1 ? (rgba[i]! + rgba[i + 1]! + rgba[i + 2]!) / 765 : rgba[i + c]! / 255;
    return v * a + (1 - a);
  };
  for (let c = 0; c < channels; c++)
    for (let y = 0; y < size; y++)
      for (let x = 0; x < size; x++) {
        let sum = 0;
        let count = 0;
        const [y0, y1] = [Math.floor(y * scale - oy), Math.ceil((y + 1) * scale - oy)];
        const [x0, x1] = [Math.floor(x * scale - ox), Math.ceil((x + 1) * scale - ox)];
        for (let sy = y0; sy < Math.max(y1, y0 + 1); sy++)
          for (let sx = x0; sx < Math.max(x1, x0 + 1); sx++) {
            sum += value(sx, sy, c);
            count++;
          }
        out[(c * size + y) * size + x] = sum / count;
      }
  return out;
}

/** Decoded samples of a folder, in file order: pixels [n, C, size, size] and class indices. */
export interface ImageSamples {
  pixels: Float32Array;
  labels: number[];
}

/** The folder's identity: a sha256 over every used file's class/name and its own sha256, sorted. */
export async function folderHash(
  files: readonly { path: string; sha256: string }[],
  sha256: (bytes: Uint8Array<ArrayBuffer>) => Promise<string>,
): Promise<string> {
  const lines = [...files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return sha256(new TextEncoder().encode(lines.map((f) => `${f.path}\n${f.sha256}\n`).join('')));
}

/** Per-channel mean and population deviation of samples in [0, 1]. */
export function channelStats(
  pixels: Float32Array,
  channels: number,
  size: number,
): { mean: number[]; std: number[] } {
  const plane = size * size;
  const n = pixels.length / (channels * plane);
  const mean = new Array<number>(channels).fill(0);
  const sq = new Array<number>(channels).fill(0);
  for (let s = 0; s < n; s++)
    for (let c = 0; c < channels; c++)
      for (let k = 0; k < plane; k++) mean[c]! += pixels[(s * channels + c) * plane + k]!;
  for (let c = 0; c < channels; c++) mean[c]! /= n * plane;
  for (let s = 0; s < n; s++)
    for (let c = 0; c < channels; c++)
      for (let k = 0; k < plane; k++) sq[c]! += (pixels[(s * channels + c) * plane + k]! - mean[c]!) ** 2;
  return { mean, std: sq.map((v) => Math.sqrt(v / (n * plane))) };
}

/** The samples as tensors, normalised as the spec says. */
export function imagesData(samples: ImageSamples, spec: ImagesSpec): { x: hg.Tensor; y: hg.Tensor } {
  const { size, channels } = spec;
  const n = samples.labels.length;
  const plane = size * size;
  if (samples.pixels.length !== n * channels * plane)
    throw new Error(
      `images: ${samples.pixels.length} values for ${n} images of [${channels}, ${size}, ${size}] (expected ${n * channels * plane})`,
    );
  const x = Float32Array.from(samples.pixels);
  if (spec.normalize === 'standard' && spec.stats)
    for (let s = 0; s < n; s++)
      for (let c = 0; c < channels; c++) {
        const [m, d] = [spec.stats.mean[c]!, spec.stats.std[c]! || 1];
        for (let k = 0; k < plane; k++)
          x[(s * channels + c) * plane + k] = (x[(s * channels + c) * plane + k]! - m) / d;
      }
  return {
    x: hg.tensor(x, { shape: [n, channels, size, size] }),
    y: hg.tensor(Float64Array.from(samples.labels), { dtype: 'int64' }),
  };
}
