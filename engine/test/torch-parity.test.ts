// PyTorch parity: every case of the conformance table, forward and backward, against values
// that fixtures/generate.py computed with python3-torch (rel 1e-5 in float32, 1e-10 in float64).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as hg from '../src/index.ts';
import { CASES } from './cases.ts';
import { closeness, decode, decodeNumber, loadFixture, type Encoded } from './fixture.ts';

const fixture = loadFixture('ops.json');
const TOL = { float32: { rtol: 1e-5, atol: 1e-6 }, float64: { rtol: 1e-10, atol: 1e-12 } } as const;

function expectClose(what: string, actual: hg.Tensor, expected: Encoded): void {
  expect(actual.shape, `${what} shape`).toEqual(expected.shape);
  const exact = !['float32', 'float64', 'float16', 'bfloat16'].includes(expected.dtype);
  expect(actual.dtype, `${what} dtype`).toBe(expected.dtype);
  const values = Array.from(actual.dataSync());
  const want = expected.data.map(decodeNumber);
  if (exact) return void expect(values, what).toEqual(want);
  // Values of order 1e4 (the "large" cases) scale the absolute tolerance.
  const scale = Math.max(1, ...want.filter(Number.isFinite).map(Math.abs));
  const { rtol, atol } = TOL[expected.dtype as 'float32' | 'float64'];
  const worst = closeness(values, want, rtol, atol * scale);
  expect(worst.index, `${what}: index ${worst.index} is ${worst.actual}, expected ${worst.expected}`).toBe(
    -1,
  );
}

// The table runs twice: with the WebAssembly SIMD kernels (matmul taking every float32 product,
// dense elementwise ops from 1,024 values), and with the TypeScript reference kernels.
describe.each([
  ['wasm', 0],
  ['reference', 4096],
] as const)(
  'PyTorch parity with the %s matmul (fixtures from torch ' + fixture.torch + ')',
  (kernel, minWork) => {
    beforeAll(() => {
      hg.setMatmulKernel(kernel, { minWork });
      hg.setWasmElementwise(kernel === 'wasm');
      if (kernel === 'wasm') expect(hg.matmulKernel()).toBe('wasm');
    });
    afterAll(() => {
      hg.setMatmulKernel('wasm');
      hg.setWasmElementwise(true);
    });

    it('has a case in the engine table for every fixture and vice versa', () => {
      const fixtureNames = new Set(fixture.cases.map((c) => c.name));
      expect([...fixtureNames].sort()).toEqual(Object.keys(CASES).sort());
    });

    for (const c of fixture.cases) {
      it(`${c.name} (${c.dtype})`, () => {
        const inputs = c.inputs.map(decode);
        const out = CASES[c.name]!(...inputs);
        expectClose('output', out, c.output);
        if (!c.gradOutput) return;
        const differentiable = inputs.filter((x) => x.requiresGrad);
        const grads = hg.grad(out, differentiable, { gradOutputs: decode(c.gradOutput), allowUnused: true });
        c.grads!.forEach((g, i) => {
          const got = grads[i] ?? null;
          if (g === null) return void expect(got).toBeNull();
          expectClose(`grad of input ${i}`, got!, g);
        });
      });
    }
  },
);
