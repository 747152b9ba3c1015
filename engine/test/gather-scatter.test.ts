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
