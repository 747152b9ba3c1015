// Data readers at their limits: a gzip bomb stops while inflating (at the limit, or as soon as
// an IDX file holds more than its header promises), a corrupt gzip names the file, CSV cells are
// decimal numbers only, the delimiter is one character, and mapping many classes stays linear.
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { data } from '../src/index.ts';

const idx = (shape: number[], values: Uint8Array) => {
  const header = new Uint8Array(4 + 4 * shape.length);
  const view = new DataView(header.buffer);
  header[2] = 0x08;
  header[3] = shape.length;
  shape.forEach((d, i) => view.setUint32(4 + 4 * i, d));
  const out = new Uint8Array(header.length + values.length);
  out.set(header);
  out.set(values, header.length);
  return out;
};

describe('gzip and IDX limits', () => {
  it('stops inflating a bomb at the limit, never holding the whole of it', async () => {
    const bomb = gzipSync(new Uint8Array(64 * 2 ** 20)); // 64 MiB of zeros in ~64 kB
    expect(bomb.length).toBeLessThan(200_000);
    await expect(data.gunzip(bomb, { name: 'bomb.gz', limit: 2 ** 20 })).rejects.toThrow(
      'bomb.gz: inflates to more than 1048576 bytes (the limit); not reading further',
    );
  });

  it('stops an IDX file as soon as it holds more than its header promises', async () => {
    const values = new Uint8Array(32 * 2 ** 20);
    const file = idx([2, 2], values); // promises 4 values, holds 32 MiB
    await expect(data.readIdx(gzipSync(file), 'images')).rejects.toThrow(
      'images: inflates to more than the 16 bytes its header promises',
    );
    const good = idx([2, 2], new Uint8Array([1, 2, 3, 4]));
    expect((await data.readIdx(gzipSync(good), 'images')).shape).toEqual([2, 2]);
  });

  it('a corrupt gzip names the file', async () => {
    const broken = gzipSync(idx([1], new Uint8Array([7]))).slice();
    broken.fill(0xff, 10, 20);
    await expect(data.readIdx(broken, 'labels')).rejects.toThrow(/^labels: not valid gzip data/);
  });
});

describe('CSV limits', () => {
  it('accepts decimal numbers only (no hex, no Infinity, no empty cells)', () => {
    expect(data.parseCsv('a,b,label\n1.5e2,-.5,x\n+3,4.,y\n').x.tolist()).toEqual([
      [150, -0.5],
      [3, 4],
    ]);
    expect(() => data.parseCsv('a,label\n0x10,cat\nInfinity,dog\n,cat\n')).toThrow(
      "csv: 3 problem(s):\n  line 2, column 'a': '0x10' is not a number\n  line 3, column 'a': 'Infinity' is not a number\n  line 4, column 'a': '' is not a number",
    );
  });

  it('refuses a delimiter of more than one character and unknown options, by name', () => {
    expect(() => data.parseCsv('a;;b\n1;;2', { delimiter: ';;' })).toThrow(
      'parseCsv: delimiter must be one character (not a quote or a line break)',
    );
    expect(() => data.parseCsv('a\n1', { delimeter: ';' } as never)).toThrow(
      "parseCsv: unknown option 'delimeter' (did you mean 'delimiter'?)",
    );
    expect(data.parseCsv('a;label\n1;x', { delimiter: ';' }).classes).toEqual(['x']);
  });

  it('maps 80,000 classes to indices in one pass', () => {
    const rows = Array.from({ length: 80_000 }, (_, i) => `${i},c${i}`).join('\n');
    const ds = data.parseCsv(`v,label\n${rows}\n`);
    expect(ds.classes.length).toBe(80_000);
    const y = ds.y.dataSync();
    // Classes are sorted as strings: check a few rows map back to their own label.
    for (const row of [0, 1, 12_345, 79_999]) expect(ds.classes[y[row]!]).toBe(`c${row}`);
  });
});
