// The arena (backend/wasm/arena.ts): the buffer pool's large arrays live in one shared
// WebAssembly memory and the kernels run over them where they lie. Checked here: which arrays
// live there; blocks come back (given back, or their array collected) and a reused block is
// zeroed where zeros are promised; arrays stay valid when the memory grows; the SIMD tail of a
// result stays in its block's slack; and every kernel with an arena path gives the same bits
// (values and gradients) in the arena, copied in and out as before, and in TypeScript.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterEach, describe, expect, it } from 'vitest';
import * as hg from '../src/index.ts';
import { nn, optim } from '../src/index.ts';
import { setFusedOptimizers } from '../src/optim/fused.ts';
import { giveBack, POOL_MIN, takeF32, takeZeroedF32 } from '../src/backend/cpu/pool.ts';
import {
  addressOf,
  arenaArray,
  arenaMemory,
  arenaScratch,
  arenaStats,
  setArena,
} from '../src/backend/wasm/arena.ts';
import { setWasmElementwise, wasmElementwiseStats, wasmUnary } from '../src/backend/wasm/elementwise.ts';
import { sgemmStats } from '../src/backend/wasm/sgemm.ts';

const F = hg.F;
const bitsOf = (values: Float32Array) => Array.from(new Uint32Array(Float32Array.from(values).buffer));
const bits = (t: hg.Tensor) => bitsOf(t.dataSync() as Float32Array);
/** t's values in an array from the pool, made inside a memory scope (so in the arena while it is on). */
const pooledCopy = (t: hg.Tensor) => hg.tidy(() => t.mul(1));
/** A test body inside a memory scope, where the pool's arrays come from the arena. */
const scoped =
  <T>(body: () => T) =>
  () =>
    hg.tidy(body);
const inArena = (t: hg.Tensor) => addressOf(t.view_().buffer as Float32Array) !== null;

afterEach(() => {
  setArena(true);
  setWasmElementwise(true);
});

describe('the arena', () => {
  it(
    'holds the pool’s arrays of POOL_MIN floats or more, and only while it is on',
    scoped(() => {
      expect(arenaMemory()).not.toBeNull();
      expect(addressOf(takeF32(POOL_MIN))).not.toBeNull();
      expect(addressOf(takeF32(POOL_MIN - 1))).toBeNull();
      expect(addressOf(new Float32Array(POOL_MIN))).toBeNull();
      setArena(false);
      expect(addressOf(takeF32(POOL_MIN + 5))).toBeNull();
      setArena(true);
      const x = pooledCopy(hg.randn([POOL_MIN + 3]));
      expect(inArena(x)).toBe(true);
      // An element's address: the array's plus 4 bytes per element.
      const array = x.view_().buffer as Float32Array;
      expect(addressOf(array, 5)).toBe(addressOf(array)! + 20);
    }),
  );

  it(
    'reuses a block given back, and zeroes it where zeros are promised',
    scoped(() => {
      const n = POOL_MIN + 77;
      const block = arenaScratch(n * 4)!;
      new Float32Array(arenaMemory()!.buffer, block.at, n).fill(7);
      block.done();
      const zeros = takeZeroedF32(n);
      expect(addressOf(zeros)).toBe(block.at);
      expect(zeros.every((v) => v === 0)).toBe(true);
    }),
  );

  it('merges free neighbours, takes the first free block that fits, and splits it', () => {
    const bytes = 4096 - 64; // blocks of 4096 bytes with their slack
    const [a, b, c, d] = [0, 1, 2, 3].map(() => arenaScratch(bytes)!);
    expect(b!.at - a!.at).toBe(4096);
    // d holds the top; a and b merge into one free block of 8192 bytes, c stays taken.
    a!.done();
    b!.done();
    const wide = arenaScratch(2 * 4096 - 64)!;
    expect(wide.at).toBe(a!.at);
    wide.done();
    // A smaller block splits the merged one: its first part, then the rest.
    const [first, rest] = [arenaScratch(bytes)!, arenaScratch(bytes)!];
    expect([first.at, rest.at]).toEqual([a!.at, b!.at]);
    for (const block of [first, rest, c!, d!]) block.done();
    // Everything back as one piece (or an earlier free block that fits): nothing is left stranded.
    const all = arenaScratch(4 * 4096 - 64)!;
    expect(all.at).toBeLessThanOrEqual(a!.at);
    all.done();
  });

  it('outside a memory scope makes ordinary arrays; zeros stay within their budget', () => {
    // Outside a scope only the garbage collector frees an array, and it cannot give an arena
    // block back while a synchronous loop runs: the pool makes ordinary arrays there.
    // (Sizes no earlier test gave back to the pool: a reused array stays where it was made.)
    expect(addressOf(takeF32(POOL_MIN + 12345))).toBeNull();
    const x = hg.randn([POOL_MIN + 12347]).mul(1);
    expect(inArena(x)).toBe(false);
    expect(inArena(pooledCopy(x))).toBe(true);
    // Zeros (where parameters start) live in the arena up to 128 MiB held at once, then not.
    const zeros = Array.from({ length: 5 }, () => hg.zeros([2 ** 23])); // 32 MiB each
    expect(zeros.slice(0, 3).every(inArena)).toBe(true);
    expect(inArena(zeros[4]!)).toBe(false);
    expect(zeros.every((z) => z.sum().item() === 0)).toBe(true);
    expect(arenaStats.lastingBytes).toBeLessThanOrEqual(128 * 2 ** 20);
  });

  it('gives a block back when its array is collected', async () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const before = { ...arenaStats };
    hg.tidy(() => {
      for (let i = 0; i < 8; i++) takeF32(POOL_MIN * 3 + 17);
    });
    for (let tries = 0; tries < 20 && arenaStats.freed - before.freed < 8; tries++) {
      gc();
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect(arenaStats.freed - before.freed).toBeGreaterThanOrEqual(8);
    expect(arenaStats.liveBytes).toBeLessThanOrEqual(before.liveBytes);
  });

  it(
    'keeps arrays valid, values and all, when the memory grows',
    scoped(() => {
      const x = pooledCopy(hg.arange(POOL_MIN + 9).sub(POOL_MIN / 2));
      const expected = bits(x.relu());
      const bytes = arenaMemory()!.buffer.byteLength;
      // 4 MB arrays until the memory has to grow (free blocks are taken first).
      const held: Float32Array[] = [];
      while (arenaMemory()!.buffer.byteLength === bytes && held.length < 128) held.push(takeF32(2 ** 20));
      expect(arenaMemory()!.buffer.byteLength).toBeGreaterThan(bytes);
      expect(bits(x.relu())).toEqual(expected);
      expect(x.dataSync()[POOL_MIN + 8]).toBe(POOL_MIN / 2 + 8);
      held.forEach(giveBack);
    }),
  );

  it(
    'writes a result’s SIMD tail (n not a multiple of 4) inside its own block',
    scoped(() => {
      const n = POOL_MIN + 1;
      const x = takeF32(n).fill(-1);
      const out = takeF32(n);
      const next = takeF32(n).fill(5);
      expect(addressOf(next)! - addressOf(out)!).toBeGreaterThanOrEqual(n * 4 + 12);
      giveBack(out); // the relu below takes it back for its result
      const y = wasmUnary('relu', x, 0, n)!;
      expect(y).toBe(out);
      expect(y.every((v) => v === 0)).toBe(true);
      expect(next.every((v) => v === 5)).toBe(true);
    }),
  );
});

/** A computation run three ways: over the arena, copied in and out of the kernels' memories, in TypeScript. */
function threeWays(run: (pooled: boolean) => hg.Tensor[]) {
  const before = wasmElementwiseStats.calls;
  const arena = hg.tidy(() => run(true));
  expect(wasmElementwiseStats.calls).toBeGreaterThan(before);
  setArena(false);
  const copied = run(false);
  // (TypeScript elementwise kernels and convolutions; products stay on WebAssembly, whose sums
  // in float32 the reference matmul, summing in float64, does not share.)
  setWasmElementwise(false);
  const typescript = run(false);
  setWasmElementwise(true);
  setArena(true);
  arena.forEach((t, i) => {
    expect(bits(t)).toEqual(bits(copied[i]!));
    expect(bits(t)).toEqual(bits(typescript[i]!));
  });
}

/** Leaves (with gradients) from fixed values: in the arena when `pooled` and the arena is on. */
function leaves(shapes: number[][], pooled: boolean, seed: number): hg.Tensor[] {
  hg.manualSeed(seed);
  return shapes.map((shape) => {
    const t = hg.randn(shape);
    const placed = pooled ? pooledCopy(t) : t;
    if (pooled && placed.numel() >= POOL_MIN) expect(inArena(placed)).toBe(true);
    return placed.detach().requiresGrad_();
  });
}

describe('kernels over the arena', () => {
  it('relu, tanh and sigmoid and their backwards: the same bits', () => {
    threeWays((pooled) => {
      const [x] = leaves([[3, POOL_MIN + 5]], pooled, 1);
      const y = x!.relu();
      const t = x!.tanh();
      const s = x!.sigmoid();
      const g = pooled ? pooledCopy(hg.randn(x!.shape)) : hg.randn(x!.shape);
      for (const out of [y, t, s]) out.backward(g);
      return [y, t, s, x!.grad!];
    });
  });

  it('relu over a view that starts inside its array', () => {
    threeWays((pooled) => {
      const [x] = leaves([[4, POOL_MIN + 3]], pooled, 2);
      return [x!.detach().narrow(0, 1, 2).relu(), x!.detach().narrow(0, 3, 1).relu()];
    });
  });

  it('max pooling (2×2 windows, 3×3 with stride 2, and padded ones) and the backwards', () => {
    threeWays((pooled) => {
      const [x] = leaves([[8, 8, 34, 34]], pooled, 3);
      const a = F.maxPool2d(x!, 2);
      const b = F.maxPool2d(x!, 3, { stride: 2 });
      const c = F.maxPool2d(x!, 3, { stride: 2, padding: 1 }); // padding: the TypeScript loop
      for (const t of [a, b]) expect(t.numel()).toBeGreaterThanOrEqual(POOL_MIN);
      a.square().sum().add(b.mul(b).sum()).add(c.sum()).backward();
      return [a, b, c, x!.grad!];
    });
  });

  it('convolutions (padded rows and columns, and exact ones) and every gradient', () => {
    threeWays((pooled) => {
      // o = 10 pads the product's rows; o = 16 with L = 16·16 fits it exactly (results written
      // in place); a first layer's one input channel (the weight gradient's other product) with
      // L = 26·26 padding its columns. Every operand and result is large enough for the arena.
      const [x, w1, b1, w2, b2, x1, w3] = leaves(
        [[16, 5, 18, 18], [10, 5, 3, 3], [10], [16, 10, 3, 3], [16], [32, 1, 28, 28], [4, 1, 3, 3]],
        pooled,
        4,
      );
      const h = F.conv2d(x!, w1!, { bias: b1, stride: 1 });
      const y = F.conv2d(h.relu(), w2!, { bias: b2, padding: 1 });
      const z = F.conv2d(x1!, w3!);
      for (const t of [h, y, z]) expect(t.numel()).toBeGreaterThanOrEqual(POOL_MIN);
      y.square().sum().add(z.square().sum()).backward();
      return [h, y, z, x!.grad!, w1!.grad!, b1!.grad!, w2!.grad!, b2!.grad!, x1!.grad!, w3!.grad!];
    });
  });

  it('products: Linear layers and their gradients with operands read and results written in place', () => {
    const before = sgemmStats.inPlace;
    threeWays((pooled) => {
      // No padding (A packed from where it lies, C written in place, Wᵀ's panels from W, gᵀ
      // packed from g), padded rows and columns, a narrow weight gradient (gᵀ packed from g).
      const [x, w, b, x2, w2, b2, x3, w3] = leaves(
        [[128, 200], [136, 200], [136], [130, 127], [66, 127], [66], [1024, 64], [32, 64]],
        pooled,
        5,
      );
      const y = F.linear(x!, w!, b!);
      const y2 = F.linear(x2!, w2!, b2!);
      const y3 = F.linear(x3!, w3!);
      y.square().sum().add(y2.square().sum()).add(y3.square().sum()).backward();
      return [y, y2, y3, x!.grad!, w!.grad!, b!.grad!, x2!.grad!, w2!.grad!, x3!.grad!, w3!.grad!];
    });
    expect(sgemmStats.inPlace - before).toBeGreaterThanOrEqual(5);
  });

  it('A packed from where it lies in every layout: rows strided, transposed, transposed and strided', () => {
    hg.manualSeed(12);
    // A big tensor in the arena, and views of it as A: its rows with a pitch (a narrowed view:
    // packA with a row stride), its transpose (packAT), a transposed narrowed view (packAT with a
    // column stride), and every other element (copied, then packed). Each product's bits equal
    // the sequential sums (float32 products added in order of k).
    const big = pooledCopy(hg.randn([150, 300]));
    expect(inArena(big)).toBe(true);
    const b = hg.randn([130, 37]);
    const views = [
      big.narrow(1, 0, 130), // [150, 130], rows 300 apart
      big.narrow(0, 0, 130).t(), // [300, 130] transposed, columns 300 apart
      big.narrow(0, 0, 130).narrow(1, 0, 201).t(), // [201, 130] transposed view of a block
      big.narrow(1, 0, 260).reshape(150, 130, 2).select(2, 0), // every other element
    ];
    const B = b.dataSync() as Float32Array;
    for (const [i, a] of views.entries()) {
      const [m, k] = a.shape as [number, number];
      const A = a.contiguous().dataSync() as Float32Array;
      const want = new Float32Array(m * 37);
      for (let r = 0; r < m; r++)
        for (let j = 0; j < 37; j++) {
          let acc = 0;
          for (let t = 0; t < k; t++) acc = Math.fround(acc + Math.fround(A[r * k + t]! * B[t * 37 + j]!));
          want[r * 37 + j] = acc;
        }
      const [inPlace, transposed] = [sgemmStats.inPlace, sgemmStats.transposedA];
      const got = hg.tidy(() => Float32Array.from(a.matmul(b).dataSync() as Float32Array));
      expect(Array.from(new Uint32Array(got.buffer)), `view ${i}`).toEqual(
        Array.from(new Uint32Array(want.buffer)),
      );
      expect(sgemmStats.inPlace - inPlace, `view ${i}`).toBe(i < 3 ? 1 : 0);
      expect(sgemmStats.transposedA - transposed, `view ${i}`).toBe(i === 1 || i === 2 ? 1 : 0);
    }
  });

  it('batched products, and one operand broadcast over the batch', () => {
    const before = sgemmStats.inPlace;
    threeWays((pooled) => {
      const [a, b, w] = leaves(
        [
          [4, 64, 72],
          [4, 72, 256],
          [72, 256],
        ],
        pooled,
        6,
      );
      const c = a!.matmul(b!);
      const d = a!.matmul(w!.expand(4, 72, 256));
      c.square().sum().add(d.square().sum()).backward();
      return [c, d, a!.grad!, b!.grad!, w!.grad!];
    });
    expect(sgemmStats.inPlace - before).toBeGreaterThanOrEqual(3);
  });

  it('Adam’s update where the parameter, its gradient and both moments lie (odd counts too)', () => {
    const train = (fused: boolean) => {
      hg.manualSeed(7);
      // 200·136 weights (whole vectors) and 137·131 (the last 3 values by the TypeScript loop).
      const model = new nn.Sequential(new nn.Linear(200, 137), new nn.Tanh(), new nn.Linear(137, 131));
      const weights = model.parameters();
      const opt = new optim.Adam(weights, { lr: 0.01, weightDecay: 0.1 });
      const x = hg.randn([64, 200]);
      setFusedOptimizers(fused);
      // Steps in a memory scope, as the training loops run them (the gradients from the arena).
      for (let step = 0; step < 3; step++)
        hg.tidy(() => {
          opt.zeroGrad();
          model.forward(x).square().mean().backward();
          opt.step();
        });
      setFusedOptimizers(true);
      return weights;
    };
    const arena = train(true);
    expect(arena.every((p) => p.numel() < POOL_MIN || inArena(p))).toBe(true);
    setArena(false);
    const copied = train(true);
    expect(copied.some((p) => inArena(p))).toBe(false);
    setArena(true);
    const composed = train(false);
    arena.forEach((p, i) => {
      expect(bits(p)).toEqual(bits(copied[i]!));
      expect(bits(p)).toEqual(bits(composed[i]!));
    });
  });

  it('a full arena: products, softmax, an RNN and an embedding copy into their own memory, the pool makes ordinary arrays', async () => {
    hg.manualSeed(8);
    const [x, w] = [pooledCopy(hg.randn([128, 200])), pooledCopy(hg.randn([136, 200]))];
    const expected = bits(F.linear(x, w));
    // The kernels that take their scratch from the arena fall back to their own memories.
    const [logits, rnn, ids] = [hg.randn([300, 67]), new nn.RNN(32, 128), hg.randint(0, 65, [32, 32])];
    const table = hg.randn([65, 32]);
    const others = () => {
      const leaf = logits.detach().requiresGrad_(true);
      const lsm = hg.logSoftmax(leaf, -1);
      lsm.backward(logits);
      const emb = table.detach().requiresGrad_(true);
      const e = F.embedding(ids, emb);
      const [y] = rnn.forward(e);
      y.square().sum().backward();
      return [bits(hg.softmax(logits, -1)), bits(lsm), bits(leaf.grad!), bits(y), bits(emb.grad!)];
    };
    const expectedOthers = hg.tidy(others);
    // Their dropped arrays' blocks come back now, not while the arena is full.
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    for (let i = 0; i < 3; i++) {
      gc();
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    // Take every block there is (up to the arena's 512 MiB, never touched).
    const filler: Float32Array[] = [];
    for (let n = 2 ** 27; n >= 2 ** 12; n /= 2)
      for (let block = arenaArray(Float32Array, n); block; block = arenaArray(Float32Array, n))
        filler.push(block);
    expect(arenaScratch(2 ** 16)).toBeNull();
    // (A size no array waiting in the pool has: one of those would be reused, where it lies.)
    expect(hg.tidy(() => addressOf(takeF32(POOL_MIN * 2 + 3)))).toBeNull();
    const before = sgemmStats.inPlace;
    expect(bits(hg.tidy(() => F.linear(x, w)))).toEqual(expected);
    expect(sgemmStats.inPlace).toBe(before);
    // (softmax's and the RNN's scratch no longer fits: they run in their own memories.)
    hg.tidy(others).forEach((values, i) => expect(values, `${i}`).toEqual(expectedOthers[i]));
    // Blocks come back once their arrays are collected.
    filler.length = 0;
    let room = arenaScratch(2 ** 20);
    for (let tries = 0; tries < 20 && !room; tries++, room = arenaScratch(2 ** 20)) {
      gc();
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect(room).not.toBeNull();
    room!.done();
    expect(hg.tidy(() => addressOf(takeF32(POOL_MIN * 2 + 3)))).not.toBeNull();
  });
});
