// Engine micro-benchmarks against TensorFlow.js (cpu backend) in the same process:
// matmul GFLOP/s, elementwise and reduction throughput on 1M elements, and autograd overhead
// per op on tiny tensors (a 10,000-op chain, forward + backward).
// The union package: tfjs-core with its cpu backend and every gradient registered.
import * as tf from '@tensorflow/tfjs';
import * as hg from '@hgrad/engine';
import { printTable, time, useTfjsWasm } from './harness.ts';

/** Prints the engine tables; returns our matmul GFLOP/s by size. */
export async function benchEngine(quick: boolean): Promise<Record<string, number>> {
  tf.enableProdMode();
  await tf.setBackend('cpu');
  await tf.ready();
  hg.manualSeed(0);

  const sizes = quick ? [64, 128, 512] : [64, 128, 256, 512, 1024];
  const matmulRows = sizes.map((n) => {
    const a = hg.randn([n, n]);
    const b = hg.randn([n, n]);
    const ta = tf.randomNormal([n, n]);
    const tb = tf.randomNormal([n, n]);
    const flops = 2 * n * n * n;
    const budget = { minSeconds: n >= 512 ? 1 : 0.3, runs: n >= 512 ? 2 : 5 };
    const ours = time(() => a.matmul(b), budget);
    const peer = time(() => tf.tidy(() => void tf.matMul(ta, tb).dataSync()), budget);
    tf.dispose([ta, tb]);
    return { label: `matmul ${n}x${n}`, ours: flops / ours / 1e9, peer: flops / peer / 1e9 };
  });
  printTable(`Matmul (float32; kernel: ${hg.matmulKernel()})`, 'GFLOP/s', matmulRows, true);

  const n = 1 << 20;
  const x = hg.randn([n]);
  const y = hg.randn([n]);
  const tx = tf.randomNormal([n]);
  const ty = tf.randomNormal([n]);
  const m = hg.randn([1024, 1024]);
  const tm = tf.randomNormal([1024, 1024]);
  const elementRows = [
    {
      label: 'add 1M',
      ours: time(() => x.add(y)),
      peer: time(() => tf.tidy(() => void tf.add(tx, ty).dataSync())),
    },
    {
      label: 'mul 1M',
      ours: time(() => x.mul(y)),
      peer: time(() => tf.tidy(() => void tf.mul(tx, ty).dataSync())),
    },
    {
      label: 'exp 1M',
      ours: time(() => x.exp()),
      peer: time(() => tf.tidy(() => void tf.exp(tx).dataSync())),
    },
    {
      label: 'relu 1M',
      ours: time(() => x.relu()),
      peer: time(() => tf.tidy(() => void tf.relu(tx).dataSync())),
    },
    {
      label: 'sum 1M',
      ours: time(() => x.sum()),
      peer: time(() => tf.tidy(() => void tf.sum(tx).dataSync())),
    },
    {
      label: 'sum rows of 1024x1024',
      ours: time(() => m.sum(1)),
      peer: time(() => tf.tidy(() => void tf.sum(tm, 1).dataSync())),
    },
    {
      label: 'max 1M',
      ours: time(() => x.amax()),
      peer: time(() => tf.tidy(() => void tf.max(tx).dataSync())),
    },
    {
      label: 'softmax rows of 1024x1024',
      ours: time(() => m.softmax(-1)),
      peer: time(() => tf.tidy(() => void tf.softmax(tm).dataSync())),
    },
  ].map((r) => ({ label: r.label, ours: n / r.ours / 1e6, peer: n / r.peer / 1e6 }));
  printTable('Elementwise and reductions (float32, 2^20 elements)', 'M elem/s', elementRows, true);
  tf.dispose([tx, ty, tm]);

  const chain = quick ? 2000 : 10_000;
  const ours = time(
    () => {
      const leaf = hg.ones([4], { requiresGrad: true });
      let h = leaf;
      for (let i = 0; i < chain; i++) h = h.add(1);
      h.sum().backward();
    },
    { minSeconds: 1, runs: 3 },
  );
  const tv = tf.variable(tf.ones([4]));
  const peer = time(
    () => {
      tf.tidy(() => {
        const { grads } = tf.variableGrads(() => {
          let h: tf.Tensor = tv;
          for (let i = 0; i < chain; i++) h = tf.add(h, 1);
          return tf.sum(h) as tf.Scalar;
        });
        grads[tv.name]!.dataSync();
      });
    },
    { minSeconds: 1, runs: 3 },
  );
  // One "op" is one add forward plus its backward.
  printTable(
    `Autograd overhead (${chain} adds on 4-element tensors)`,
    'µs/op',
    [{ label: 'forward + backward per op', ours: (ours / chain) * 1e6, peer: (peer / chain) * 1e6 }],
    false,
  );
  if (await useTfjsWasm()) {
    const wasmRows = sizes.map((n, i) => {
      const [ta, tb] = [tf.randomNormal([n, n]), tf.randomNormal([n, n])];
      const peer = time(() => tf.tidy(() => tf.matMul(ta, tb).dataSync()), {
        minSeconds: n >= 512 ? 1 : 0.3,
        runs: 3,
      });
      return { label: `matmul ${n}x${n}`, ours: matmulRows[i]!.ours, peer: (2 * n ** 3) / peer / 1e9 };
    });
    printTable('Matmul vs TensorFlow.js wasm (SIMD)', 'GFLOP/s', wasmRows, true, 'tfjs wasm');
    await tf.setBackend('cpu');
  }
  return Object.fromEntries(matmulRows.map((r, i) => [String(sizes[i]), r.ours]));
}
