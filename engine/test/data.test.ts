// Data: DataLoader batching and seeded shuffling, splits, synthetic sets, IDX, text and CSV.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as hg from '../src/index.ts';
import { data } from '../src/index.ts';

const root = new URL('../../', import.meta.url);

describe('DataLoader', () => {
  const ds = new data.TensorDataset(hg.arange(10).float().reshape(10, 1), hg.arange(10));

  it('batches in order, keeps or drops the last partial batch', () => {
    const batches = [...new data.DataLoader(ds, { batchSize: 4 })];
    expect(batches.map(([, y]) => y!.tolist())).toEqual([
      [0, 1, 2, 3],
      [4, 5, 6, 7],
      [8, 9],
    ]);
    expect(new data.DataLoader(ds, { batchSize: 4, dropLast: true }).length).toBe(2);
    expect([...new data.DataLoader(ds, { batchSize: 4, dropLast: true })].length).toBe(2);
  });

  it('shuffles reproducibly with a seeded generator, like PyTorch randperm', () => {
    const order = (seed: number) =>
      [
        ...new data.DataLoader(ds, { batchSize: 10, shuffle: true, generator: new hg.Generator(seed) }),
      ][0]![1]!.tolist();
    expect(order(1)).toEqual(order(1));
    expect(order(1)).not.toEqual(order(2));
    hg.manualSeed(1);
    expect(order(1)).toEqual(hg.randperm(10).tolist());
  });

  it('collates sample lists with the default or a custom collate', () => {
    const general = { length: 3, get: (i: number) => [hg.tensor([i, i]), hg.tensor(i)] };
    const [x, y] = [...new data.DataLoader(general, { batchSize: 3 })][0] as hg.Tensor[];
    expect(x!.tolist()).toEqual([
      [0, 0],
      [1, 1],
      [2, 2],
    ]);
    expect(y!.tolist()).toEqual([0, 1, 2]);
    const sums = [...new data.DataLoader(general, { batchSize: 2, collateFn: (s) => s.length })];
    expect(sums).toEqual([2, 1]);
  });

  it('splits datasets by lengths or fractions', () => {
    const [a, b] = data.randomSplit(ds, [0.7, 0.3], new hg.Generator(0));
    expect([a!.length, b!.length]).toEqual([7, 3]);
    const all = [...a!.indices, ...b!.indices].sort((p, q) => p - q);
    expect(all).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(() => data.randomSplit(ds, [3, 3])).toThrow(
      'randomSplit: sum of input lengths (6) does not equal the length of the dataset (10)',
    );
  });
});

describe('synthetic datasets', () => {
  it('have the documented shapes and are deterministic per seed', () => {
    for (const make of [data.blobs, data.moons, data.circles, data.spirals, data.xor]) {
      const { x, y } = make(60);
      expect(x.shape).toEqual([60, 2]);
      expect(y.dtype).toBe('int64');
      expect(make(60).x.tolist()).toEqual(x.tolist());
    }
    expect(data.blobs(30, { classes: 3 }).y.tolist()).toEqual(Array.from({ length: 30 }, (_, i) => i % 3));
    const reg = data.linearRegression(20, { features: 2 });
    expect([reg.x.shape, reg.y.shape, reg.weight]).toEqual([
      [20, 2],
      [20, 1],
      [1, -2],
    ]);
    expect(data.sine(10).x.shape).toEqual([10, 1]);
  });
});

describe('Fashion-MNIST from IDX', () => {
  it('reads the committed subset (gzip) into images in [0, 1] and labels 0..9', async () => {
    const images = new Uint8Array(
      readFileSync(new URL('data/fashion-mnist/t10k-images-idx3-ubyte.gz', root)),
    );
    const labels = new Uint8Array(
      readFileSync(new URL('data/fashion-mnist/t10k-labels-idx1-ubyte.gz', root)),
    );
    const { x, y } = await data.fashionMnist(images, labels);
    expect(x.shape).toEqual([1000, 1, 28, 28]);
    expect(y.shape).toEqual([1000]);
    expect(x.max().item()).toBe(1);
    expect(x.min().item()).toBe(0);
    expect(y.tolist()).toEqual(expect.arrayContaining([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]));
    // The first test image of Fashion-MNIST is an ankle boot (class 9).
    expect(y.index(0).item()).toBe(9);
  });

  it('rejects malformed IDX data with a reason', () => {
    expect(() => data.parseIdx(new Uint8Array([1, 2, 3, 4]), 'images')).toThrow(
      'images: not an IDX file (bad magic number)',
    );
    expect(() => data.parseIdx(new Uint8Array([0, 0, 0x0d, 1, 0, 0, 0, 1, 0]))).toThrow(
      'element type 0xd is not supported',
    );
    expect(() => data.parseIdx(new Uint8Array([0, 0, 8, 1, 0, 0, 0, 5, 1, 2]))).toThrow(
      'header promises 5 values for shape [5], but the file holds 2',
    );
  });
});

describe('text', () => {
  it('tokenizes characters and builds next-token windows', () => {
    const text = readFileSync(new URL('data/text/genesis-kjv.txt', root), 'utf8');
    const tok = new data.CharTokenizer(text);
    expect(tok.decode(tok.encode('In the beginning'))).toBe('In the beginning');
    expect(tok.vocabSize).toBeGreaterThan(30);
    const small = new data.CharTokenizer('abcdef');
    const [x, y] = new data.NextTokenDataset(small, 'abcdef', 3).get(1);
    expect(small.decode(x!.dataSync())).toBe('bcd');
    expect(small.decode(y!.dataSync())).toBe('cde');
    expect(() => tok.encode('€')).toThrow('CharTokenizer: character "€" is not in the vocabulary');
  });
});

describe('CSV', () => {
  it('reads features and class labels', () => {
    const ds = data.parseCsv('a,b,label\n1,2,cat\n3,4,dog\n"5",6,cat\n');
    expect(ds.x.tolist()).toEqual([
      [1, 2],
      [3, 4],
      [5, 6],
    ]);
    expect(ds.y.tolist()).toEqual([0, 1, 0]);
    expect(ds.classes).toEqual(['cat', 'dog']);
    expect(data.parseCsv('x,y\n1,2.5\n2,3.5', { task: 'regression' }).y.tolist()).toEqual([[2.5], [3.5]]);
  });

  it('reports every malformed row with its line and column', () => {
    expect(() => data.parseCsv('a,b,label\n1,2,cat\n3,cat\n4,x,dog\n')).toThrow(
      "csv: 2 problem(s):\n  line 3: expected 3 fields, found 2\n  line 4, column 'b': 'x' is not a number",
    );
    expect(() => data.parseCsv('a,b\n1,2', { target: 'z' })).toThrow(
      "csv: no column named 'z' (columns: a, b)",
    );
  });
});
