// What `hgrad predict --input` reads besides a safetensors tensor: a CSV/TSV of rows (the model's
// feature columns found by name for a table dataset, standardised as its spec says; every column
// in order otherwise) or a PNG/JPEG image (fitted to the model's image size, grayscale, inverted
// when its background is light, as Fashion-MNIST's garments are light on black).
import { readFile } from 'node:fs/promises';
import * as hg from '@hgrad/engine';
import type { DatasetParams } from '@hgrad/ir';
import { guessDelimiter, imageSample, imagesData, splitFields, standardizeRow } from '@hgrad/train';
import { decodeImage } from './dataset-files.ts';
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

/**
 * An image file as one sample [1, C, size, size] of the model's image shape, made as the studio
 * makes its image folders' samples (then standardised as an image folder's spec says); for
 * Fashion-MNIST a light background is inverted, its garments being light on black.
 */
export async function imageInput(
  path: string,
  params: DatasetParams,
  shape: readonly number[],
): Promise<hg.Tensor> {
  const [c, h, w] = shape as [number, number, number];
  if (shape.length !== 3 || (c !== 1 && c !== 3) || h !== w)
    throw new UserError(
      `predict: the model takes [${shape.join(', ')}] samples; an image input needs a model of square images [1 or 3, H, W]`,
    );
  const image = decodeImage(new Uint8Array(await readFile(path)), path);
  if (!image) throw new UserError(`predict: ${path} is not a readable PNG or JPEG image`);
  const sample = imageSample(image.rgba, image.width, image.height, h, c as 1 | 3);
  if (params.name === 'fashion-mnist') {
    const mean = sample.reduce((a, b) => a + b, 0) / sample.length;
    if (mean > 0.5) for (let i = 0; i < sample.length; i++) sample[i] = 1 - sample[i]!;
  }
  if (params.name === 'images' && params.images)
    return imagesData({ pixels: sample, labels: [0] }, params.images).x;
  return hg.tensor(sample, { shape: [1, c, h, w] });
}
