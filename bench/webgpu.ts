// npm run bench -- --device webgpu: matmul GFLOP/s and MLP training steps/s on the WebGPU
// adapter present (Dawn in Node), beside the CPU backend and TensorFlow.js's WebGPU backend
// (@tensorflow/tfjs-backend-webgpu) in the same run. GPU work is timed to completion: each
// timing ends with a read-back, so queued work is counted.
import * as tf from '@tensorflow/tfjs';
import * as hg from '@hgrad/engine';
import { time } from './harness.ts';
import { ourMlpStep, tfMlpStep } from './training.ts';

/** Best seconds per call of an async fn that finishes its GPU work. */
async function timeAsync(fn: () => Promise<void>, { minSeconds = 1, runs = 3 } = {}): Promise<number> {
  await fn();
  let best = Infinity;
  for (let r = 0; r < runs; r++) {
    let n = 0;
    const start = performance.now();
    let elapsed: number;
    do {
      await fn();
      n++;
      elapsed = (performance.now() - start) / 1000;
    } while (elapsed < minSeconds / runs);
    best = Math.min(best, elapsed / n);
  }
  return best;
}

/** tfjs's WebGPU backend on the same kind of adapter, or why it cannot run. */
async function useTfjsWebgpu(gpu: hg.WebGPUBackend): Promise<string | null> {
  try {
    // tfjs asks navigator.gpu (and registers its backend on import only if it exists); hand it
    // the GPU object our backend found its adapter on (with the same feature level), since Node
    // has no navigator.
    const level = gpu.info.featureLevel;
    const wrapped = {
      requestAdapter: (o: GPURequestAdapterOptions = {}) =>
        gpu.runner.gpu.requestAdapter(
          level === 'compatibility' ? { ...o, featureLevel: 'compatibility' } : o,
        ),
      getPreferredCanvasFormat: () => 'rgba8unorm',
      wgslLanguageFeatures: new Set<string>(),
    };
    Object.defineProperty(globalThis, 'navigator', { value: { gpu: wrapped }, configurable: true });
    await import('@tensorflow/tfjs-backend-webgpu');
    if (!(await tf.setBackend('webgpu'))) return 'setBackend returned false';
    await tf.ready();
    const probe = tf.matMul(tf.ones([2, 2]), tf.ones([2, 2]));
    await probe.data();
    probe.dispose();
    return null;
  } catch (e) {
    return (e as Error).message.split('\n')[0]!;
  }
}

export async function benchWebGPU(quick: boolean): Promise<void> {
  let gpu: hg.WebGPUBackend;
  try {
    gpu = await hg.initWebGPU();
  } catch (e) {
    console.log(`WebGPU: skipped (${(e as Error).message})`);
    return;
  }
  console.log(
    `\nWebGPU on ${gpu.info.adapter} (${gpu.info.featureLevel}${gpu.info.software ? ', software' : ''})`,
  );
  const budget = { minSeconds: quick ? 0.6 : 2, runs: 3 };
  const sizes = quick ? [128, 512] : [128, 512, 1024, 2048];
  const ours: Record<string, number> = {};
  const cpu: Record<string, number> = {};
  for (const n of sizes) {
    const [a, b] = [hg.randn([n, n]), hg.randn([n, n])];
    const [ga, gb] = [a.to('webgpu'), b.to('webgpu')];
    // Several products per read-back, as a training step queues them.
    const reps = n <= 512 ? 8 : 2;
    const seconds = await timeAsync(async () => {
      let c: hg.Tensor | null = null;
      for (let i = 0; i < reps; i++) {
        c?.dispose();
        c = ga.matmul(gb);
      }
      await c!.data();
      c!.dispose();
    }, budget);
    ours[n] = (2 * n ** 3 * reps) / seconds / 1e9;
    if (n <= 1024) cpu[n] = (2 * n ** 3) / time(() => a.matmul(b), budget) / 1e9;
    hg.dispose([ga, gb]);
  }
  const gpuStep = ourMlpStep('webgpu');
  const stepsPerRead = 5;
  const mlpGpu =
    stepsPerRead /
    (await timeAsync(async () => {
      for (let i = 0; i < stepsPerRead; i++) gpuStep();
      await gpu.sync();
    }, budget));
  const mlpCpu = 1 / time(ourMlpStep('cpu'), budget);

  const peer: Record<string, number | string> = {};
  const why = await useTfjsWebgpu(gpu);
  if (why) for (const k of [...sizes.map(String), 'mlp']) peer[k] = `tfjs webgpu failed: ${why}`;
  else {
    for (const n of sizes) {
      const [a, b] = [tf.randomNormal([n, n]), tf.randomNormal([n, n])];
      const reps = n <= 512 ? 8 : 2;
      const seconds = await timeAsync(async () => {
        const cs: tf.Tensor[] = [];
        for (let i = 0; i < reps; i++) cs.push(tf.matMul(a, b));
        await cs.at(-1)!.data();
        tf.dispose(cs);
      }, budget);
      peer[n] = (2 * n ** 3 * reps) / seconds / 1e9;
    }
    const step = tfMlpStep();
    peer.mlp =
      stepsPerRead /
      (await timeAsync(async () => {
        for (let i = 0; i < stepsPerRead; i++) step();
        await tf.tidy(() => tf.zeros([1]).add(1)).data();
      }, budget));
  }
  console.log(
    `${'case'.padEnd(32)}${'ours webgpu'.padStart(13)}${'ours cpu'.padStart(11)}${'tfjs webgpu'.padStart(13)}${'vs cpu'.padStart(9)}${'vs tfjs'.padStart(9)}`,
  );
  const row = (label: string, g: number, c: number | undefined, t: number | string) =>
    console.log(
      typeof t === 'string'
        ? `${label.padEnd(32)}${g.toFixed(2).padStart(13)}${(c?.toFixed(2) ?? '—').padStart(11)}${'—'.padStart(13)}${(c ? `${(g / c).toFixed(2)}x` : '—').padStart(9)}   (${t})`
        : `${label.padEnd(32)}${g.toFixed(2).padStart(13)}${(c?.toFixed(2) ?? '—').padStart(11)}${t.toFixed(2).padStart(13)}${(c ? `${(g / c).toFixed(2)}x` : '—').padStart(9)}${`${(g / t).toFixed(2)}x`.padStart(9)}`,
    );
  for (const n of sizes) row(`matmul ${n} (GFLOP/s)`, ours[n]!, cpu[n], peer[n]!);
  row('MLP step (steps/s)', mlpGpu, mlpCpu, peer.mlp!);
  console.log('(ours cpu: one thread, WASM SIMD; ratios > 1 mean our WebGPU backend is faster)');
}
