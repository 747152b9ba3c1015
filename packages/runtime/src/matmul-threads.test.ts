// The engine's matmul split across a helper worker_thread over shared WebAssembly memory gives
// exactly the single-thread result (each row of C is computed the same way, by one thread).
import { afterAll, describe, expect, it } from 'vitest';
import * as hg from '@hgrad/engine';
import {
  disableNodeMatmulThreads,
  enableNodeMatmulThreads,
  matmulThreadsReady,
} from './node-matmul-threads.ts';

describe('matmul threads (Node worker_threads)', () => {
  let workers: Awaited<ReturnType<typeof enableNodeMatmulThreads>> = [];
  afterAll(() => disableNodeMatmulThreads(workers));

  it('say which mode is active and compute exactly what one thread computes', async () => {
    hg.manualSeed(4);
    // Products above the engine's threshold (4M multiply-adds), split by rows.
    const a = hg.randn([410, 257]);
    const b = hg.randn([257, 198]);
    const batched = hg.randn([3, 110, 260]);
    const w = hg.randn([260, 250]);
    const single = [Array.from(a.matmul(b).dataSync()), Array.from(batched.matmul(w).dataSync())];
    // Wider than tall (a Linear layer's 64 rows, 1568 columns): split by columns, each thread its
    // own panels of B (196 panels: 98 each), and with padding (1570 columns: 197 panels, 98 | 99).
    const [xs, wide, wider, bias] = [
      hg.randn([64, 300]),
      hg.randn([300, 1568]),
      hg.randn([1570, 300]),
      hg.randn([1570]),
    ];
    const linear = () => [
      Array.from(xs.matmul(wide).dataSync()),
      Array.from(hg.F.linear(xs, wider, bias).dataSync()),
    ];
    const singleWide = linear();
    const weight = hg.randn([30, 144]);
    const cols = hg.randn([37, 144, 196]);
    const outGrad = hg.randn([37, 30, 196]);
    const conv = [
      () => weight.matmul(cols),
      () => outGrad.matmul(cols.transpose(1, 2)),
      () => weight.t().matmul(outGrad),
    ];
    const singleConv = conv.map((f) => Array.from(f().dataSync()));
    // A transposed A (a weight gradient's gᵀ), packed from where it lies: split by rows (16.8M multiply-adds),
    // and shared out a product at a time (37 products of 0.43M).
    const transposedA = [
      () => hg.randn([2048, 130], { generator: new hg.Generator().manualSeed(1) }).t(),
      () => hg.randn([37, 144, 30], { generator: new hg.Generator().manualSeed(2) }).transpose(1, 2),
    ];
    const [gT, gTBatched] = transposedA.map((f) => f());
    const [x64, x100] = [hg.randn([2048, 64]), hg.randn([37, 144, 100])];
    const singleT = [Array.from(gT!.matmul(x64).dataSync()), Array.from(gTBatched!.matmul(x100).dataSync())];
    // A convolution layer (the conv op: forward, input and weight gradients), 25 samples (an odd
    // split), 30 output channels and 14×14 outputs (rows padded for the product).
    // And a first layer (one input channel: the weight gradient as g · columnsᵀ).
    const layers = [
      [hg.randn([25, 16, 14, 14]), hg.randn([30, 16, 3, 3]), hg.randn([30])],
      [hg.randn([45, 1, 28, 28]), hg.randn([64, 1, 3, 3]), hg.randn([64])],
    ] as const;
    // In a memory scope, as training steps run: its large tensors then live in the arena, which
    // the threads work over (operands read where they lie).
    const convLayer = ([image, kernel, shift]: readonly [hg.Tensor, hg.Tensor, hg.Tensor]) =>
      hg.tidy(() => {
        const [xg, wg, bg] = [image, kernel, shift].map((t) => t.clone().requiresGrad_()) as [
          hg.Tensor,
          hg.Tensor,
          hg.Tensor,
        ];
        const y = hg.F.conv2d(xg, wg, bg, { padding: 1 });
        y.square().sum().backward();
        return [y, xg.grad!, wg.grad!, bg.grad!].map((t) => Array.from(t.dataSync()));
      });
    const singleLayers = layers.map(convLayer);
    // Elementwise kernels over the arena (in a memory scope), 100,003 values and more: shared out
    // between the threads, each a range (ReLU, ReLU's and tanh's backwards, tanh, sigmoid).
    // Binary ops too: one long row split by runs of lanes (a tensor and a number, two tensors),
    // and rows split by rows (a bias of 301 along 400 rows, copied into the arena).
    const [u, v] = [hg.randn([100_003]).mul(3), hg.randn([100_003])];
    const [plane, row] = [hg.randn([400, 301]), hg.randn([301])];
    const elementwise = () =>
      hg.tidy(() => {
        const [x1, x2] = [u.clone().requiresGrad_(), u.clone().requiresGrad_()];
        const [r, t] = [x1.relu(), x2.tanh()];
        r.backward(v.clone());
        t.backward(v.clone());
        const [uu, vv, ww] = [u.clone(), v.clone(), plane.clone()];
        const binary = [uu.mul(1.5), uu.div(vv), ww.add(row), ww.sub(ww.index(hg.sl(), hg.sl(0, 1)))];
        return [r, x1.grad!, t, x2.grad!, u.clone().sigmoid(), ...binary].map((y) =>
          Array.from(y.dataSync()),
        );
      });
    const singleElementwise = elementwise();
    // 2×2 max pooling and its backward, planes shared out (8 × 16 planes of 28 × 30: 107,520
    // values, 15 windows a row, so a row's last step recomputes windows rather than writing past
    // it); with rows of fewer than four windows (28 × 6) only the backward is shared out.
    const [img, narrow] = [hg.randn([8, 16, 28, 30]), hg.randn([40, 16, 28, 6])];
    const pooling = (t: hg.Tensor) =>
      hg.tidy(() => {
        const leaf = t.clone().requiresGrad_();
        const y = hg.F.maxPool2d(leaf, 2);
        y.backward(y.clone());
        return [y, leaf.grad!].map((r) => Array.from(r.dataSync()));
      });
    const singlePooling = [pooling(img), pooling(narrow)];
    // Batch norm in training (its four kernels), channels shared out: 13 channels (an odd split,
    // a group of four and singles on each side) of 9 × 899 values (rows with a scalar tail).
    const [bnIn, bnGrad] = [hg.randn([9, 13, 31, 29]), hg.randn([9, 13, 31, 29])];
    const batchNorm = () =>
      hg.tidy(() => {
        const layer = new hg.nn.BatchNorm2d(13);
        const leaf = bnIn.clone().requiresGrad_();
        const y = layer.forward(leaf);
        y.backward(bnGrad.clone());
        return [y, leaf.grad!, layer.weight!.grad!, layer.bias!.grad!, layer.running_var!].map((r) =>
          Array.from(r.dataSync()),
        );
      });
    const singleBatchNorm = batchNorm();
    // Adam's update of a parameter of 100,250 values (its vectors shared out, the last two
    // values in TypeScript), AdamW's and a maximizing Adam with coupled weight decay, two steps
    // each; the bias (250 values) stays on this thread.
    const adamIn = hg.randn([16, 401]);
    let adamCalls = 0;
    const adam = () =>
      [
        (params: hg.Tensor[]) => new hg.optim.AdamW(params, { lr: 0.01, weightDecay: 0.1 }),
        (params: hg.Tensor[]) => new hg.optim.Adam(params, { lr: 0.01, weightDecay: 0.05, maximize: true }),
      ].map((make) =>
        hg.tidy(() => {
          hg.manualSeed(11);
          const layer = new hg.nn.Linear(401, 250);
          const optimizer = make(layer.parameters());
          for (let step = 0; step < 2; step++) {
            optimizer.zeroGrad();
            layer.forward(adamIn).tanh().sum().backward();
            const callsThen = hg.matmulThreadStats.calls;
            optimizer.step();
            adamCalls += hg.matmulThreadStats.calls - callsThen;
          }
          return [layer.weight, layer.bias!].map((r) => Array.from(r.dataSync()));
        }),
      );
    const singleAdam = adam();
    expect(hg.matmulThreadMode()).toMatch(/^1 thread/);
    workers = enableNodeMatmulThreads(1);
    // Until the helper is up, products run on this thread alone.
    expect(hg.matmulThreadMode()).toBe('1 thread (helpers starting)');
    expect(Array.from(a.matmul(b).dataSync())).toEqual(single[0]);
    expect(await matmulThreadsReady()).toBe('2 threads');
    const rowsBefore = hg.matmulThreadStats.rows;
    const threaded = [Array.from(a.matmul(b).dataSync()), Array.from(batched.matmul(w).dataSync())];
    expect(hg.matmulThreadStats.rows - rowsBefore).toBe(2);
    expect(threaded).toEqual(single);
    const columnsBefore = hg.matmulThreadStats.columns;
    expect(linear()).toEqual(singleWide);
    expect(hg.matmulThreadStats.columns - columnsBefore).toBe(2);
    // Just below the threshold a product stays on this thread; just above it, it is split.
    const [below, above] = [hg.randn([256, 120]), hg.randn([256, 124])];
    const lhs = hg.randn([128, 256]);
    const rowsThen = hg.matmulThreadStats.rows;
    lhs.matmul(below); // 3.93M multiply-adds
    expect(hg.matmulThreadStats.rows - rowsThen).toBe(0);
    lhs.matmul(above); // 4.06M
    expect(hg.matmulThreadStats.rows - rowsThen).toBe(1);
    // A convolution shares its samples out from 2M multiply-adds in all (its own threshold): a
    // first layer's 16 × 9 × 784 per sample, 16 samples (1.8M) on this thread, 18 (2.03M) shared.
    const small = hg.randn([16, 1, 3, 3]);
    const convsThen = hg.matmulThreadStats.convs;
    hg.tidy(() => hg.F.conv2d(hg.randn([16, 1, 28, 28]), small, null, { padding: 1 }));
    expect(hg.matmulThreadStats.convs - convsThen).toBe(0);
    hg.tidy(() => hg.F.conv2d(hg.randn([18, 1, 28, 28]), small, null, { padding: 1 }));
    expect(hg.matmulThreadStats.convs - convsThen).toBe(1);
    // A convolution's per-sample products, each too small to split by rows, are shared out
    // whole: a weight broadcast over the batch, both operands batched (one a transposed view),
    // an odd batch, and sizes that need padding (30 rows, 196 columns).
    const before = { ...hg.matmulThreadStats };
    const threadedConv = conv.map((f) => Array.from(f().dataSync()));
    expect(hg.matmulThreadStats.batches - before.batches).toBe(conv.length);
    expect(hg.matmulThreadStats.rows - before.rows).toBe(0);
    expect(threadedConv).toEqual(singleConv);
    const transposedBefore = { ...hg.matmulThreadStats, read: hg.sgemmStats.transposedA };
    expect([Array.from(gT!.matmul(x64).dataSync()), Array.from(gTBatched!.matmul(x100).dataSync())]).toEqual(
      singleT,
    );
    expect(hg.matmulThreadStats.rows - transposedBefore.rows).toBe(1);
    expect(hg.matmulThreadStats.batches - transposedBefore.batches).toBe(1);
    expect(hg.sgemmStats.transposedA - transposedBefore.read).toBe(1 + 37);
    const callsBefore = hg.matmulThreadStats.calls;
    expect(elementwise()).toEqual(singleElementwise);
    // Five activation kernels and four binary ops, each shared out (the clones are copies).
    expect(hg.matmulThreadStats.calls - callsBefore).toBe(9);
    const poolsBefore = hg.matmulThreadStats.calls;
    expect(pooling(img)).toEqual(singlePooling[0]);
    expect(hg.matmulThreadStats.calls - poolsBefore).toBe(2);
    expect(pooling(narrow)).toEqual(singlePooling[1]);
    expect(hg.matmulThreadStats.calls - poolsBefore).toBe(3);
    const batchNormBefore = hg.matmulThreadStats.calls;
    expect(batchNorm()).toEqual(singleBatchNorm);
    expect(hg.matmulThreadStats.calls - batchNormBefore).toBe(4);
    expect(adamCalls).toBe(0);
    expect(adam()).toEqual(singleAdam);
    expect(adamCalls).toBe(4);
    // The conv op shares its samples out (forward, input gradient, weight gradient).
    const convsBefore = hg.matmulThreadStats.convs;
    expect(layers.map(convLayer)).toEqual(singleLayers);
    expect(hg.matmulThreadStats.convs - convsBefore).toBe(6);
    // An RNN's time loop puts the polling helper to sleep (restHelpers); the next split product
    // wakes it and is split as before, with the same values.
    const rnn = new hg.nn.RNN(32, 128, { batchFirst: true });
    const [states] = rnn.forward(hg.randn([32, 32, 32]));
    states.sum().backward();
    const restedBefore = hg.matmulThreadStats.rows;
    expect(Array.from(a.matmul(b).dataSync())).toEqual(single[0]);
    expect(hg.matmulThreadStats.rows - restedBefore).toBe(1);
    // (A helper that did not wake would leave every chunk to this thread: see the next test.)
    expect(hg.matmulThreadMode()).toBe('2 threads');
    // Gradients through the threaded kernel (Aᵀ·B and A·Bᵀ layouts) match too.
    const x = a.clone().requiresGrad_();
    x.matmul(b).square().sum().backward();
    const grad = Array.from(x.grad!.dataSync());
    await disableNodeMatmulThreads(workers);
    workers = [];
    expect(hg.matmulThreadMode()).toBe('1 thread (stopped)');
    const y = a.clone().requiresGrad_();
    y.matmul(b).square().sum().backward();
    expect(grad).toEqual(Array.from(y.grad!.dataSync()));
  });

  it('take every chunk on this thread when the helper never comes (no wait for it)', async () => {
    hg.manualSeed(5);
    const [a, b] = [hg.randn([256, 300]), hg.randn([300, 120])];
    const [u, v] = [hg.randn([200_001]), hg.randn([200_001])];
    const work = () =>
      hg.tidy(() => [a.matmul(b), u.clone().mul(v.clone())].map((t) => Array.from(t.dataSync())));
    const single = work();
    workers = enableNodeMatmulThreads(1);
    expect(await matmulThreadsReady()).toBe('2 threads');
    // The helper is gone (as a worker killed, or a core taken by other work for long): the
    // product (9.2M multiply-adds) and the elementwise call are still cut into chunks, and this
    // thread takes them all. A fixed share per thread waited 10 s for the helper's, then gave
    // up on threads.
    await Promise.all(workers.map((w) => w.terminate()));
    const before = { ...hg.matmulThreadStats };
    expect(work()).toEqual(single);
    expect(hg.matmulThreadStats.rows - before.rows).toBe(1);
    expect(hg.matmulThreadStats.calls - before.calls).toBe(1);
    // 64 row blocks and 200,001 values (50,001 vectors): 8 chunks each over 2 threads.
    expect(hg.matmulThreadStats.chunks - before.chunks).toBe(16);
    expect(hg.matmulThreadStats.chunksHere - before.chunksHere).toBe(16);
    expect(hg.matmulThreadMode()).toBe('2 threads');
    await disableNodeMatmulThreads(workers);
    workers = [];
  });
});
