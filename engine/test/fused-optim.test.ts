// The fused one-pass optimizer updates give bit-identical parameters to the composed tensor ops
// they replace, for every option that fuses (and the composed path still runs where they do not).
import { afterEach, describe, expect, it } from 'vitest';
import * as hg from '../src/index.ts';
import { optim } from '../src/index.ts';

afterEach(() => optim.setFusedOptimizers(true));

function trajectory(
  fused: boolean,
  make: (params: hg.Tensor[]) => optim.Optimizer<never>,
  [rows, cols] = [7, 5],
): number[][] {
  optim.setFusedOptimizers(fused);
  hg.manualSeed(1);
  const w = hg.randn([rows, cols], { requiresGrad: true });
  const b = hg.randn([cols], { requiresGrad: true });
  const x = hg.randn([9, rows]);
  const opt = make([w, b]);
  for (let step = 0; step < 12; step++) {
    opt.zeroGrad();
    x.matmul(w).add(b).tanh().square().sum().backward();
    opt.step();
  }
  return [Array.from(w.dataSync()), Array.from(b.dataSync())];
}

const cases: [string, (params: hg.Tensor[]) => optim.Optimizer<never>][] = [
  ['Adam', (p) => new optim.Adam(p, { lr: 0.01 }) as never],
  [
    'Adam with weight decay, maximize',
    (p) => new optim.Adam(p, { lr: 0.01, weightDecay: 0.1, maximize: true }) as never,
  ],
  ['AdamW', (p) => new optim.AdamW(p, { lr: 0.02, betas: [0.8, 0.99], eps: 1e-6 }) as never],
  ['SGD', (p) => new optim.SGD(p, { lr: 0.05 }) as never],
  [
    'SGD momentum, dampening, weight decay',
    (p) => new optim.SGD(p, { lr: 0.05, momentum: 0.9, dampening: 0.1, weightDecay: 0.01 }) as never,
  ],
  ['SGD nesterov', (p) => new optim.SGD(p, { lr: 0.05, momentum: 0.9, nesterov: true }) as never],
];

describe('fused optimizer updates', () => {
  it.each(cases)('%s: bit-identical to the composed ops over 12 steps', (_name, make) => {
    const fused = trajectory(true, make);
    const composed = trajectory(false, make);
    expect(fused).toEqual(composed);
    hg.manualSeed(1);
    expect(fused[0]).not.toEqual(Array.from(hg.randn([7, 5]).dataSync())); // the steps moved the weights
  });

  it.each(cases)('%s: bit-identical on a 5,120-value tensor (the WebAssembly SIMD update)', (_name, make) => {
    expect(trajectory(true, make, [80, 64])).toEqual(trajectory(false, make, [80, 64]));
    // A length that is not a multiple of the four SIMD lanes.
    expect(trajectory(true, make, [81, 63])).toEqual(trajectory(false, make, [81, 63]));
    // Just past the size from which the update runs in WebAssembly (1,024 values).
    expect(trajectory(true, make, [41, 26])).toEqual(trajectory(false, make, [41, 26]));
  });

  it("keeps Adam's moments in memory of their own: its state reads, saves and reloads as usual", () => {
    const run = (fused: boolean, reload: boolean) => {
      optim.setFusedOptimizers(fused);
      hg.manualSeed(2);
      const w = hg.randn([90, 70], { requiresGrad: true });
      const x = hg.randn([5, 90]);
      let opt = new optim.Adam([w], { lr: 0.01 });
      const step = () => {
        opt.zeroGrad();
        x.matmul(w).tanh().sum().backward();
        opt.step();
      };
      for (let i = 0; i < 4; i++) step();
      if (reload) {
        // A new optimizer from the saved state: its moments are ordinary arrays from here on.
        const saved = opt.stateDict();
        opt = new optim.Adam([w], { lr: 0.01 });
        opt.loadStateDict(saved);
      }
      for (let i = 0; i < 4; i++) step();
      const state = opt.state.get(w)!;
      return [w, state.exp_avg as hg.Tensor, state.exp_avg_sq as hg.Tensor].map((t) =>
        Array.from(t.dataSync()),
      );
    };
    const composed = run(false, false);
    expect(run(true, false)).toEqual(composed);
    expect(run(true, true)).toEqual(composed);
  });

  it('bumps the version of every tensor it writes', () => {
    const p = hg.randn([4], { requiresGrad: true });
    const opt = new optim.Adam([p], { lr: 0.1 });
    p.sum().backward();
    const before = p.version;
    opt.step();
    expect(p.version).toBe(before + 1);
  });
});
