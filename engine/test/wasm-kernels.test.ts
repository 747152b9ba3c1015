// The WebAssembly SIMD kernels against the TypeScript reference: every layout autograd produces
// (transposed views, broadcast batches, odd sizes that need padding), and the generated module
// matches its .wat source.
import { execFileSync } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import * as hg from '../src/index.ts';

afterEach(() => hg.setMatmulKernel('wasm'));

function both(f: () => hg.Tensor): [number[], number[]] {
  hg.setMatmulKernel('wasm', { minWork: 0 });
  const wasm = Array.from(f().dataSync());
  hg.setMatmulKernel('reference');
  const reference = Array.from(f().dataSync());
  return [wasm, reference];
}

function expectClose(wasm: number[], reference: number[], k: number): void {
  expect(wasm.length).toBe(reference.length);
  // float32 accumulation over k terms of unit-variance products.
  const tol = 4e-7 * Math.sqrt(k) * 8;
  const worst = Math.max(
    0,
    ...wasm.map((v, i) => Math.abs(v - reference[i]!) / Math.max(1, Math.abs(reference[i]!))),
  );
  expect(worst).toBeLessThan(tol);
}

describe('WebAssembly SIMD matmul', () => {
  it('is available here and used for float32 products', () => {
    expect(hg.wasmSimdAvailable()).toBe(true);
    expect(hg.matmulKernel()).toBe('wasm');
  });

  it.each([
    [1, 1, 1],
    [3, 5, 7],
    [4, 8, 8],
    [17, 33, 9],
    [64, 1, 64],
    [130, 70, 250],
  ])('agrees with the reference for [%i,%i]·[%i,…] in every layout', (m, k, n) => {
    hg.manualSeed(m * 1000 + k * 10 + n);
    const a = hg.randn([m, k]);
    const b = hg.randn([k, n]);
    expectClose(...both(() => a.matmul(b)), k);
    expectClose(...both(() => a.t().contiguous().t().matmul(b)), k); // Aᵀ-stored A
    expectClose(...both(() => a.matmul(b.t().contiguous().t())), k); // A·Bᵀ layout
    // Exact zeros where one operand is zero, through the padding.
    const [zeros] = both(() => hg.zeros([m, k]).matmul(b));
    expect(zeros.every((v) => v === 0)).toBe(true);
  });

  it('handles batches, broadcast batch operands and growing memory', () => {
    hg.manualSeed(3);
    const a = hg.randn([5, 12, 20]);
    const b = hg.randn([20, 9]);
    expectClose(...both(() => a.matmul(b)), 20); // b broadcast over the batch (stride 0)
    const [p, q] = [hg.randn([2, 3, 4]), hg.randn([2, 4, 6])];
    expectClose(...both(() => p.matmul(q)), 4);
    const big = hg.randn([300, 400]);
    expectClose(...both(() => big.matmul(big.t())), 400);
  });

  it('gives gradients equal to the reference kernel (Linear backward uses all three layouts)', () => {
    hg.manualSeed(9);
    const x = hg.randn([33, 40]);
    const w = hg.randn([24, 40], { requiresGrad: true });
    const grads = (['wasm', 'reference'] as const).map((kernel) => {
      hg.setMatmulKernel(kernel, { minWork: 0 });
      w.grad = null;
      hg.F.linear(x, w).square().sum().backward();
      return Array.from(w.grad!.dataSync());
    });
    expectClose(grads[0]!, grads[1]!, 33 * 40);
  });

  it('is generated from its .wat source (engine/scripts/build-wasm.mjs --check)', () => {
    expect(() =>
      execFileSync('node', ['engine/scripts/build-wasm.mjs', '--check'], {
        cwd: new URL('../..', import.meta.url).pathname,
      }),
    ).not.toThrow();
  });
});
