// The CPU's buffer pool (backend/cpu/pool.ts): a step's large intermediates go back to the pool
// when its memory scope ends and the next step reuses them; what the step returns, keeps or
// adopts (weights, gradients, optimizer state) is never reused; a tensor used after its memory
// went back throws instead of reading another tensor's values; arrays the pool did not make are
// never taken; results are bit-identical with and without the pool.
import { describe, expect, it } from 'vitest';
import * as hg from '../src/index.ts';
import { nn, optim } from '../src/index.ts';
import { POOL_MIN, poolStats, pooled, takeF32 } from '../src/backend/cpu/pool.ts';
import { maxPoolRaw } from '../src/ops/im2col.ts';
import { windowIndex, windows } from '../src/nn/windows.ts';

const BIG = [64, POOL_MIN / 64 + 8]; // above the pool's threshold
const bits = (t: hg.Tensor) => Array.from(new Uint32Array((t.dataSync() as Float32Array).buffer));

describe('the CPU buffer pool', () => {
  it('reuses a step’s intermediates in the next step, and returns what the step returns', () => {
    const x = hg.randn(BIG);
    const step = () => hg.tidy(() => x.relu().mul(2).add(1).sum());
    const expected = bits(step());
    const before = { ...poolStats };
    for (let i = 0; i < 5; i++) expect(bits(step())).toEqual(expected);
    expect(poolStats.reused - before.reused).toBeGreaterThanOrEqual(10);
    expect(poolStats.made - before.made).toBe(0);
    const kept = hg.tidy(() => x.relu().mul(3));
    expect(pooled(kept.view_().buffer)).toBe(true);
    hg.tidy(() => x.relu().mul(5).add(7)); // would take kept's buffer if it had gone back
    expect(bits(kept)).toEqual(bits(x.relu().mul(3)));
  });

  it('reuses max pooling’s int32 positions as it reuses float32 values, never mixing the two', () => {
    hg.manualSeed(3);
    const x = hg.randn([8, 16, 32, 32]); // 2×2 windows: 8·16·256 = 32K positions, above POOL_MIN
    const y = hg.randn([8, 16, 256]);
    const grid = windowIndex(windows('test', [32, 32], [2, 2], [2, 2], [0, 0], [1, 1]));
    // One step: max pooling and its backward; the positions it saved, and the input gradient's bits.
    const step = () => {
      let positions: unknown = null;
      let grad: number[] = [];
      hg.tidy(() => {
        const xg = x.mul(1).requiresGrad_();
        const out = maxPoolRaw(xg, grid.source, 4, 256); // the op itself: [8, 16, 256]
        const saved = (out.gradFn as unknown as { saved: hg.Tensor[] }).saved[0]!;
        expect(saved.dtype).toBe('int32');
        positions = saved.view_().buffer;
        out.mul(y).sum().backward();
        grad = bits(xg.grad!);
      });
      return { positions, grad };
    };
    const first = step();
    expect(first.positions).toBeInstanceOf(Int32Array);
    expect(pooled(first.positions)).toBe(true);
    const second = step();
    // The same array again (it went back when the first step's scope ended), and the same result.
    expect(second.positions).toBe(first.positions);
    expect(second.grad).toEqual(first.grad);
    // A float32 array of the same length is never an int32 one from the pool.
    expect(takeF32(8 * 16 * 256)).toBeInstanceOf(Float32Array);
  });

  it('throws, naming the cause, when a tensor is used after its memory went back', () => {
    const x = hg.randn(BIG);
    let leaked: hg.Tensor | null = null;
    hg.tidy(() => {
      leaked = x.relu();
      return x.sum();
    });
    expect(() => leaked!.sum()).toThrow(/memory was released .*tidy\(\) scope.*keep\(\)/);
    const disposed = x.mul(2);
    hg.dispose(disposed);
    expect(() => disposed.dataSync()).toThrow(/memory was released/);
    // keep() exempts a tensor; small tensors are not pooled and live on as before.
    let small: hg.Tensor | null = null;
    const kept = hg.tidy(() => {
      small = hg.randn([4]).mul(2);
      return hg.keep(x.relu());
    });
    expect(small!.shape).toEqual([4]);
    hg.tidy(() => x.mul(9).add(1));
    expect(bits(kept)).toEqual(bits(x.relu()));
  });

  it('keeps weights, gradients and optimizer state made inside a scope', () => {
    hg.manualSeed(0);
    const model = hg.tidy(() => new nn.Linear(POOL_MIN / 64, 64));
    const weight = bits(model.weight);
    hg.tidy(() =>
      hg
        .randn([64, POOL_MIN / 64])
        .mul(3)
        .add(2),
    ); // churn the pool
    expect(bits(model.weight)).toEqual(weight);
    const opt = new optim.Adam(model.parameters(), { lr: 0.01 });
    const x = hg.randn([8, POOL_MIN / 64]);
    hg.tidy(() => {
      opt.zeroGrad();
      model.forward(x).square().mean().backward();
      opt.step();
    });
    const grad = bits(model.weight.grad!);
    const state = bits(model.weight);
    hg.tidy(() =>
      hg
        .randn([64, POOL_MIN / 64])
        .mul(3)
        .add(2),
    );
    expect(bits(model.weight.grad!)).toEqual(grad);
    expect(bits(model.weight)).toEqual(state);
  });

  it('never takes an array it did not make, and hands each array to one tensor at a time', () => {
    const mine = new Float32Array(POOL_MIN * 2).fill(1);
    const t = hg.tensor(mine, { shape: [2, POOL_MIN] });
    expect(pooled(t.view_().buffer)).toBe(false);
    hg.dispose(t); // not pooled: a no-op, as before
    expect(t.sum().item()).toBe(POOL_MIN * 2);
    const x = hg.randn(BIG);
    const live = hg.tidy(() => {
      const outs = [x.relu(), x.mul(2), x.add(1), x.neg(), x.abs()];
      return outs;
    });
    const buffers = new Set(live.map((o) => o.view_().buffer));
    expect(buffers.size).toBe(live.length);
    const taken = takeF32(POOL_MIN);
    expect(pooled(taken)).toBe(true);
    expect(pooled(takeF32(POOL_MIN - 1))).toBe(false);
  });

  it('hands its arrays to the garbage collector when drained', () => {
    const x = hg.randn(BIG);
    const step = () =>
      hg.tidy(() => {
        x.relu();
      });
    step();
    const before = { ...hg.poolStats };
    step();
    expect(hg.poolStats.reused - before.reused).toBe(1);
    expect(hg.poolStats.heldBytes).toBeGreaterThanOrEqual(x.numel() * 4);
    hg.drainPool();
    expect(hg.poolStats.heldBytes).toBe(0);
    step();
    expect(hg.poolStats.made - before.made).toBe(1);
  });

  it('trains bit for bit as without scopes (CNN and MLP, 4 Adam steps)', () => {
    const run = (scoped: boolean) => {
      hg.manualSeed(5);
      const model = new nn.Sequential(
        new nn.Conv2d(1, 8, 3, { padding: 1 }),
        new nn.ReLU(),
        new nn.MaxPool2d(2),
        new nn.Flatten(),
        new nn.Linear(8 * 14 * 14, 32),
        new nn.Tanh(),
        new nn.Linear(32, 10),
      );
      const opt = new optim.Adam(model.parameters(), { lr: 1e-3 });
      const x = hg.randn([32, 1, 28, 28]);
      const y = hg.randint(0, 10, [32]);
      const losses: number[] = [];
      const step = () => {
        opt.zeroGrad();
        const loss = hg.F.crossEntropy(model.forward(x), y);
        loss.backward();
        opt.step();
        return loss.item();
      };
      for (let i = 0; i < 4; i++) losses.push(scoped ? hg.tidy(step) : step());
      return { losses, weights: model.parameters().map(bits) };
    };
    const before = poolStats.reused;
    const scoped = run(true);
    expect(poolStats.reused).toBeGreaterThan(before);
    expect(scoped).toEqual(run(false));
  });
});
