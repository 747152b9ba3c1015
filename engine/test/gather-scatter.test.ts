// gather and scatter (set and add) on the CPU walk their index in row-major order with an inner
// loop per row: the results, including the order in which scatter-add sums duplicates, equal a
// plain per-coordinate reference on transposed, expanded and offset operands.
import { describe, expect, it } from 'vitest';
import * as hg from '../src/index.ts';

/** Every coordinate of `shape` in row-major order. */
function* coords(shape: readonly number[]): Generator<number[]> {
  const c = shape.map(() => 0);
  const total = shape.reduce((p, d) => p * d, 1);
  for (let e = 0; e < total; e++) {
    yield [...c];
    for (let d = shape.length - 1; d >= 0; d--)
      if (++c[d]! < shape[d]!) break;
      else c[d] = 0;
  }
}
const at = (t: hg.Tensor, c: number[]) => t.dataSync()[c.reduce((o, x, d) => o * t.shape[d]! + x, 0)]!;
const flat = (shape: readonly number[], c: number[]) => c.reduce((o, x, d) => o * shape[d]! + x, 0);

describe('gather and scatter over strided operands', () => {
  for (const dim of [0, 1, 2]) {
    it(`along dim ${dim}: gather, scatter and scatter-add equal a per-coordinate reference`, () => {
      hg.manualSeed(40 + dim);
      const shape = [4, 5, 6];
      // A transposed base and source, an index that is a transposed view too.
      const base = hg.randn([6, 5, 4], { dtype: 'float64' }).permute(2, 1, 0);
      const src = hg
        .randn([6, 5, 3], { dtype: 'float64' })
        .mul(hg.rand([6, 5, 3], { dtype: 'float64' }).mul(40).exp())
        .permute(2, 1, 0);
      const idxShape = [3, 5, 6];
      idxShape[dim] = 3;
      const index = hg.randint(0, shape[dim]!, [...idxShape].reverse()).permute(2, 1, 0);
      const b = base.contiguous();
      const s = src
        .contiguous()
        .narrow(0, 0, idxShape[0]!)
        .narrow(1, 0, idxShape[1]!)
        .narrow(2, 0, idxShape[2]!)
        .contiguous();
      const srcView = src.narrow(0, 0, idxShape[0]!).narrow(1, 0, idxShape[1]!).narrow(2, 0, idxShape[2]!);
      const gathered = Array.from(base.gather(dim, index).dataSync());
      const scattered = Array.from(base.scatter(dim, index, srcView).dataSync());
      const added = Array.from(base.scatterAdd(dim, index, srcView).dataSync());
      const expectGather: number[] = [];
      const expectSet = Array.from(b.dataSync());
      const expectAdd = Array.from(b.dataSync());
      const ic = index.contiguous();
      for (const c of coords(idxShape)) {
        const target = [...c];
        target[dim] = at(ic, c);
        expectGather.push(at(b, target));
        expectSet[flat(shape, target)] = at(s, c);
        expectAdd[flat(shape, target)] = expectAdd[flat(shape, target)]! + at(s, c);
      }
      expect(gathered).toEqual(expectGather);
      expect(scattered).toEqual(expectSet);
      expect(added).toEqual(expectAdd);
    });
  }

  it('scatters onto an expanded zero (how gradients start) and onto an offset view', () => {
    const zeros = hg.zeros([1], { dtype: 'float64' }).expand(3, 4);
    const index = hg.tensor([[1], [3], [0]]);
    const out = zeros.scatterAdd(1, index, hg.tensor([[2], [3], [4]], { dtype: 'float64' }));
    expect(out.tolist()).toEqual([
      [0, 2, 0, 0],
      [0, 0, 0, 3],
      [4, 0, 0, 0],
    ]);
    const base = hg.arange(20, { dtype: 'float64' }).reshape(4, 5).narrow(0, 1, 2);
    expect(
      base.scatter(1, hg.tensor([[0], [4]]), hg.tensor([[-1], [-2]], { dtype: 'float64' })).tolist(),
    ).toEqual([
      [-1, 6, 7, 8, 9],
      [10, 11, 12, 13, -2],
    ]);
    expect(() => base.gather(1, hg.tensor([[5]]))).toThrow(
      /index 5 is out of bounds for dimension 1 with size 5/,
    );
  });
});

describe('index_select and index_add (a block of values per index)', () => {
  // An index broadcast along every other dim moves whole blocks; the same index made dense goes
  // element by element. Both must agree bit for bit, sums of repeated indices included.
  const cases = [
    ['an embedding lookup: dim 0, rows of 32', [65, 32], 0, 1000],
    ['rows of 70 (copied with set)', [9, 70], 0, 40],
    ['dim 1 of [3, 8, 5]', [3, 8, 5], 1, 12],
    ['the last dim of [4, 6, 7]', [4, 6, 7], 2, 9],
  ] as const;
  for (const [name, shape, dim, count] of cases)
    for (const dtype of ['float32', 'float64', 'int32'] as const)
      it(`${name} (${dtype}): equal to gather and scatter-add with a dense index`, () => {
        hg.manualSeed(60 + dim);
        const x = hg
          .randn([...shape])
          .mul(10)
          .to(dtype);
        const idx = hg.randint(0, shape[dim]!, [count]);
        const selected = x.indexSelect(dim, idx);
        const denseIndex = idx
          .reshape(shape.map((_, d) => (d === dim ? count : 1)))
          .expand(shape.map((s, d) => (d === dim ? count : s)))
          .contiguous();
        expect(Array.from(selected.dataSync())).toEqual(Array.from(x.gather(dim, denseIndex).dataSync()));
        const src = hg.randn(selected.shape).mul(1e3).to(dtype);
        const added = x.indexAdd(dim, idx, src);
        expect(Array.from(added.dataSync())).toEqual(
          Array.from(x.scatterAdd(dim, denseIndex, src).dataSync()),
        );
      });

  it('raises for an index outside [0, size), −1 included, naming the op called (as PyTorch raises)', () => {
    const x = hg.randn([5, 32]);
    const ids = (values: number[]) => hg.tensor(values, { dtype: 'int64' });
    expect(() => x.indexSelect(0, ids([1, 7, 9]))).toThrow(
      'indexSelect: index 7 is out of range for dimension 0 with size 5',
    );
    expect(() => x.indexSelect(0, ids([0, -1]))).toThrow(
      'indexSelect: index -1 is out of range for dimension 0 with size 5',
    );
    expect(() => x.indexAdd(0, ids([2, 5]), hg.ones([2, 32]))).toThrow(
      'indexAdd: index 5 is out of range for dimension 0 with size 5',
    );
    expect(() => x.indexAdd(0, ids([-1]), hg.ones([1, 32]))).toThrow(
      'indexAdd: index -1 is out of range for dimension 0 with size 5',
    );
    // The kernel's own check, on its block path (an index_select-shaped index: one value per
    // row, expanded along the row) and element by element.
    const rows = (values: number[]) => ids(values).reshape(values.length, 1).expand(values.length, 32);
    expect(() => x.gather(0, rows([1, 7, 9]))).toThrow(
      'gather: index 7 is out of bounds for dimension 0 with size 5',
    );
    expect(() => x.gather(0, rows([-1]))).toThrow(
      'gather: index -1 is out of bounds for dimension 0 with size 5',
    );
    const column = ids([0, -1]).reshape(2, 1);
    expect(() => x.gather(1, column)).toThrow(
      'gather: index -1 is out of bounds for dimension 1 with size 32',
    );
    expect(() => x.scatter(1, column, 1)).toThrow(
      'scatter: index -1 is out of bounds for dimension 1 with size 32',
    );
    expect(() => x.scatterAdd(1, column, hg.ones([2, 1]))).toThrow(
      'scatterAdd: index -1 is out of bounds for dimension 1 with size 32',
    );
    // take() and advanced indexing count negative indices from the end, as PyTorch's do.
    expect(Array.from(x.take(ids([-1, 0])).dataSync())).toEqual([x.dataSync()[159], x.dataSync()[0]]);
    expect(Array.from(x.index(ids([-1])).dataSync())).toEqual(Array.from(x.dataSync().slice(128)));
  });

  it("is what an embedding's forward and backward run, with PyTorch's sums over repeated ids", () => {
    hg.manualSeed(64);
    const emb = new hg.nn.Embedding(7, 33);
    const ids = hg.tensor([[1, 1, 6, 0, 1]], { dtype: 'int64' });
    const g = hg.randn([1, 5, 33]);
    emb.forward(ids).backward(g);
    const w = emb.weight.detach();
    const out = emb.forward(ids).detach();
    const G = g.dataSync();
    const grad = emb.weight.grad!.dataSync();
    for (let j = 0; j < 33; j++) {
      expect(out.dataSync()[2 * 33 + j]).toBe(w.dataSync()[6 * 33 + j]);
      // Row 1 gets positions 0, 1 and 4, summed in that order in float32.
      const f = Math.fround;
      expect(grad[33 + j]).toBe(f(f(f(0 + G[j]!) + G[33 + j]!) + G[4 * 33 + j]!));
      expect(grad[2 * 33 + j]).toBe(0);
    }
  });
});
