// Decoding an image folder in the worker (the page stays responsive): each file through the
// browser's own decoder (no colour conversion), then fitted by @hgrad/train's imageSample so the
// samples equal what the CLI makes; a file that cannot be decoded is listed, not fatal.
import type { RuntimeResult } from '@hgrad/protocol';
import { imageSample, IMAGE_FILES } from '@hgrad/train';

type Decoded = Extract<RuntimeResult, { type: 'decodedImages' }>;

async function sha256(bytes: ArrayBuffer): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', bytes);
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}

async function rgbaOf(blob: Blob): Promise<{ rgba: Uint8ClampedArray; width: number; height: number }> {
  const bitmap = await createImageBitmap(blob, { colorSpaceConversion: 'none', premultiplyAlpha: 'none' });
  const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
  const ctx = canvas.getContext('2d', { willReadFrequently: true })!;
  ctx.drawImage(bitmap, 0, 0);
  const { data } = ctx.getImageData(0, 0, bitmap.width, bitmap.height);
  bitmap.close();
  return { rgba: data, width: canvas.width, height: canvas.height };
}

export async function decodeImages(
  files: readonly { path: string; blob: Blob }[],
  size: number,
  channels: 1 | 3,
  onProgress: (fraction: number) => void,
): Promise<Decoded> {
  if (typeof createImageBitmap !== 'function' || typeof OffscreenCanvas !== 'function')
    throw new Error(
      'decodeImages: this runtime has no image decoder (the studio decodes in its browser worker; the CLI reads folders itself)',
    );
  const images = files
    .filter((f) => f.path.split('/').length === 2 && IMAGE_FILES.test(f.path))
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const classes = [...new Set(images.map((f) => f.path.split('/')[0]!))].sort();
  if (classes.length < 2)
    throw new Error(
      `decodeImages: found ${classes.length} class folder${classes.length === 1 ? '' : 's'} with images; a folder needs one subfolder per class (at least 2), each holding PNG or JPEG files`,
    );
  const samples: Float32Array[] = [];
  const labels: number[] = [];
  const used: Decoded['used'] = [];
  const skipped: Decoded['skipped'] = [];
  for (const [k, file] of images.entries()) {
    try {
      const bytes = await file.blob.arrayBuffer();
      const { rgba, width, height } = await rgbaOf(file.blob);
      samples.push(imageSample(rgba, width, height, size, channels));
      labels.push(classes.indexOf(file.path.split('/')[0]!));
      used.push({ path: file.path, sha256: await sha256(bytes) });
    } catch (e) {
      skipped.push({ path: file.path, reason: (e as Error).message || 'cannot be decoded' });
    }
    if (k % 50 === 49) onProgress(k / images.length);
  }
  onProgress(1);
  const per = channels * size * size;
  const pixels = new Float32Array(samples.length * per);
  samples.forEach((s, i) => pixels.set(s, i * per));
  return { type: 'decodedImages', pixels, labels, classes, used, skipped };
}
