// hgrad predict on a person's own files: a CSV of feature rows (checked line by line and column)
// and a PNG or JPEG image (fitted, grayscale, inverted when light) give what the same tensors give.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as hg from '@hgrad/engine';
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { run } from './run-cli.test-helper.ts';

const examples = new URL('../../../examples/', import.meta.url).pathname;

describe('hgrad predict with a CSV or an image', () => {
  it('predicts rows of a CSV as the same tensor would, naming a bad cell by line and column', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hgrad-predict-'));
    expect(
      (await run('train', join(examples, 'mlp-blobs.hgrad.json'), '--epochs', '2', '--out', dir)).code,
    ).toBe(0);
    const weights = join(dir, 'weights.safetensors');
    writeFileSync(join(dir, 'rows.csv'), 'x,y\n1.5,-2\n-4,3.25\n0,0\n');
    const r = await run('predict', weights, '--input', join(dir, 'rows.csv'));
    expect(r.code).toBe(0);
    expect(r.out.split('\n')[0]).toBe(
      `predicted 3×3 from input 3×2; wrote ${join(dir, 'rows.output.safetensors')}`,
    );
    expect(
      r.out
        .split('\n')
        .slice(1)
        .map((l) => l.split(':')[0]),
    ).toEqual(['1', '2', '3']);
    const viaCsv = hg
      .loadSafetensors(
        new Uint8Array((await import('node:fs')).readFileSync(join(dir, 'rows.output.safetensors'))),
      )
      .tensors.get('output')!;
    writeFileSync(
      join(dir, 'rows.safetensors'),
      hg.saveSafetensors({
        input: hg.tensor(
          [
            [1.5, -2],
            [-4, 3.25],
            [0, 0],
          ],
          { dtype: 'float32' },
        ),
      }),
    );
    await run(
      'predict',
      weights,
      '--input',
      join(dir, 'rows.safetensors'),
      '--out',
      join(dir, 'same.safetensors'),
    );
    const viaTensor = hg
      .loadSafetensors(new Uint8Array((await import('node:fs')).readFileSync(join(dir, 'same.safetensors'))))
      .tensors.get('output')!;
    expect(viaCsv.tolist()).toEqual(viaTensor.tolist());
    writeFileSync(join(dir, 'bad.csv'), 'x,y\n1,2\n3,oops\n');
    const bad = await run('predict', weights, '--input', join(dir, 'bad.csv'));
    expect(bad).toMatchObject({
      code: 1,
      err: `hgrad: predict: ${join(dir, 'bad.csv')} line 3, column 'y': 'oops' is not a number`,
    });
    writeFileSync(join(dir, 'wide.csv'), 'x,y,z\n1,2,3\n');
    expect((await run('predict', weights, '--input', join(dir, 'wide.csv'))).err).toBe(
      `hgrad: predict: ${join(dir, 'wide.csv')} has 3 columns; the model takes 2 features`,
    );
    // An image for a model of points says why it cannot be used.
    writeFileSync(join(dir, 'img.png'), PNG.sync.write(Object.assign(new PNG({ width: 2, height: 2 }), {})));
    expect((await run('predict', weights, '--input', join(dir, 'img.png'))).err).toBe(
      'hgrad: predict: the model takes [2] samples; an image input needs a model of square images [1 or 3, H, W]',
    );
  });

  it('predicts a PNG and a JPEG of the same picture alike, as the fitted 28×28 tensor does', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hgrad-predict-'));
    expect(
      (await run('train', join(examples, 'mlp-fashion.hgrad.json'), '--epochs', '1', '--out', dir)).code,
    ).toBe(0);
    const weights = join(dir, 'weights.safetensors');
    // Dark trousers on white, 56×56: each 2×2 block is one of the 28×28 pixels.
    const size = 56;
    const rgba = new Uint8Array(size * size * 4);
    const pixels = new Float32Array(28 * 28);
    for (let y = 0; y < size; y++)
      for (let x = 0; x < size; x++) {
        const leg = y >= 6 && y < 52 && ((x >= 16 && x < 24) || (x >= 32 && x < 40));
        rgba.set(leg ? [0, 0, 0, 255] : [255, 255, 255, 255], 4 * (y * size + x));
        if (leg) pixels[(y >> 1) * 28 + (x >> 1)] = 1;
      }
    const png = new PNG({ width: size, height: size });
    png.data = Buffer.from(rgba);
    writeFileSync(join(dir, 'trousers.png'), PNG.sync.write(png));
    writeFileSync(
      join(dir, 'trousers.jpg'),
      jpeg.encode({ data: rgba, width: size, height: size }, 100).data,
    );
    writeFileSync(
      join(dir, 'trousers.safetensors'),
      hg.saveSafetensors({ input: hg.tensor(pixels, { shape: [1, 1, 28, 28] }) }),
    );
    const fromPng = await run('predict', weights, '--input', join(dir, 'trousers.png'));
    const fromJpg = await run('predict', weights, '--input', join(dir, 'trousers.jpg'));
    const fromTensor = await run('predict', weights, '--input', join(dir, 'trousers.safetensors'));
    expect(fromPng.code).toBe(0);
    const top = (r: { out: string }) => r.out.split('\n')[1]!;
    // The PNG is exactly the tensor; the JPEG's compression moves probabilities a little, not the class.
    expect(top(fromPng)).toBe(top(fromTensor));
    expect(top(fromJpg).split(' ')[1]).toBe(top(fromTensor).split(' ')[1]);
    expect(top(fromPng)).toMatch(/^1: Trouser \d+\.\d%/);
    writeFileSync(join(dir, 'broken.png'), 'not a png');
    expect((await run('predict', weights, '--input', join(dir, 'broken.png'))).err).toMatch(
      /^hgrad: predict: .*broken\.png is not a readable PNG or JPEG image$/,
    );
  });
});
