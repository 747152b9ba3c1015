// nn.RNN's time loop as one op (nn/rnn-sequence.ts): the same hidden states, bit for bit, as the
// cells run one step at a time with composed ops; gradients equal to theirs up to the order in
// which the steps' weight gradients are summed (PyTorch's fused RNN sums them in one product too);
// float64 gradients and gradients of gradients against finite differences.
import { describe, expect, it } from 'vitest';
import * as hg from '../src/index.ts';
import { nn } from '../src/index.ts';
import { rnnSequence } from '../src/nn/rnn-sequence.ts';
import { rnnStep } from '../src/nn/rnn-cells.ts';
import { recurrentInPlace, recurrentStats } from '../src/backend/wasm/recurrent.ts';

const bits = (t: hg.Tensor) => Array.from(new Uint32Array(Float32Array.from(t.dataSync()).buffer));

/** The layer as it ran before: one composed cell per step (forward direction, or reversed). */
function stepByStep(
  xi: hg.Tensor,
  h0: hg.Tensor,
  w: hg.Tensor,
  b: hg.Tensor | null,
  relu: boolean,
  reverse: boolean,
) {
  const steps = xi.shape[0]!;
  const seq: hg.Tensor[] = new Array(steps);
  let h = h0;
  for (let s = 0; s < steps; s++) {
    const t = reverse ? steps - 1 - s : s;
    h = rnnStep(relu ? 'RNN_RELU' : 'RNN_TANH', xi.index(t), h, { weightHh: w, biasHh: b });
    seq[t] = h;
  }
  return hg.stack(seq, 0);
}

describe('the RNN time loop as one op', () => {
  // Large enough (8 × 32 × 32 per step) for the WebAssembly loop, as the bench's RNN; and a
  // batch and width that are not multiples of 4 (the product's padded rows, the steps' tails).
  for (const [relu, reverse, [steps, batch, hidden], bias] of [
    [false, false, [7, 8, 32], true],
    [true, false, [7, 8, 32], true],
    [false, true, [7, 8, 32], true],
    [false, false, [6, 5, 30], false],
    [true, true, [6, 5, 30], true],
    [true, false, [6, 5, 30], true],
    [true, true, [7, 8, 32], true],
    [false, true, [3, 7, 33], true],
  ] as const)
    it(`${relu ? 'ReLU' : 'tanh'}${reverse ? ', reversed' : ''}, [${steps}, ${batch}, ${hidden}]${bias ? '' : ', no bias'}: the step-by-step states and their gradients`, () => {
      hg.manualSeed(11);
      const make = () => ({
        xi: hg.randn([steps, batch, hidden]).requiresGrad_(),
        h0: hg.randn([batch, hidden]).requiresGrad_(),
        w: hg.randn([hidden, hidden]).mul(0.2).requiresGrad_(),
        b: bias ? hg.randn([hidden]).requiresGrad_() : null,
      });
      const a = make();
      const c = {
        xi: a.xi.detach().requiresGrad_(),
        h0: a.h0.detach().requiresGrad_(),
        w: a.w.detach().requiresGrad_(),
        b: a.b?.detach().requiresGrad_() ?? null,
      };
      const before = { ...recurrentStats };
      const fused = rnnSequence(a.xi, a.h0, a.w, a.b, { relu, reverse });
      const composed = stepByStep(c.xi, c.h0, c.w, c.b, relu, reverse);
      expect(bits(fused)).toEqual(bits(composed));
      const r = hg.randn(fused.shape);
      fused.mul(r).sum().backward();
      composed.mul(r).sum().backward();
      expect(recurrentStats).toEqual({ forward: before.forward + 1, backward: before.backward + 1 });
      // Each step's gradients are the composed ops' bit for bit; the weight's and the bias's are
      // summed over the steps in another order.
      expect(bits(a.xi.grad!)).toEqual(bits(c.xi.grad!));
      expect(bits(a.h0.grad!)).toEqual(bits(c.h0.grad!));
      expect(hg.allclose(a.w.grad!, c.w.grad!, { rtol: 1e-5, atol: 1e-5 })).toBe(true);
      if (bias) expect(hg.allclose(a.b!.grad!, c.b!.grad!, { rtol: 1e-5, atol: 1e-5 })).toBe(true);
    });

  it("forms every gradient in WebAssembly as the differentiable backward's ops form it, bit for bit", () => {
    // The fast backward (no graph wanted) against the one made of ops (createGraph), which sums
    // the weight's and bias's gradients over all steps with the same product and sum.
    for (const [relu, reverse, [steps, batch, hidden]] of [
      [false, false, [32, 32, 128]],
      [true, true, [6, 5, 30]],
      [false, true, [3, 7, 33]],
      // Reversed, with rows a multiple of 4 floats: reordered in WebAssembly, backwards in time.
      [false, true, [5, 6, 32]],
      // Wider than 128: W_hh's gradient from a transposed copy of the steps' gradients (narrower
      // ones are read where they lie).
      [false, false, [3, 5, 130]],
    ] as const) {
      hg.manualSeed(14);
      const inputs = [
        hg.randn([steps, batch, hidden]).requiresGrad_(),
        hg.randn([batch, hidden]).requiresGrad_(),
        hg.randn([hidden, hidden]).mul(0.3).requiresGrad_(),
        hg.randn([hidden]).requiresGrad_(),
        // b_ih, which the loop adds to xi itself (nn.RNN hands it over instead of adding it).
        hg.randn([hidden]).requiresGrad_(),
      ];
      const g = hg.randn([steps, batch, hidden]);
      // Time-major, and as a batch-first layer runs it: xi a transposed [B, T, H] projection,
      // the states stored batch-first, the output's gradient arriving through a transpose (its
      // rows strided along the steps) and xi's going back the same way.
      for (const batchFirst of [false, true]) {
        const xi = batchFirst ? inputs[0]!.transpose(0, 1).contiguous().transpose(0, 1) : inputs[0]!;
        const grads = (createGraph: boolean) => {
          const attrs = { relu, reverse, batchFirst };
          const out = rnnSequence(xi, inputs[1]!, inputs[2]!, inputs[3]!, attrs, inputs[4]!);
          if (batchFirst && !createGraph) expect(out.transpose(0, 1).isContiguous()).toBe(true);
          const [y, gy] = batchFirst ? [out.transpose(0, 1), g.transpose(0, 1).contiguous()] : [out, g];
          const all = hg.grad([y], inputs, { gradOutputs: [gy], createGraph });
          return [bits(y), ...all.map((t) => bits(t!))];
        };
        const before = recurrentStats.backward;
        const fast = grads(false);
        expect(recurrentStats.backward).toBe(before + 1);
        const composed = grads(true);
        expect(recurrentStats.backward).toBe(before + 1);
        fast.forEach((values, i) => expect(values).toEqual(composed[i]));
      }
    }
  });

  it('in a memory scope reads its sequences and writes its results where they lie in the arena, with the same bits', () => {
    for (const [reverse, batchFirst] of [
      [false, false],
      [true, false],
      [false, true],
      [true, true],
    ] as const) {
      hg.manualSeed(16);
      // 32 × 32 × 128 values: the pool's size for the arena.
      const [xi, h0, w, b, g] = [
        hg.randn([32, 32, 128]),
        hg.randn([32, 128]),
        hg.randn([128, 128]).mul(0.1),
        hg.randn([128]),
        hg.randn([32, 32, 128]),
      ];
      const run = () => {
        const inputs = [xi, h0, w, b].map((t) => t.mul(1).requiresGrad_());
        const x = batchFirst ? inputs[0]!.transpose(0, 1).contiguous().transpose(0, 1) : inputs[0]!;
        const out = rnnSequence(x, inputs[1]!, inputs[2]!, inputs[3]!, { relu: false, reverse, batchFirst });
        const y = batchFirst ? out.transpose(0, 1) : out;
        const grads = hg.grad([y], inputs, {
          gradOutputs: [batchFirst ? g.transpose(0, 1).contiguous() : g.mul(1)],
        });
        return [bits(y), ...grads.map((t) => bits(t!))];
      };
      const outside = run();
      const before = { ...recurrentInPlace };
      const inside = hg.tidy(run);
      // xi (forward), g and y (backward) read where they lie; the states and the steps'
      // gradients written where they go.
      expect(recurrentInPlace.reads - before.reads, `${reverse} ${batchFirst}`).toBe(3);
      expect(recurrentInPlace.writes - before.writes, `${reverse} ${batchFirst}`).toBe(2);
      inside.forEach((values, i) => expect(values, `${reverse} ${batchFirst} ${i}`).toEqual(outside[i]));
    }
  });

  it('runs a batch-first nn.RNN without copies, with the values it has on a time-major input', () => {
    hg.manualSeed(15);
    const [first, second] = [new nn.RNN(32, 128, { batchFirst: true }), new nn.RNN(32, 128)];
    second.loadStateDict(first.stateDict());
    const x = hg.randn([16, 20, 32]);
    const g = hg.randn([16, 20, 128]);
    const [a] = first.forward(x);
    const [b] = second.forward(x.transpose(0, 1).contiguous());
    // The output is batch-first in memory (the head after it needs no copy).
    expect(a.isContiguous()).toBe(true);
    expect(bits(a)).toEqual(bits(b.transpose(0, 1)));
    a.backward(g);
    b.backward(g.transpose(0, 1).contiguous());
    const others = new Map(second.namedParameters());
    // The recurrent weight's gradients sum the steps in time order either way; the input
    // projection's sum the rows in the order they lie (batch-first or time-major), as PyTorch's:
    // float32 sums of 320 terms reaching 70, which differ in their last bits.
    for (const [name, p] of first.namedParameters())
      if (name.endsWith('hh_l0')) expect(bits(p.grad!)).toEqual(bits(others.get(name)!.grad!));
      else expect(hg.allclose(p.grad!, others.get(name)!.grad!, { rtol: 1e-5, atol: 1e-3 })).toBe(true);
  });

  it('has float64 gradients and gradients of gradients that match finite differences', () => {
    hg.manualSeed(12);
    const args = [
      hg.randn([4, 2, 3], { dtype: 'float64' }).requiresGrad_(),
      hg.randn([2, 3], { dtype: 'float64' }).requiresGrad_(),
      hg.randn([3, 3], { dtype: 'float64' }).mul(0.6).requiresGrad_(),
      hg.randn([3], { dtype: 'float64' }).requiresGrad_(),
    ];
    for (const reverse of [false, true]) {
      const f = (xi: hg.Tensor, h0: hg.Tensor, w: hg.Tensor, b: hg.Tensor) =>
        rnnSequence(xi, h0, w, b, { relu: false, reverse });
      expect(hg.gradcheck(f, args)).toBe(true);
      expect(hg.gradgradcheck(f, args)).toBe(true);
    }
    // Without a bias, and the initial state not requiring a gradient.
    const g = (xi: hg.Tensor, w: hg.Tensor) =>
      rnnSequence(xi, args[1]!.detach(), w, null, { relu: false, reverse: false });
    expect(hg.gradcheck(g, [args[0]!, args[2]!])).toBe(true);
    // With b_ih handed to the loop.
    const bi = hg.randn([3], { dtype: 'float64' }).requiresGrad_();
    const h = (xi: hg.Tensor, w: hg.Tensor, b: hg.Tensor, c: hg.Tensor) =>
      rnnSequence(xi, args[1]!, w, b, { relu: false, reverse: true }, c);
    expect(hg.gradcheck(h, [args[0]!, args[2]!, args[3]!, bi])).toBe(true);
    expect(hg.gradgradcheck(h, [args[0]!, args[2]!, args[3]!, bi])).toBe(true);
  });

  it('is what nn.RNN runs: its last state is hN, and onStep sees every step in order', () => {
    hg.manualSeed(13);
    const rnn = new nn.RNN(4, 6, { numLayers: 2, bidirectional: true, batchFirst: true });
    const seen: string[] = [];
    rnn.onStep = ({ layer, direction, t }) => seen.push(`${layer}${direction}${t}`);
    const [out, hN] = rnn.forward(hg.randn([2, 3, 4])) as unknown as [hg.Tensor, hg.Tensor];
    expect(out.shape).toEqual([2, 3, 12]);
    expect(seen).toEqual([
      '000',
      '001',
      '002',
      '012',
      '011',
      '010',
      '100',
      '101',
      '102',
      '112',
      '111',
      '110',
    ]);
    // Forward direction of the last layer: hN[2] is the output's last step, first half.
    expect(bits(hN.index(2))).toEqual(bits(out.index(hg.sl(), 2, hg.sl(0, 6))));
    // Backward direction: hN[3] is the output's first step, second half.
    expect(bits(hN.index(3))).toEqual(bits(out.index(hg.sl(), 0, hg.sl(6, 12))));
  });
});
