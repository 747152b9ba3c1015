// An image folder as a dataset: one subfolder per class, PNG or JPEG; the CLI decodes and fits
// them as the studio does, trains, evaluates, skips a file it cannot read and refuses a folder
// that changed since import. The fitting itself is checked pixel by pixel.
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { channelStats, folderHash, imageSample } from '@hgrad/train';
import { decodeImage } from './dataset-files.ts';
import { run } from './run-cli.test-helper.ts';

function png(
  width: number,
  height: number,
  pixel: (x: number, y: number) => [number, number, number, number],
) {
  const p = new PNG({ width, height });
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) p.data.set(pixel(x, y), 4 * (y * width + x));
  return PNG.sync.write(p);
}

describe('image samples', () => {
  it('fit into a square with a box filter, white margins, transparency over white, RGB in order', () => {
    // 4×2 image → 2×2: columns pair up; the picture is centred, white margins above and below.
    const rgba = new Uint8Array(4 * 2 * 4);
    for (let i = 0; i < 8; i++) rgba.set([i * 30, 0, 255, 255], 4 * i);
    const gray = imageSample(rgba, 4, 2, 2, 1);
    const g = (v: number) => (v + 0 + 255) / 765;
    // Row 0 of the output covers source rows -1..0 (a white margin and row 0); row 1 covers 1..2.
    expect(Array.from(gray)).toEqual(
      [
        (1 + 1 + g(0) + g(30)) / 4,
        (1 + 1 + g(60) + g(90)) / 4,
        (g(120) + g(150) + 1 + 1) / 4,
        (g(180) + g(210) + 1 + 1) / 4,
      ].map((v) => Math.fround(v)),
    );
    const rgb = imageSample(new Uint8Array([10, 20, 30, 255]), 1, 1, 1, 3);
    expect(Array.from(rgb)).toEqual([10 / 255, 20 / 255, 30 / 255].map(Math.fround));
    // A transparent pixel is white.
    expect(Array.from(imageSample(new Uint8Array([0, 0, 0, 0]), 1, 1, 1, 1))).toEqual([1]);
  });
});

describe('hgrad with an image folder dataset', () => {
  it('trains on the class subfolders, skips an unreadable file, and refuses a changed folder', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hgrad-images-'));
    const root = join(dir, 'stripes');
    const used: { path: string; sha256: string }[] = [];
    const samples: Float32Array[] = [];
    for (const [label, name] of ['horizontal', 'vertical'].entries()) {
      mkdirSync(join(root, name), { recursive: true });
      for (let i = 0; i < 12; i++) {
        const bytes = png(16, 16, (x, y) => {
          const on = (label === 0 ? y : x) % 4 < 2;
          const ink = 10 + i * 5;
          return on ? [ink, ink, ink, 255] : [235, 235, 235, 255];
        });
        const file = `${String(i).padStart(2, '0')}.png`;
        writeFileSync(join(root, name, file), bytes);
        used.push({ path: `${name}/${file}`, sha256: createHash('sha256').update(bytes).digest('hex') });
        const img = decodeImage(new Uint8Array(bytes), file)!;
        samples.push(imageSample(img.rgba, img.width, img.height, 8, 1));
      }
    }
    // Malformed entries: an unreadable file, a 0-byte image, a file of another kind, an empty class.
    writeFileSync(join(root, 'vertical', 'broken.png'), 'not an image');
    writeFileSync(join(root, 'vertical', 'empty.jpg'), '');
    writeFileSync(join(root, 'horizontal', 'notes.txt'), 'not a picture at all');
    mkdirSync(join(root, 'unused'));
    writeFileSync(join(root, 'README.md'), 'stripes');
    const sha = async (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
    const pixels = new Float32Array(samples.length * 64);
    samples.forEach((s, i) => pixels.set(s, i * 64));
    const images = {
      version: 1,
      folder: { name: 'stripes', files: 24, sha256: await folderHash(used, sha) },
      classes: ['horizontal', 'vertical'],
      size: 8,
      channels: 1,
      normalize: 'standard',
      stats: channelStats(pixels, 1, 8),
      skipped: { count: 2, files: ['vertical/broken.png', 'vertical/empty.jpg'] },
    };
    const doc = {
      format: 'hgrad',
      version: 3,
      metadata: { name: 'stripes' },
      nodes: [
        { id: 'data', kind: 'Dataset', params: { name: 'images', images }, position: { x: 0, y: 0 } },
        { id: 'flat', kind: 'Flatten', params: {}, position: { x: 1, y: 0 } },
        { id: 'fc', kind: 'Linear', params: { inFeatures: 64, outFeatures: 2 }, position: { x: 2, y: 0 } },
        { id: 'loss', kind: 'CrossEntropyLoss', params: {}, position: { x: 3, y: 0 } },
      ],
      edges: [
        { id: 'e1', source: { node: 'data', port: 'x' }, target: { node: 'flat', port: 'input' } },
        { id: 'e2', source: { node: 'flat', port: 'output' }, target: { node: 'fc', port: 'input' } },
        { id: 'e3', source: { node: 'fc', port: 'output' }, target: { node: 'loss', port: 'input' } },
        { id: 'e4', source: { node: 'data', port: 'y' }, target: { node: 'loss', port: 'target' } },
      ],
      training: {
        optimizer: { kind: 'adam', lr: 0.05 },
        epochs: 30,
        batchSize: 8,
        seed: 0,
        validationSplit: 0.25,
      },
    };
    const file = join(dir, 'stripes.hgrad.json');
    writeFileSync(file, JSON.stringify(doc));
    const out = join(dir, 'out');
    const trained = await run('train', file, '--out', out);
    expect(trained.err).toBe('');
    expect(trained.out).toContain('training stripes: 130 parameters, 24 samples');
    const report = JSON.parse(
      (await run('evaluate', file, '--weights', join(out, 'weights.safetensors'), '--format', 'json')).out,
    ) as { samples: number; accuracy: number };
    expect(report.samples).toBe(6);
    expect(report.accuracy).toBe(1);
    // One more image: not the folder the document was made with.
    writeFileSync(
      join(root, 'vertical', '99.png'),
      png(16, 16, () => [0, 0, 0, 255]),
    );
    const changed = await run('train', file, '--out', out);
    expect(changed.code).toBe(1);
    expect(changed.err).toMatch(
      /^hgrad: dataset 'images': .*stripes is not the folder the document was made with \(25 images/,
    );
  });
});
