// The WebAssembly SIMD kernels against the TypeScript reference: every layout autograd produces
// (transposed views, broadcast batches, odd sizes that need padding), and the generated module
// matches its .wat source.
import { execFileSync } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import * as hg from '../src/index.ts';
import { load as loadSgemm, sgemmStats } from '../src/backend/wasm/sgemm.ts';
import { reserve as reserveMemory } from '../src/backend/wasm/instance.ts';
import { addressOf } from '../src/backend/wasm/arena.ts';
import { wasmRowsStats } from '../src/backend/wasm/rows.ts';

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

  it('gives the same bits in every layout (dense, transposed, strided), and stale memory never leaks in', () => {
    hg.setMatmulKernel('wasm', { minWork: 0 });
    const bits = (t: hg.Tensor) =>
      Array.from(new Uint32Array(Float32Array.from(t.dataSync() as Float32Array).buffer));
    // Every other element of a wider tensor: a view the kernel has to pack element by element.
    const strided = (t: hg.Tensor) => hg.stack([t, hg.zerosLike(t)], -1).select(-1, 0);
    for (const [batch, m, k, n] of [
      [1, 5, 7, 13],
      [1, 17, 33, 9],
      [3, 16, 9, 196],
      [2, 32, 196, 144],
      [1, 9, 600, 11],
      [1, 65, 520, 40],
    ] as const) {
      hg.manualSeed(m + k + n);
      const a = hg.randn([batch, m, k]);
      const b = hg.randn([batch, k, n]);
      const want = bits(a.matmul(b));
      // The kernel's arithmetic: float32 products added in order of k (k is taken in blocks for
      // the caches, and the partial sums carried across them exactly).
      const [A, B] = [a.dataSync() as Float32Array, b.dataSync() as Float32Array];
      const sequential = new Float32Array(batch * m * n);
      for (let p = 0; p < batch; p++)
        for (let i = 0; i < m; i++)
          for (let j = 0; j < n; j++) {
            let acc = 0;
            for (let t = 0; t < k; t++)
              acc = Math.fround(acc + Math.fround(A[(p * m + i) * k + t]! * B[(p * k + t) * n + j]!));
            sequential[(p * m + i) * n + j] = acc;
          }
      expect(want).toEqual(Array.from(new Uint32Array(sequential.buffer)));
      const layouts = (t: hg.Tensor) => [t, t.mT.contiguous().mT, strided(t)];
      const before = sgemmStats.transposedA;
      for (const [i, x] of layouts(a).entries())
        for (const [j, y] of layouts(b).entries())
          expect(bits(x.matmul(y)), `A layout ${i}, B layout ${j}`).toEqual(want);
      // A transposed A is packed straight from its transpose (packAT): once for each of B's
      // three layouts, a product at a time.
      expect(sgemmStats.transposedA - before).toBe(3 * batch);
      // A product that leaves NaN in the kernel's memory, then one whose padding reads there.
      hg.full([64, 72], NaN).matmul(hg.full([72, 40], NaN));
      expect(bits(a.matmul(b))).toEqual(want);
    }
  });

  it('writes a C narrower than its panels where it goes, and nothing past its columns', () => {
    // In a memory scope the product's result lives in the arena and the kernel writes it there
    // with rows n apart, storing only the true columns of the last panel (sgemmP's nc); k past
    // one block (256) has that panel's partial sums reloaded as whole vectors.
    // (C has at least 16,384 values, as the pool puts in the arena.)
    hg.setMatmulKernel('wasm', { minWork: 0 });
    for (const [m, k, n] of [
      [4100, 7, 4],
      [1640, 20, 11],
      [256, 300, 65],
      [1028, 520, 17],
    ] as const) {
      hg.manualSeed(m + k + n);
      const a = hg.randn([m, k]);
      const w = hg.randn([n, k]);
      const bias = hg.randn([n]);
      const [A, W, Bias] = [a, w, bias].map((t) => t.dataSync() as Float32Array) as [
        Float32Array,
        Float32Array,
        Float32Array,
      ];
      const want = new Float32Array(m * n);
      for (let i = 0; i < m; i++)
        for (let j = 0; j < n; j++) {
          let acc = 0;
          for (let t = 0; t < k; t++) acc = Math.fround(acc + Math.fround(A[i * k + t]! * W[j * k + t]!));
          want[i * n + j] = Math.fround(acc + Bias[j]!);
        }
      const before = sgemmStats.narrowC;
      const got = hg.tidy(() =>
        Float32Array.from(hg.F.linear(a.clone(), w, bias).dataSync() as Float32Array),
      );
      expect(sgemmStats.narrowC - before, `${m}x${k}x${n}`).toBe(1);
      expect(Array.from(new Uint32Array(got.buffer))).toEqual(Array.from(new Uint32Array(want.buffer)));
    }
    // The kernel itself, in its own memory: C of 12 rows × 11 columns, then sentinels.
    const kernel = loadSgemm()!;
    const [m, k, n, np] = [12, 600, 11, 16];
    reserveMemory(kernel.memory, 1 << 20);
    const heap = new Float32Array(kernel.memory.buffer);
    const [aAt, packedAt, bAt, pAt, cAt] = [0, 8192, 16384, 32768, 65536];
    hg.manualSeed(4);
    heap.set(hg.randn([m * k]).dataSync() as Float32Array, aAt);
    heap.set(hg.randn([k * np]).dataSync() as Float32Array, bAt);
    kernel.panels(bAt * 4, pAt * 4, k, np, np);
    heap.fill(-7, cAt, cAt + m * n + 64);
    kernel.packA(aAt * 4, packedAt * 4, m, k, k);
    kernel.sgemmP(packedAt * 4, pAt * 4, cAt * 4, m, np, k, n, n);
    expect(Array.from(heap.subarray(cAt + m * n, cAt + m * n + 64))).toEqual(new Array(64).fill(-7));
    for (const [i, j] of [
      [0, 0],
      [5, 10],
      [11, 10],
      [11, 3],
    ] as const) {
      let acc = 0;
      for (let t = 0; t < k; t++)
        acc = Math.fround(acc + Math.fround(heap[aAt + i * k + t]! * heap[bAt + t * np + j]!));
      expect(heap[cAt + i * n + j]).toBe(acc);
    }
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

describe('WebAssembly SIMD elementwise ops', () => {
  afterEach(() => hg.setWasmElementwise(true));

  /** Values with every special a float32 op meets: ±0, ±inf, NaN, tiny and huge magnitudes. */
  function values(n: number, seed: number): hg.Tensor {
    hg.manualSeed(seed);
    const x = hg.randn([n]).mul(3).dataSync() as Float32Array;
    const specials = [0, -0, Infinity, -Infinity, NaN, 1e-40, -1e38, 1, -1, 0.5];
    specials.forEach((v, i) => (x[(i * 97) % n] = v));
    return hg.tensor(x);
  }

  /** The op's float32 bits with the SIMD path and with the TypeScript kernels; asserts the SIMD path ran. */
  function bits(f: () => hg.Tensor): [number[], number[]] {
    hg.setWasmElementwise(true);
    const before = hg.wasmElementwiseStats.calls;
    const simd = f();
    expect(hg.wasmElementwiseStats.calls).toBeGreaterThan(before);
    hg.setWasmElementwise(false);
    const reference = f();
    const asBits = (t: hg.Tensor) =>
      Array.from(new Uint32Array((t.dataSync() as Float32Array).slice().buffer));
    return [asBits(simd), asBits(reference)];
  }

  const a = values(64 * 33, 1).reshape(64, 33);
  const b = values(64 * 33, 2).reshape(64, 33);
  const conv = values(4 * 16 * 71, 5).reshape(4, 16, 71);
  const channel = values(16, 6).reshape(1, 16, 1);
  const plane = values(16 * 71, 7).reshape(16, 71);
  it.each([
    ['dense a + b (a tail of 2 past the vectors)', () => a.add(b)],
    ['dense a − b', () => a.sub(b)],
    ['dense a · b', () => a.mul(b)],
    ['dense a / b', () => a.div(b)],
    ['a tensor and a number', () => a.mul(3.5)],
    ['a number and a tensor', () => hg.div(2.5, a)],
    ['a bias broadcast along the rows', () => a.add(b.index(0))],
    ['a column broadcast along each row', () => a.sub(b.index(hg.sl(), hg.sl(0, 1)))],
    ['rows of a strided view', () => a.index(hg.sl(), hg.sl(1, 31)).mul(b.index(hg.sl(), hg.sl(2, 32)))],
    // Two outer dims: each batch's slab of rows in one call.
    ['a conv bias [1, C, 1] on [N, C, L]', () => conv.add(channel)],
    ['[N, C, L] scaled per channel, operands swapped', () => channel.mul(conv)],
    ['[N, C, L] + a [C, L] plane', () => conv.sub(plane)],
  ])('%s is bit-identical to the TypeScript kernel', (_name, f) => {
    const [simd, reference] = bits(f);
    expect(simd).toEqual(reference);
  });

  it.each(['neg', 'abs', 'sqrt', 'relu', 'square', 'reciprocal', 'tanh', 'sigmoid', 'exp'] as const)(
    '%s is bit-identical to the TypeScript kernel, on dense values and on rows of a wider tensor',
    (op) => {
      const run = (x: hg.Tensor) => () => (x as unknown as Record<string, () => hg.Tensor>)[op]!.call(x);
      const x = values(1031, 3);
      const [simd, reference] = bits(run(x));
      expect(simd).toEqual(reference);
      // A column block of [64, 40] (an LSTM's gate): rows of 30 gathered, then the kernel.
      const block = values(64 * 40, 4)
        .reshape(64, 40)
        .narrow(1, 7, 30);
      const [simdRows, referenceRows] = bits(run(block));
      expect(simdRows).toEqual(referenceRows);
    },
  );

  it.each([
    ['over the batch (a bias gradient)', [128, 33], [0]],
    ['over two leading dims', [6, 20, 17], [0, 1]],
    ['with four columns exactly', [300, 4], [0]],
    // Every dim but one (batch norm's per-channel sums): eight channels' chains, then two, then one.
    ['per channel of [N, C, H, W]', [6, 19, 5, 7], [0, 2, 3]],
    ['per row (every dim after the first)', [11, 3, 40], [1, 2]],
    ['per entry of a middle dim, others before and after', [3, 4, 9, 30], [0, 1, 3]],
  ] as const)('a column sum %s is bit-identical to the TypeScript kernel', (_name, shape, dims) => {
    const x = values(
      shape.reduce((p, d) => p * d, 1),
      4,
    ).reshape([...shape]);
    const [simd, reference] = bits(() => x.sum([...dims]));
    expect(simd).toEqual(reference);
  });

  it('in a memory scope: every op and operand kind runs where the values lie, with the TypeScript kernels’ bits', () => {
    // Sizes past the pool's minimum (16,384 floats), so that the results live in the arena; row
    // lengths with tails of 1–3; small broadcast operands (a bias, a channel's mean) copied in.
    const big = values(130 * 131, 11).reshape(130, 131);
    const other = values(130 * 131, 12).reshape(130, 131);
    const maps = values(8 * 16 * 130, 13).reshape(8, 16, 130);
    const perChannel = values(16, 14).reshape(1, 16, 1);
    const bitsOf = (t: hg.Tensor) =>
      Array.from(new Uint32Array((t.dataSync() as Float32Array).slice().buffer));
    const cases: [string, (x: hg.Tensor, y: hg.Tensor, m: hg.Tensor, c: hg.Tensor) => hg.Tensor][] = [
      ['a + b', (x, y) => x.add(y)],
      ['a − b', (x, y) => x.sub(y)],
      ['a · b', (x, y) => x.mul(y)],
      ['a / b', (x, y) => x.div(y)],
      ['a tensor and a number', (x) => x.mul(3.5)],
      ['a number and a tensor', (x) => hg.div(2.5, x)],
      ['a bias along the rows', (x, y) => x.add(y.index(0))],
      ['a column along each row', (x, y) => x.sub(y.index(hg.sl(), hg.sl(0, 1)))],
      ['a value per row, first', (x, y) => y.index(hg.sl(), hg.sl(3, 4)).div(x)],
      [
        'rows of a strided view',
        (x, y) => x.index(hg.sl(), hg.sl(1, 129)).mul(y.index(hg.sl(), hg.sl(2, 130))),
      ],
      ['a channel mean off [N, C, L] (batch norm)', (_x, _y, m, c) => m.sub(c)],
      // An operand from outside the scope (not in the arena), rows of a strided view: copied in.
      [
        'strided rows of an operand from outside the scope',
        (x) => x.index(hg.sl(), hg.sl(0, 128)).mul(other.index(hg.sl(), hg.sl(2, 130))),
      ],
      ['[N, C, L] scaled per channel, operands swapped', (_x, _y, m, c) => c.mul(m)],
    ];
    for (const [name, f] of cases) {
      hg.setWasmElementwise(false);
      const reference = bitsOf(f(big, other, maps, perChannel));
      hg.setWasmElementwise(true);
      const inside = hg.tidy(() => {
        // Operands made in the scope live in the arena, as a training step's do.
        const [x, y, m] = [big, other, maps].map((t) => t.mul(1));
        const before = hg.wasmElementwiseStats.inArena;
        const out = f(x!, y!, m!, perChannel);
        // One call, slabs of rows ([N, C, L] against [1, C, 1]) included.
        expect(hg.wasmElementwiseStats.inArena - before, name).toBe(1);
        expect(addressOf(out.view_().buffer as Float32Array), name).not.toBeNull();
        return bitsOf(out);
      });
      expect(inside, name).toEqual(reference);
    }
  });

  it('ReLU’s backward of an expanded gradient (a sum’s, a mean’s) is the masked gradient, on the one-pass kernel', () => {
    const x = values(8 * 16 * 70, 15).reshape(8, 16, 70);
    const asBits = (t: hg.Tensor) =>
      Array.from(new Uint32Array((t.dataSync() as Float32Array).slice().buffer));
    const losses: [string, (y: hg.Tensor) => hg.Tensor, hg.Tensor][] = [
      ['sum', (y) => y.sum(), hg.ones([8, 16, 70])],
      ['mean', (y) => y.mean(), hg.full([8, 16, 70], 1 / (8 * 16 * 70))],
    ];
    for (const [name, loss, upstream] of losses) {
      const leaf = x.detach().requiresGrad_(true);
      const value = loss(hg.relu(leaf));
      const before = hg.wasmElementwiseStats.calls;
      value.backward();
      // One kernel call: ReLU's backward (a generic compare and select before).
      expect(hg.wasmElementwiseStats.calls - before, name).toBe(1);
      // What PyTorch's threshold_backward gives: the gradient where x > 0, else +0.
      const expected = hg.where(x.gt(0), upstream, hg.zeros([]));
      expect(asBits(leaf.grad!), name).toEqual(asBits(expected));
    }
  });

  it('per-channel sums in a memory scope read the values where they lie, with the TypeScript kernel’s bits', () => {
    const x = values(8 * 19 * 16 * 10, 17).reshape(8, 19, 16, 10);
    const asBits = (t: hg.Tensor) =>
      Array.from(new Uint32Array((t.dataSync() as Float32Array).slice().buffer));
    hg.setWasmElementwise(false);
    const reference = asBits(x.sum([0, 2, 3]));
    hg.setWasmElementwise(true);
    const inside = hg.tidy(() => {
      const resident = x.mul(1);
      expect(addressOf(resident.view_().buffer as Float32Array)).not.toBeNull();
      const before = hg.wasmElementwiseStats.calls;
      const sums = resident.sum([0, 2, 3]);
      expect(hg.wasmElementwiseStats.calls - before).toBe(1);
      return asBits(sums);
    });
    expect(inside).toEqual(reference);
  });

  it('leaves small, integer and non-dense operands to the TypeScript kernels', () => {
    const before = hg.wasmElementwiseStats.calls;
    a.index(hg.sl(0, 4)).add(1);
    hg.arange(5000).add(hg.arange(5000));
    a.t().add(b.t()).contiguous();
    expect(hg.wasmElementwiseStats.calls).toBe(before);
  });
});

describe('WebAssembly tanh, sigmoid and exp (float64 without the library call, rounded as it rounds)', () => {
  /**
   * Inputs: every special and branch edge; values near a float32 rounding boundary (inputs where
   * rounding the float64 approximation directly gives another float32 than the exact function,
   * listed by `check-kernels.mjs --unchecked`, which takes the kernel's check out: the kernels
   * must notice them);
   * 2^18 random bit patterns (every magnitude and NaN payloads) and 2^18 values in each
   * function's working range. That script checks all 2^32 inputs; this is its quick sample.
   */
  function inputs(lo: number, hi: number, nearBoundary: number[] /* float32 bit patterns */): Float32Array {
    const edges = [0, -0, Infinity, -Infinity, NaN, 1e-45, -1e-45, 1.1754942e-38, 2 ** -10, 2 ** -28];
    const around = [2 ** -10, 9.0109, 19.06, 20, 88.72284, 88.72284, -87.33655, -103.27893, -103.97, -110, 1];
    const near = around.flatMap((v) => [-1, 0, 1].map((d) => v * (1 + d * 2 ** -23)));
    const x = new Float32Array(edges.length + 2 * near.length + nearBoundary.length + 2 ** 19);
    x.set([...edges, ...near.flatMap((v) => [v, -v])]);
    const bits = new Uint32Array(x.buffer);
    bits.set(nearBoundary, edges.length + 2 * near.length);
    hg.manualSeed(11);
    const u = hg.rand([2 ** 19]).dataSync();
    for (let i = 0; i < 2 ** 18; i++) bits[x.length - 2 ** 19 + i] = Math.floor(u[i]! * 2 ** 32) >>> 0;
    for (let i = 2 ** 18; i < 2 ** 19; i++) x[x.length - 2 ** 19 + i] = lo + u[i]! * (hi - lo);
    return x;
  }
  const asBits = (values: ArrayLike<number>) => new Uint32Array(Float32Array.from(values).buffer);

  it.each([
    [
      'tanh',
      hg.tanh,
      Math.tanh,
      -10,
      10,
      [
        0x39b899f4, 0x3a46dcb0, 0x3aefa4d1, 0x3b9ad23f, 0x3c565b74, 0x3d83214e, 0xb9b899f4, 0xba46dcb0,
        0xbaefa4d1, 0xbb9ad23f, 0xbc565b74, 0xbd83214e,
      ],
    ],
    [
      'sigmoid',
      hg.sigmoid,
      (v: number) => 1 / (1 + Math.exp(-v)),
      -30,
      30,
      [
        0x33ffffdf, 0x37b50000, 0x385a8000, 0x38ad4000, 0x38ed4000, 0x3ab8a402, 0xb3800001, 0xb67c0001,
        0xbc88f1f1, 0xbe22a42b, 0xc03b917d, 0xc15f3244,
      ],
    ],
    [
      'exp',
      hg.exp,
      Math.exp,
      -20,
      5,
      [
        0x33800000, 0x387e3e07, 0x3ca834ff, 0x3ee2bf43, 0x40b07b28, 0x425e0f9c, 0xb3bffffb, 0xb6cd0029,
        0xba2e3cd2, 0xbd4248cd, 0xbecfc784, 0xc0b029aa,
      ],
    ],
  ] as const)(
    '%s equals Math.fround of the exact function on every input class',
    (_name, op, exact, lo, hi, near) => {
      const x = inputs(lo, hi, [...near]);
      hg.setWasmElementwise(true);
      const before = hg.wasmElementwiseStats.calls;
      const got = op(hg.tensor(x)).dataSync() as Float32Array;
      expect(hg.wasmElementwiseStats.calls).toBe(before + 1);
      const want = x.map((v) => exact(v));
      // NaN in, NaN out: its sign and payload are the JIT's choice even in the TypeScript kernel
      // (−x on a NaN may flip its sign or not), and a Float32Array store need not keep them.
      const same = (a: number, b: number) => asBits([a])[0] === asBits([b])[0] || (a !== a && b !== b);
      const wrong = Array.from(x.keys()).filter((i) => !same(got[i]!, want[i]!));
      expect(wrong.map((i) => [x[i], got[i], want[i]])).toEqual([]);
      // Odd lengths (the kernels work in pairs) and the first and last values.
      for (const n of [1025, 1031]) {
        const part = op(hg.tensor(x.subarray(3, 3 + n))).dataSync() as Float32Array;
        expect(Array.from(part.keys()).filter((i) => !same(part[i]!, want[3 + i]!))).toEqual([]);
      }
    },
  );
});

describe('WebAssembly softmax and log-softmax', () => {
  afterEach(() => hg.setWasmElementwise(true));

  /**
   * Rows with huge values, an infinite max, a NaN among the first values and one in the last,
   * all equal, zeros of both signs as the max (the first of them, in row order, is -0), and an
   * odd number of rows (the sums go two rows at a time).
   */
  function rows(seed: number, count = 41, n = 67): hg.Tensor {
    hg.manualSeed(seed);
    const x = hg.randn([count, n]).mul(4).dataSync() as Float32Array;
    const special: ((j: number) => number)[] = [
      (j) => j * 1e4,
      (j) => (j === Math.min(5, n - 1) ? -Infinity : j),
      (j) => (j === Math.min(10, n - 1) ? NaN : j),
      () => 3,
      (j) => (j === 1 ? Infinity : -j),
      (j) => (j === n - 1 ? NaN : j),
      (j) => (j === 1 ? -0 : j === 4 ? 0 : -3 - j),
    ];
    special.forEach((f, i) => {
      if (i + 1 < count) for (let j = 0; j < n; j++) x[(i + 1) * n + j] = f(j);
    });
    return hg.tensor(x, { shape: [count, n] });
  }
  // (The fused kernel takes 256 values or more.)
  const shapes = [
    [41, 67],
    [91, 3],
    [65, 4],
    [33, 8],
    [257, 1],
  ] as const;
  const bitsOf = (t: hg.Tensor) => Array.from(new Uint32Array((t.dataSync() as Float32Array).slice().buffer));

  it.each(['softmax', 'logSoftmax'] as const)(
    '%s forward is bit-identical to the composed ops (fdlibm exp, same roundings)',
    (fn) => {
      for (const [count, n] of shapes) {
        const x = rows(5, count, n);
        hg.setWasmElementwise(true);
        const before = hg.wasmElementwiseStats.calls;
        const fused = bitsOf(hg[fn](x, -1));
        expect(hg.wasmElementwiseStats.calls).toBeGreaterThan(before);
        hg.setWasmElementwise(false);
        expect(fused).toEqual(bitsOf(hg[fn](x, -1)));
      }
    },
  );

  it('logSoftmax backward is bit-identical to the one-pass TypeScript kernel', () => {
    hg.manualSeed(8);
    const x = rows(7, 61, 67);
    const g = hg.randn([61, 67]);
    const grad = () => {
      const leaf = x.detach().requiresGrad_(true);
      hg.logSoftmax(leaf, -1).backward(g);
      return bitsOf(leaf.grad!);
    };
    hg.setWasmElementwise(true);
    const before = hg.wasmElementwiseStats.calls;
    const fused = grad();
    expect(hg.wasmElementwiseStats.calls).toBe(before + 2);
    hg.setWasmElementwise(false);
    expect(fused).toEqual(grad());
  });

  it('in a memory scope: softmax, log-softmax and its backward read and write where they lie, with the TypeScript kernels’ bits', () => {
    // 300 × 67 values: the pool's size for the arena.
    const x = rows(9, 300, 67);
    const g = hg.randn([300, 67]);
    const run = () => {
      const leaf = x.mul(1).requiresGrad_(true);
      const [sm, lsm] = [hg.softmax(leaf, -1), hg.logSoftmax(leaf, -1)];
      lsm.backward(g.mul(1));
      return { values: [bitsOf(sm), bitsOf(lsm), bitsOf(leaf.grad!)], lsm };
    };
    hg.setWasmElementwise(false);
    const reference = run().values;
    hg.setWasmElementwise(true);
    const outside = run().values;
    outside.forEach((values, i) => expect(values, `${i}`).toEqual(reference[i]));
    const inside = hg.tidy(() => {
      const { values, lsm } = run();
      // The result written where it lies, in the arena.
      expect(addressOf(lsm.view_().buffer as Float32Array)).not.toBeNull();
      return values;
    });
    inside.forEach((values, i) => expect(values, `${i}`).toEqual(outside[i]));
  });

  it.each(['softmax', 'logSoftmax'] as const)(
    "%s gradients (first and second order) agree with the composed float64 ops'",
    (fn) => {
      hg.manualSeed(6);
      const x = hg.randn([16, 33]).mul(2);
      const g = hg.randn([16, 33]);
      const grads = (t: hg.Tensor) => {
        const leaf = t.detach().requiresGrad_(true);
        const [first] = hg.grad(hg[fn](leaf, 1), [leaf], { gradOutputs: g, createGraph: true });
        const [second] = hg.grad(first!.square().sum(), [leaf]);
        return [first!, second!].map((v) => Array.from(v.double().dataSync()));
      };
      const [f1, f2] = grads(x);
      const [r1, r2] = grads(x.double());
      f1!.forEach((v, i) => expect(Math.abs(v - r1![i]!)).toBeLessThan(1e-5 * (1 + Math.abs(r1![i]!))));
      f2!.forEach((v, i) => expect(Math.abs(v - r2![i]!)).toBeLessThan(1e-4 * (1 + Math.abs(r2![i]!))));
    },
  );
});

describe('WebAssembly row moves (an embedding lookup and its gradient)', () => {
  afterEach(() => hg.setWasmElementwise(true));
  const bitsOf = (t: hg.Tensor) => Array.from(new Uint32Array((t.dataSync() as Float32Array).slice().buffer));

  /** A table with NaN, ±inf and ±0 in it; `lasting`: one that lives in the arena (from zeros). */
  function table(rows: number, inner: number, lasting: boolean): hg.Tensor {
    hg.manualSeed(rows * 100 + inner);
    const x = hg.randn([rows, inner]).mul(3);
    const v = x.dataSync() as Float32Array;
    [NaN, Infinity, -Infinity, -0, 0, 1e-40].forEach((s, i) => (v[(i * 37) % v.length] = s));
    const values = hg.tensor(v, { shape: [rows, inner] });
    return lasting ? hg.zeros([rows, inner]).add_(values) : values;
  }

  // Widths with and without a scalar tail; tables small (copied into the arena) and large (read
  // where they lie); 1,500 indices with many repeats, so scatter-add sums duplicates in order.
  const cases = [
    [65, 32, false],
    [65, 3, false],
    [40, 33, false],
    [700, 32, true],
    [600, 29, true],
  ] as const;

  it.each(cases)(
    'a %i × %i table (in the arena: %s): lookup and gradient equal the TypeScript loops',
    (rows, inner, lasting) => {
      const w = table(rows, inner, lasting);
      const ids = hg.randint(0, rows, [30, 50]);
      const g = hg.randn([30, 50, inner]).mul(1e3);
      const run = () =>
        hg.tidy(() => {
          const leaf = w.detach().requiresGrad_(true);
          const out = hg.F.embedding(ids, leaf);
          out.backward(g);
          return [bitsOf(out), bitsOf(leaf.grad!)] as const;
        });
      hg.setWasmElementwise(true);
      const before = wasmRowsStats.calls;
      const [lookup, grad] = run();
      expect(wasmRowsStats.calls).toBe(before + 2);
      hg.setWasmElementwise(false);
      const [lookupTs, gradTs] = run();
      expect(lookup).toEqual(lookupTs);
      expect(grad).toEqual(gradTs);
      // And against the definition: row i of the lookup is row ids[i] of the table.
      const idv = ids.dataSync();
      const wv = bitsOf(w);
      expect(lookup.slice(inner * 7, inner * 8)).toEqual(wv.slice(idv[7]! * inner, (idv[7]! + 1) * inner));
    },
  );
});
