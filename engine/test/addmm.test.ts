// A Linear layer's bias added inside the product (ops/matmul.ts's Addmm, the CPU's WebAssembly
// matmul adding it before C leaves its memory) against the product then the add: the same output
// and gradients bit for bit, for 2-D and batched inputs, widths that need padding, and inputs the
// product reads transposed; and the op is the one that ran.
import { describe, expect, it } from 'vitest';
import * as hg from '../src/index.ts';
import type { Node } from '../src/tensor.ts';

const bits = (t: hg.Tensor) => Array.from(new Uint32Array(Float32Array.from(t.dataSync()).buffer));

/** Whether the graph below `node` holds a node named `name`. */
function holds(node: Node | null, name: string): boolean {
  return node !== null && (node.name === name || node.next.some((n) => holds(n, name)));
}

describe('F.linear with its bias inside the product', () => {
  for (const [label, xShape, out, transposed] of [
    ['2-D, 65 outputs (C padded to 72 columns)', [37, 19], 65, false],
    ['a batch of sequences [4, 9, 33] (rows folded as matmul folds them)', [4, 9, 33], 7, false],
    ['an input seen transposed (x is a column-major view)', [40, 24], 10, true],
  ] as const)
    it(`${label}: the output and every gradient equal the product then the add`, () => {
      hg.manualSeed(xShape.length * 100 + out);
      const base = hg.randn([...xShape]);
      const weight = hg.randn([out, xShape.at(-1)!]);
      const bias = hg.randn([out]);
      const upstream = hg.randn([...xShape.slice(0, -1), out]);
      const run = (fused: boolean) => {
        const [x, w, b] = [base, weight, bias].map((t) => t.detach().requiresGrad_()) as [
          hg.Tensor,
          hg.Tensor,
          hg.Tensor,
        ];
        const input = transposed ? x.t().contiguous().t() : x;
        const y = fused ? hg.F.linear(input, w, b) : input.matmul(w.t()).add(b);
        y.mul(upstream).sum().backward();
        return { y: bits(y), x: bits(x.grad!), w: bits(w.grad!), b: bits(b.grad!), node: y.gradFn };
      };
      const fused = run(true);
      const composed = run(false);
      expect(holds(fused.node, 'AddmmBackward0')).toBe(true);
      expect(holds(composed.node, 'AddmmBackward0')).toBe(false);
      expect({ ...fused, node: null }).toEqual({ ...composed, node: null });
    });

  it('computes what WebAssembly does not cover (float64, a 1-D input) as the product then the add', () => {
    const w = hg.randn([3, 4], { dtype: 'float64' });
    const b = hg.randn([3], { dtype: 'float64' });
    const x = hg.randn([5, 4], { dtype: 'float64' });
    expect(bits(hg.F.linear(x, w, b).float())).toEqual(bits(x.matmul(w.t()).add(b).float()));
    const v = hg.randn([4]);
    const [w32, b32] = [w.float(), b.float()];
    expect(bits(hg.F.linear(v, w32, b32))).toEqual(bits(v.matmul(w32.t()).add(b32)));
  });
});
