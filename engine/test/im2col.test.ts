// The CPU's direct im2col / col2im and max-pool kernels against the gather/scatter path they
// replace (kept for other backends): the same columns and bit-identical gradients, max pooling's
// gradient at the first maximum of each window (PyTorch's rule for ties), NaN propagated, and
// gradients of gradients through both.
import { describe, expect, it } from 'vitest';
import * as hg from '../src/index.ts';
import { im2colRaw, maxPoolRaw } from '../src/ops/im2col.ts';
import { padWindows, unfoldColumns, windowIndex, windows } from '../src/nn/windows.ts';
import { BYTES_BASE64 as MAXPOOL_BASE64 } from '../src/backend/wasm/maxpool.wasm.ts';

const bits = (t: hg.Tensor) => Array.from(new Uint32Array((t.dataSync() as Float32Array).slice().buffer));

describe('direct im2col on the CPU', () => {
  for (const [label, k, stride, padding, dilation] of [
    ['3×3, padding 1', [3, 3], 1, 1, 1],
    ['5×3, stride 2, padding [2, 0]', [5, 3], 2, [2, 0], 1],
    ['3×3, dilation 2, padding 2', [3, 3], 1, 2, 2],
  ] as const) {
    it(`${label}: the same columns and bit-identical input gradients as gather/scatter`, () => {
      hg.manualSeed(1);
      const x1 = hg.randn([2, 3, 9, 8], { requiresGrad: true });
      const x2 = x1.detach().requiresGrad_();
      const w = windows('test', [9, 8], k as never, stride as never, padding as never, dilation as never);
      const direct = im2colRaw(x1, windowIndex(w).source, k[0] * k[1], w.output[0]! * w.output[1]!);
      const gathered = unfoldColumns(padWindows(x2, w), w);
      expect(direct.shape).toEqual(gathered.shape);
      expect(bits(direct)).toEqual(bits(gathered));
      const r = hg.randn(direct.shape);
      direct.mul(r).sum().backward();
      gathered.mul(r).sum().backward();
      expect(bits(x1.grad!)).toEqual(bits(x2.grad!));
    });
  }

  it('reads a dense view at an offset in place, as a copy of it would read', () => {
    hg.manualSeed(11);
    const big = hg.randn([5, 3, 8, 8]);
    const view = big.narrow(0, 2, 2).requiresGrad_(false);
    const copy = view.clone();
    const weight = hg.randn([4, 3, 3, 3]);
    expect(view.isContiguous()).toBe(true);
    expect(bits(hg.F.conv2d(view, weight, null, 1, 1))).toEqual(bits(hg.F.conv2d(copy, weight, null, 1, 1)));
    expect(bits(hg.F.maxPool2d(view, 2))).toEqual(bits(hg.F.maxPool2d(copy, 2)));
    // Gradients arriving as dense views at an offset (a slice of a larger gradient).
    const x1 = hg.randn([2, 3, 8, 8], { requiresGrad: true });
    const x2 = x1.detach().requiresGrad_();
    const r = hg.randn([3, 3, 4, 4]);
    hg.F.maxPool2d(x1, 2)
      .mul(r.narrow(0, 1, 2))
      .sum()
      .backward();
    hg.F.maxPool2d(x2, 2)
      .mul(r.narrow(0, 1, 2).clone())
      .sum()
      .backward();
    expect(bits(x1.grad!)).toEqual(bits(x2.grad!));
  });

  it('conv2d on the CPU gives gradients of gradients (col2im is differentiable)', () => {
    hg.manualSeed(2);
    const x = hg.randn([1, 2, 5, 5], { requiresGrad: true });
    const weight = hg.randn([3, 2, 3, 3], { requiresGrad: true });
    const y = hg.F.conv2d(x, weight, { padding: 1 });
    const [gx] = hg.grad([y.square().sum()], [x], { createGraph: true });
    const [gw] = hg.grad([gx!.sum()], [weight]);
    expect(gw!.shape).toEqual([3, 2, 3, 3]);
    expect(Number.isFinite(gw!.abs().sum().item())).toBe(true);
  });
});

describe('direct max pooling on the CPU', () => {
  it('matches the window maximum, and ties send the gradient to the first maximum (as PyTorch)', () => {
    // One 2×2 window of equal values, one with a clear maximum.
    const x = hg.tensor(
      [
        [
          [
            [1, 1, 0, 5],
            [1, 1, 2, 3],
          ],
        ],
      ],
      { dtype: 'float32', requiresGrad: true },
    );
    const y = hg.F.maxPool2d(x, 2);
    expect(y.tolist()).toEqual([[[[1, 5]]]]);
    y.sum().backward();
    expect(x.grad!.tolist()).toEqual([
      [
        [
          [1, 0, 0, 1],
          [0, 0, 0, 0],
        ],
      ],
    ]);
  });

  it('propagates NaN and equals the gather path on random input with padding and stride', () => {
    const nan = hg.F.maxPool2d(
      hg.tensor([
        [
          [
            [1, NaN],
            [3, 2],
          ],
        ],
      ]),
      2,
    );
    expect(Number.isNaN(nan.item())).toBe(true);
    hg.manualSeed(3);
    const x = hg.randn([2, 3, 7, 6]);
    const w = windows('test', [7, 6], [3, 3], 2, 1, 1);
    const K = 9;
    const L = w.output[0]! * w.output[1]!;
    const direct = maxPoolRaw(x, windowIndex(w).source, K, L);
    const cols = unfoldColumns(padWindows(x, w, -Infinity), w).reshape(2, 3, K, L);
    expect(bits(direct)).toEqual(bits(cols.amax(2)));
  });

  it('gives gradients of gradients', () => {
    const x = hg.tensor(
      [
        [
          [
            [1, 4, 2, 0],
            [3, 2, 8, 1],
          ],
        ],
      ],
      { dtype: 'float32', requiresGrad: true },
    );
    const y = hg.F.maxPool2d(x, 2);
    const [g] = hg.grad([y.square().sum()], [x], { createGraph: true });
    // d/dx of 2·max at the maxima (4 and 8): 8 and 16; zeros elsewhere.
    expect(g!.tolist()).toEqual([
      [
        [
          [0, 8, 0, 0],
          [0, 0, 16, 0],
        ],
      ],
    ]);
    const [gg] = hg.grad([g!.sum()], [x]);
    expect(gg!.tolist()).toEqual([
      [
        [
          [0, 2, 0, 0],
          [0, 0, 2, 0],
        ],
      ],
    ]);
  });
});

describe('max pooling on WebAssembly', () => {
  // Activations with the awkward values: ties, signed zeros, infinities and NaNs (alone, first
  // in a window, and two in one window: the first one wins).
  function awkward(shape: number[], seed: number): hg.Tensor {
    hg.manualSeed(seed);
    const x = hg.randn(shape).mul(2).round().dataSync() as Float32Array;
    const specials = [NaN, -0, 0, Infinity, -Infinity, NaN];
    for (let i = 0; i < x.length; i += 7) x[i] = specials[(i / 7) % specials.length]!;
    return hg.tensor(x, { shape });
  }
  const run = (x: hg.Tensor, k: number, stride: number, padding: number) => {
    const xg = x.detach().requiresGrad_();
    const y = hg.F.maxPool2d(xg, k, { stride, padding });
    // Each window's gradient is its own number, inexact in float32 (sevenths), so the input
    // gradient shows where each maximum was, and where overlapping windows send theirs to one
    // position the order of the additions shows too.
    y.mul(
      hg
        .arange(1, y.numel() + 1)
        .reshape(y.shape)
        .float()
        .div(7),
    )
      .sum()
      .backward();
    return { y: bits(y), grad: bits(xg.grad!) };
  };
  for (const [label, shape, k, stride, padding] of [
    ['2×2 stride 2 (four windows at a time, and the tail of each row)', [2, 3, 10, 14], 2, 2, 0],
    ['2×2 stride 2 over odd sides (the last row and column are left out)', [1, 2, 9, 11], 2, 2, 0],
    ['3×3 stride 1 (windows that overlap)', [2, 2, 7, 6], 3, 1, 0],
    ['2×2 stride 1', [1, 3, 5, 9], 2, 1, 0],
    ['3×3 stride 2 padding 1 (the TypeScript kernel: windows that reach padding)', [1, 2, 7, 7], 3, 2, 1],
  ] as const) {
    it(`${label}: values, positions and gradients equal the TypeScript kernel's`, () => {
      const x = awkward([...shape], shape.length + k);
      const before = hg.wasmElementwiseStats.calls;
      const wasm = run(x, k, stride, padding);
      const wasmCalls = hg.wasmElementwiseStats.calls - before;
      hg.setWasmElementwise(false);
      try {
        expect(run(x, k, stride, padding)).toEqual(wasm);
      } finally {
        hg.setWasmElementwise(true);
      }
      // Windows inside the input take the WebAssembly path forward, padded ones the TypeScript
      // kernel; the backward (a scatter of the saved positions) runs on WebAssembly for both.
      expect(wasmCalls).toBe(padding === 0 ? 2 : 1);
      expect(wasm.y.some((b) => b === 0x7fc00000 || (b & 0x7f800000) === 0x7f800000)).toBe(true);
    });
  }
});

describe("maxpool.wat's 2×2 kernel", () => {
  it('writes nothing past its planes when rows hold four windows or more (threads share planes out)', () => {
    // 3 planes of 6 × 14 (7 windows a row: a row's last step recomputes windows 3..6 rather
    // than writing windows 7..9 past it), then 3 of 6 × 6 (3 windows: those lanes do spill).
    const memory = new WebAssembly.Memory({ initial: 1 });
    const k = new WebAssembly.Instance(
      new WebAssembly.Module(Uint8Array.from(atob(MAXPOOL_BASE64), (c) => c.charCodeAt(0))),
      { env: { memory } },
    ).exports as unknown as {
      memory: WebAssembly.Memory;
      pool2x2(x: number, planes: number, h: number, w: number, values: number, at: number): void;
    };
    const heap = new Float32Array(k.memory.buffer);
    for (const [w, spills] of [
      [14, false],
      [6, true],
    ] as const) {
      const [planes, h, L] = [3, 6, 3 * (w / 2)];
      for (let i = 0; i < planes * h * w; i++) heap[i] = Math.sin(i * 7.3);
      const [values, at] = [4096, 8192];
      heap.fill(-12345, values / 4, values / 4 + planes * L + 8);
      heap.fill(-12345, at / 4, at / 4 + planes * L + 8);
      k.pool2x2(0, planes, h, w, values, at);
      const past = [values, at].map((base) => heap.slice(base / 4 + planes * L, base / 4 + planes * L + 8));
      expect(past.every((tail) => tail.every((v) => v === -12345))).toBe(!spills);
      // The last window of every plane: the max of its four entries.
      for (let p = 0; p < planes; p++) {
        const [r, c] = [h / 2 - 1, w / 2 - 1];
        const base = p * h * w + 2 * r * w + 2 * c;
        const entries = [base, base + 1, base + w, base + w + 1].map((i) => heap[i]!);
        expect(heap[values / 4 + (p + 1) * L - 1]).toBe(Math.max(...entries));
      }
    }
  });
});

describe('im2col and col2im on WebAssembly', () => {
  for (const [label, shape, k, stride, padding, dilation] of [
    ['2-D 3×3, padding 1 (runs of 13 and 14: vectors and tails)', [2, 3, 14, 14], [3, 3], 1, 1, 1],
    ['2-D 5×3, stride 2, padding [2, 0]', [2, 3, 9, 8], [5, 3], 2, [2, 0], 1],
    ['2-D 3×3, dilation 2, padding 2', [1, 4, 11, 10], [3, 3], 1, 2, 2],
    ['1-D kernel 4, padding 3 (long runs)', [3, 2, 40], [4], 1, 3, 1],
    ['3-D 2×3×3, padding 1', [1, 2, 4, 6, 5], [2, 3, 3], 1, 1, 1],
  ] as const) {
    it(`${label}: columns and input gradients equal the TypeScript kernels' bit for bit`, () => {
      const spatial = shape.slice(2);
      const w = windows('test', spatial, k as never, stride as never, padding as never, dilation as never);
      const K = k.reduce((p, q) => p * q, 1);
      const L = w.output.reduce((p, q) => p * q, 1);
      const source = windowIndex(w).source;
      hg.manualSeed(9);
      const x = hg.randn([...shape]);
      const r = hg.randn([shape[0], shape[1] * K, L]);
      const run = () => {
        const xg = x.detach().requiresGrad_();
        const cols = im2colRaw(xg, source, K, L);
        cols.mul(r).sum().backward();
        return { cols: bits(cols), grad: bits(xg.grad!) };
      };
      const before = hg.wasmElementwiseStats.calls;
      const wasm = run();
      expect(hg.wasmElementwiseStats.calls - before).toBeGreaterThanOrEqual(2);
      hg.setWasmElementwise(false);
      try {
        expect(run()).toEqual(wasm);
      } finally {
        hg.setWasmElementwise(true);
      }
    });
  }
});

describe('convolution with its columns laid out in WebAssembly memory', () => {
  for (const [label, f, xShape, wShape] of [
    [
      'conv2d 3×3 padding 1 (a CNN layer)',
      (x: hg.Tensor, w: hg.Tensor, b: hg.Tensor) => hg.F.conv2d(x, w, b, 1, 1),
      [3, 4, 14, 13],
      [6, 4, 3, 3],
    ],
    [
      'conv2d 5×3, stride 2, dilation [1, 2], padding [2, 1]',
      (x: hg.Tensor, w: hg.Tensor, b: hg.Tensor) => hg.F.conv2d(x, w, b, 2, [2, 1], [1, 2]),
      [2, 3, 11, 12],
      [5, 3, 5, 3],
    ],
    [
      'conv2d with groups 2',
      (x: hg.Tensor, w: hg.Tensor, b: hg.Tensor) => hg.F.conv2d(x, w, b, 1, 1, 1, 2),
      [2, 4, 9, 9],
      [6, 2, 3, 3],
    ],
    [
      'conv2d 3×3, 19 output channels (the bias gradient eight channels at a time, then one)',
      (x: hg.Tensor, w: hg.Tensor, b: hg.Tensor) => hg.F.conv2d(x, w, b, 1, 1),
      [3, 2, 9, 11],
      [19, 2, 3, 3],
    ],
    [
      'conv1d kernel 4',
      (x: hg.Tensor, w: hg.Tensor, b: hg.Tensor) => hg.F.conv1d(x, w, b, 1, 3),
      [3, 2, 300],
      [7, 2, 4],
    ],
    [
      'conv3d 2×3×3',
      (x: hg.Tensor, w: hg.Tensor, b: hg.Tensor) => hg.F.conv3d(x, w, b, 1, 1),
      [2, 2, 4, 6, 5],
      [3, 2, 2, 3, 3],
    ],
  ] as const) {
    it(`${label}: output and gradients bit for bit those of im2col, matmul and col2im composed`, () => {
      hg.manualSeed(21);
      const [x, w, b] = [hg.randn([...xShape]), hg.randn([...wShape]), hg.randn([wShape[0]])];
      const run = () => {
        const [xg, wg, bg] = [x, w, b].map((t) => t.detach().requiresGrad_()) as [
          hg.Tensor,
          hg.Tensor,
          hg.Tensor,
        ];
        const y = f(xg, wg, bg);
        y.mul(hg.randn(y.shape, { generator: new hg.Generator().manualSeed(3) }))
          .sum()
          .backward();
        return [y, xg.grad!, wg.grad!, bg.grad!].map(bits);
      };
      const before = hg.wasmElementwiseStats.calls;
      const fused = run();
      expect(hg.wasmElementwiseStats.calls - before).toBeGreaterThanOrEqual(3); // forward, dx, dw
      hg.setWasmElementwise(false); // the composed ops (TypeScript im2col/col2im)
      try {
        expect(run()).toEqual(fused);
      } finally {
        hg.setWasmElementwise(true);
      }
    });
  }

  it('gives gradients of gradients through the composed ops (float32 against float64)', () => {
    hg.manualSeed(22);
    const x = hg.randn([2, 2, 6, 5], { dtype: 'float64', requiresGrad: true });
    const w = hg.randn([3, 2, 3, 3], { dtype: 'float64', requiresGrad: true });
    const f = (a: hg.Tensor, b: hg.Tensor) => hg.F.conv2d(a, b, null, 1, 1).square();
    expect(hg.gradgradcheck(f, [x, w])).toBe(true);
    // float32 (the op above is float64: the gather path) through the direct op, second order.
    const x32 = x.detach().float().requiresGrad_();
    const w32 = w.detach().float().requiresGrad_();
    const [gx] = hg.grad([f(x32, w32).sum()], [x32], { createGraph: true });
    const [gw] = hg.grad([gx!.square().sum()], [w32]);
    const [gx64] = hg.grad([f(x, w).sum()], [x], { createGraph: true });
    const [gw64] = hg.grad([gx64!.square().sum()], [w]);
    expect(hg.allclose(gw!.double(), gw64!, { rtol: 1e-4, atol: 1e-4 })).toBe(true);
  });
});

describe('convolution with its bias inside the op', () => {
  it('adds the bias and gives its gradient bit for bit as a separate broadcast add', () => {
    hg.manualSeed(23);
    const [x, w, b] = [hg.randn([4, 3, 10, 9]), hg.randn([5, 3, 3, 3]), hg.randn([5])];
    const r = hg.randn([4, 5, 10, 9]);
    const run = (fused: boolean) => {
      const [xg, wg, bg] = [x, w, b].map((t) => t.detach().requiresGrad_()) as [
        hg.Tensor,
        hg.Tensor,
        hg.Tensor,
      ];
      const y = fused
        ? hg.F.conv2d(xg, wg, bg, 1, 1)
        : hg.F.conv2d(xg, wg, null, 1, 1).add(bg.reshape(1, 5, 1, 1));
      y.mul(r).sum().backward();
      return [y, xg.grad!, wg.grad!, bg.grad!].map(bits);
    };
    expect(run(true)).toEqual(run(false));
  });

  it('leaves a weight of another dtype to the composed ops, which promote (float64 result)', () => {
    hg.manualSeed(24);
    const x = hg.randn([2, 3, 6, 6]);
    const w = hg.randn([4, 3, 3, 3], { dtype: 'float64' });
    const y = hg.F.conv2d(x, w, null, 1, 1);
    expect(y.dtype).toBe('float64');
    const expected = hg.F.conv2d(x.double(), w, null, 1, 1);
    expect(hg.allclose(y, expected, { rtol: 1e-12, atol: 1e-12 })).toBe(true);
    // A bias of the wrong length is refused, naming the shapes, as before.
    expect(() => hg.F.conv2d(x, w.float(), hg.randn([3]), 1, 1)).toThrow();
  });
});
