// What `hgrad predict --input` reads besides a safetensors tensor: a CSV/TSV of rows (the model's
// feature columns found by name for a table dataset, standardised as its spec says; every column
// in order otherwise) or a PNG/JPEG image (fitted to the model's image size, grayscale, inverted
// when its background is light, as Fashion-MNIST's garments are light on black).
import { readFile } from 'node:fs/promises';
import * as hg from '@hgrad/engine';
import type { DatasetParams } from '@hgrad/ir';
import { guessDelimiter, splitFields, standardizeRow } from '@hgrad/train';
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { UserError } from './io.ts';

/** Rows of a table as the model's input [rows, features]; each refusal names the line and column. */
export function tableInput(text: string, params: DatasetParams, features: number, file: string): hg.Tensor {
  const d = guessDelimiter(text);
  const lines = text
    .split(/\r?\n/)
    .map((l, i) => ({ l, n: i + 1 }))
    .filter(({ l }) => l.trim() !== '');
  if (lines.length < 2) throw new UserError(`predict: ${file} needs a header row and at least one row`);
  const header = splitFields(lines[0]!.l, d);
  const spec = params.name === 'table' ? params.table : undefined;
  let at: number[];
  if (spec) {
    const missing = spec.features.filter((f) => !header.includes(f));
    if (missing.length)
      throw new UserError(
        `predict: ${file} has no column ${missing.map((m) => `'${m}'`).join(', ')} (the model's features: ${spec.features.join(', ')})`,
      );
    at = spec.features.map((f) => header.indexOf(f));
  } else {
    if (header.length !== features)
      throw new UserError(
        `predict: ${file} has ${header.length} columns; the model takes ${features} features`,
      );
    at = header.map((_, i) => i);
  }
  const rows: number[] = [];
  for (const { l, n } of lines.slice(1)) {
    const cells = splitFields(l, d);
    const row = at.map((j) => {
      const v = Number(cells[j]);
      if (cells[j] === undefined || cells[j] === '' || !Number.isFinite(v))
        throw new UserError(
          `predict: ${file} line ${n}, column '${header[j]}': '${cells[j] ?? ''}' is not a number`,
        );
      return v;
    });
    rows.push(...(spec ? standardizeRow(spec, row) : row));
  }
  return hg.tensor(Float32Array.from(rows), { shape: [rows.length / at.length, at.length] });
}

/** An image file as one sample [1, C, H, W] of the model's image shape. */
export async function imageInput(path: string, shape: readonly number[]): Promise<hg.Tensor> {
  const [c, h, w] = shape as [number, number, number];
  if (shape.length !== 3 || c !== 1)
    throw new UserError(
      `predict: the model takes [${shape.join(', ')}] samples; an image input needs a model of grayscale images [1, H, W]`,
    );
  const bytes = await readFile(path);
  let width: number;
  let height: number;
  let rgba: Uint8Array;
  try {
    if (/\.png$/i.test(path)) {
      const png = PNG.sync.read(bytes);
      [width, height, rgba] = [png.width, png.height, new Uint8Array(png.data)];
    } else {
      const img = jpeg.decode(bytes, { useTArray: true, maxMemoryUsageInMB: 256 });
      [width, height, rgba] = [img.width, img.height, img.data];
    }
  } catch (e) {
    throw new UserError(`predict: ${path} is not a readable image (${(e as Error).message})`);
  }
  // Grayscale over white (transparent pixels are background), then a box filter down to h × w.
  const gray = new Float32Array(width * height);
  for (let i = 0; i < gray.length; i++) {
    const a = rgba[4 * i + 3]! / 255;
    const g = (rgba[4 * i]! + rgba[4 * i + 1]! + rgba[4 * i + 2]!) / 765;
    gray[i] = g * a + (1 - a);
  }
  const scale = Math.max(width / w, height / h);
  const [ox, oy] = [(w * scale - width) / 2, (h * scale - height) / 2];
  const out = new Float32Array(h * w);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      let sum = 0;
      let count = 0;
      for (let sy = Math.floor(y * scale - oy); sy < Math.ceil((y + 1) * scale - oy); sy++)
        for (let sx = Math.floor(x * scale - ox); sx < Math.ceil((x + 1) * scale - ox); sx++) {
          sum += sy >= 0 && sx >= 0 && sy < height && sx < width ? gray[sy * width + sx]! : 1;
          count++;
        }
      out[y * w + x] = count ? sum / count : 1;
    }
  const mean = out.reduce((a, b) => a + b, 0) / out.length;
  if (mean > 0.5) for (let i = 0; i < out.length; i++) out[i] = 1 - out[i]!;
  return hg.tensor(out, { shape: [1, 1, h, w] });
}
