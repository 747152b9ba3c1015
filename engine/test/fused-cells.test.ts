// GRU and LSTM cells' gates and updates as one WebAssembly op each (ops/fused-cells.ts) against
// the composed cells (the path taken with the WebAssembly elementwise kernels switched off): the
// same states and the same gradients bit for bit over whole sequences, time-major and
// batch-first, and for nn.GRUCell / nn.LSTMCell; a gradient's graph (createGraph) is built from
// the composed ops, with the same first-order values.
import { afterEach, describe, expect, it } from 'vitest';
import * as hg from '../src/index.ts';
import { nn } from '../src/index.ts';
import type { Node } from '../src/tensor.ts';

const bits = (t: hg.Tensor) => Array.from(new Uint32Array(Float32Array.from(t.dataSync()).buffer));

function holds(node: Node | null, name: string, seen = new Set<Node>()): boolean {
  if (node === null || seen.has(node)) return false;
  seen.add(node);
  return node.name === name || node.next.some((n) => holds(n, name, seen));
}

describe('the GRU and LSTM cells as one op', () => {
  afterEach(() => hg.setWasmElementwise(true));

  for (const [label, batchFirst, [steps, batch, input, hidden]] of [
    ['time-major, 33 wide (rows not a multiple of 4)', false, [5, 3, 7, 33]],
    ['batch-first, 64 wide (each step a strided view of the projection)', true, [6, 4, 5, 64]],
  ] as const)
    it(`${label}: states and every gradient equal the composed cell's`, () => {
      const run = (fused: boolean) => {
        hg.setWasmElementwise(fused);
        hg.manualSeed(7);
        const gru = new nn.GRU(input, hidden, { batchFirst });
        const x = hg.randn(batchFirst ? [batch, steps, input] : [steps, batch, input]).requiresGrad_();
        const h0 = hg.randn([1, batch, hidden]).requiresGrad_();
        const [out, hn] = gru.forward(x, h0);
        const r = hg.randn(out.shape, { generator: new hg.Generator().manualSeed(1) });
        out.mul(r).sum().add(hn.mul(1.5).sum()).backward();
        const grads = [x, h0, ...gru.parameters()].map((t) => bits(t.grad!));
        return { out: bits(out), hn: bits(hn), grads, fusedOp: holds(out.gradFn, 'GruCellBackward0') };
      };
      const fused = run(true);
      const composed = run(false);
      expect(fused.fusedOp).toBe(true);
      expect(composed.fusedOp).toBe(false);
      expect(fused.out).toEqual(composed.out);
      expect(fused.hn).toEqual(composed.hn);
      fused.grads.forEach((g, i) => expect(g, `gradient ${i}`).toEqual(composed.grads[i]));
    });

  it('nn.GRUCell: the same state and gradients; differentiable again (createGraph)', () => {
    const run = (fused: boolean) => {
      hg.setWasmElementwise(fused);
      hg.manualSeed(9);
      const cell = new nn.GRUCell(6, 20);
      const x = hg.randn([3, 6]).requiresGrad_();
      const h = hg.randn([3, 20]).requiresGrad_();
      const y = cell.forward(x, h);
      expect(holds(y.gradFn, 'GruCellBackward0')).toBe(fused);
      const [gx, gh] = hg.grad([y.square().sum()], [x, h], { createGraph: true });
      // A gradient of the gradient: through the cell's backward again.
      const [ggx] = hg.grad([gx!.mul(gh!.sum()).sum()], [x]);
      return { first: [y, gx!, gh!].map(bits), second: ggx! };
    };
    const fused = run(true);
    const composed = run(false);
    // The state and the first gradients bit for bit; the second-order gradient is summed over
    // another graph (the recomputed gates), so to float32 rounding.
    expect(fused.first).toEqual(composed.first);
    expect(hg.allclose(fused.second, composed.second, { rtol: 1e-5, atol: 1e-6 })).toBe(true);
    expect(fused.second.abs().sum().item()).toBeGreaterThan(0);
  });

  for (const [label, batchFirst, [steps, batch, input, hidden]] of [
    ['LSTM time-major, 33 wide', false, [5, 3, 7, 33]],
    ['LSTM batch-first, 2 layers of 64', true, [6, 4, 5, 64]],
  ] as const)
    it(`${label}: states, cells and every gradient equal the composed cell's`, () => {
      const layers = hidden === 64 ? 2 : 1;
      const run = (fused: boolean) => {
        hg.setWasmElementwise(fused);
        hg.manualSeed(8);
        const lstm = new nn.LSTM(input, hidden, { batchFirst, numLayers: layers });
        const x = hg.randn(batchFirst ? [batch, steps, input] : [steps, batch, input]).requiresGrad_();
        const h0 = hg.randn([layers, batch, hidden]).requiresGrad_();
        const c0 = hg.randn([layers, batch, hidden]).requiresGrad_();
        const [out, [hn, cn]] = lstm.forward(x, [h0, c0]);
        const r = hg.randn(out.shape, { generator: new hg.Generator().manualSeed(2) });
        out.mul(r).sum().add(hn.mul(1.5).sum()).add(cn.mul(-0.7).sum()).backward();
        const grads = [x, h0, c0, ...lstm.parameters()].map((t) => bits(t.grad!));
        return {
          values: [out, hn, cn].map(bits),
          grads,
          fusedOp: holds(out.gradFn, 'LstmCellBackward0'),
        };
      };
      const fused = run(true);
      const composed = run(false);
      expect(fused.fusedOp).toBe(true);
      expect(composed.fusedOp).toBe(false);
      expect(fused.values).toEqual(composed.values);
      fused.grads.forEach((g, i) => expect(g, `gradient ${i}`).toEqual(composed.grads[i]));
    });

  it('nn.LSTMCell: the same state, cell and gradients; differentiable again (createGraph)', () => {
    const run = (fused: boolean) => {
      hg.setWasmElementwise(fused);
      hg.manualSeed(10);
      const cell = new nn.LSTMCell(6, 20);
      const x = hg.randn([3, 6]).requiresGrad_();
      const h = hg.randn([3, 20]).requiresGrad_();
      const c = hg.randn([3, 20]).requiresGrad_();
      const [h1, c1] = cell.forward(x, [h, c]);
      expect(holds(h1.gradFn, 'LstmCellBackward0')).toBe(fused);
      const [gx, gc] = hg.grad([h1.square().sum().add(c1.sum())], [x, c], { createGraph: true });
      const [ggx] = hg.grad([gx!.mul(gc!.sum()).sum()], [x]);
      return { first: [h1, c1, gx!, gc!].map(bits), second: ggx! };
    };
    const fused = run(true);
    const composed = run(false);
    expect(fused.first).toEqual(composed.first);
    expect(hg.allclose(fused.second, composed.second, { rtol: 1e-5, atol: 1e-6 })).toBe(true);
    expect(fused.second.abs().sum().item()).toBeGreaterThan(0);
  });

  // An odd number of values per gate (batch 1, hidden 1: each σ/tanh pair reaches one value past
  // its gate), both directions, and an unbatched sequence.
  for (const mode of ['GRU', 'LSTM'] as const)
    for (const [label, options, shape, hidden] of [
      ['bidirectional', { bidirectional: true }, [4, 3, 5], 7],
      ['unbatched', {}, [6, 5], 7],
      ['batch 1, hidden 1', {}, [3, 1, 5], 1],
    ] as const)
      it(`${mode}, ${label}: output and every gradient equal the composed cell's`, () => {
        const run = (fused: boolean) => {
          hg.setWasmElementwise(fused);
          hg.manualSeed(3);
          const layer = mode === 'GRU' ? new nn.GRU(5, hidden, options) : new nn.LSTM(5, hidden, options);
          const x = hg.randn([...shape]).requiresGrad_();
          const out = layer.forward(x)[0];
          out
            .mul(hg.randn(out.shape, { generator: new hg.Generator().manualSeed(4) }))
            .sum()
            .backward();
          const name = mode === 'GRU' ? 'GruCellBackward0' : 'LstmCellBackward0';
          expect(holds(out.gradFn, name)).toBe(fused);
          return [out, x.grad!, ...layer.parameters().map((t) => t.grad!)].map(bits);
        };
        expect(run(true)).toEqual(run(false));
      });
});
