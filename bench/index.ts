// npm run bench [-- --quick]: benchmarks that compare homemade-grad with peers in the same run.
// Speed is reported here as figures and ratios, never asserted in tests.
import { benchEngine } from './engine.ts';
import { benchTraining } from './training.ts';
import { torchFigures } from './pytorch.ts';
import * as hg from '@hgrad/engine';
import {
  disableNodeMatmulThreads,
  enableNodeMatmulThreads,
  matmulThreadsReady,
} from '../packages/runtime/src/node-matmul-threads.ts';
import { time } from './harness.ts';
import { threadedMlpSteps } from './training.ts';
import { benchWebGPU } from './webgpu.ts';

const quick = process.argv.includes('--quick');
const device = process.argv[process.argv.indexOf('--device') + 1];
console.log(`homemade-grad benchmarks — Node ${process.version}, ${quick ? 'quick' : 'full'} settings`);
if (process.argv.includes('--device') && device === 'webgpu') {
  await benchWebGPU(quick);
  process.exit(0);
} else if (process.argv.includes('--device') && device !== 'cpu') {
  console.error(`--device must be cpu or webgpu, got '${device}'`);
  process.exit(2);
}
const matmul = await benchEngine(quick);
const training = await benchTraining(quick);
// The same matmuls and the MLP step again with a helper thread (worker_threads, shared memory).
const workers = enableNodeMatmulThreads(1);
const mode = await matmulThreadsReady();
console.log(`\nWith matmul threads (${mode})`);
const threaded: Record<string, number> = {};
for (const n of quick ? [128, 512] : [128, 512, 1024]) {
  const a = hg.randn([n, n]);
  const b = hg.randn([n, n]);
  threaded[n] = (2 * n ** 3) / time(() => a.matmul(b), { minSeconds: quick ? 0.5 : 1.5, runs: 3 }) / 1e9;
  console.log(`matmul ${n}x${n}: ${threaded[n]!.toFixed(1)} GFLOP/s (one thread: ${matmul[n]?.toFixed(1)})`);
}
const mlpThreaded = threadedMlpSteps(quick);
console.log(`MLP step: ${mlpThreaded.toFixed(1)} steps/s (one thread: ${training.mlp.toFixed(1)})`);
await disableNodeMatmulThreads(workers);
const torch = torchFigures();
if (torch) {
  console.log(
    `\nAgainst PyTorch ${torch.torch} in this run (${torch.threads} thread${torch.threads === 1 ? '' : 's'}, as installed)`,
  );
  console.log(
    `${'case'.padEnd(44)}${'homemade-grad'.padStart(15)}${'PyTorch'.padStart(12)}${'ratio'.padStart(10)}`,
  );
  const row = (label: string, ours: number, theirs: number, higherIsBetter = true) =>
    console.log(
      `${label.padEnd(44)}${ours.toPrecision(4).padStart(15)}${theirs.toPrecision(4).padStart(12)}${`${(higherIsBetter ? ours / theirs : theirs / ours).toFixed(2)}x`.padStart(10)}`,
    );
  for (const n of ['128', '512', '1024'])
    if (matmul[n] !== undefined && torch.matmul[n] !== undefined)
      row(`matmul ${n} (GFLOP/s)`, matmul[n]!, torch.matmul[n]!);
  for (const n of ['512', '1024'])
    if (threaded[n] !== undefined && torch.matmul[n] !== undefined)
      row(`matmul ${n}, our 2 threads (GFLOP/s)`, threaded[n]!, torch.matmul[n]!);
  row('MLP step (steps/s)', training.mlp, torch.mlp);
  row('MLP step, our 2 threads (steps/s)', mlpThreaded, torch.mlp);
  row('char-RNN step vs RNNCell loop (steps/s)', training.rnn, torch.rnn);
  row('tiny-model step (steps/s)', training.tiny, torch.tiny);
  row('autograd overhead (µs/op; lower is better)', training.overhead, torch.overhead, false);
  console.log('(ratio > 1 means homemade-grad is faster)');
}
