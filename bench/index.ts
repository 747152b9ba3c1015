// npm run bench [-- --quick]: benchmarks that compare homemade-grad with peers in the same run.
// Speed is reported here as figures and ratios, never asserted in tests. PyTorch runs as its
// users run it (Debian's python3-torch on OpenBLAS) with the same thread count as ours, pinned
// on every level; one table at 1 thread and one at 2 threads, each case with its share of the
// WASM SIMD128 peak measured in this run.
import { benchEngine } from './engine.ts';
import { benchTraining, ourCnnStep, ourMlpStep, ourRnnCellStep, ourRnnStep, STEP_FLOPS } from './training.ts';
import { torchFigures, type TorchFigures } from './pytorch.ts';
import { simdPeak } from './simd-peak.ts';
import * as hg from '@hgrad/engine';
import {
  disableNodeMatmulThreads,
  enableNodeMatmulThreads,
  matmulThreadsReady,
} from '../packages/runtime/src/node-matmul-threads.ts';
import { time } from './harness.ts';
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

const peak = await simdPeak(quick);
console.log(
  `\nWASM SIMD128 peak, one thread (f32x4 multiply + add microkernel, no FMA in SIMD128): ${peak.toFixed(1)} GFLOP/s`,
);
const budget = { minSeconds: quick ? 1 : 3, runs: 3 };
const steps = (make: () => () => void) => 1 / time(make(), budget);

interface Ours {
  matmul: Record<string, number>;
  mlp: number;
  cnn: number;
  cnnBn?: number;
  rnn: number;
  rnnCell?: number;
}

const matmul = await benchEngine(quick);
const training = await benchTraining(quick);
const one: Ours = {
  matmul,
  mlp: training.mlp,
  cnn: steps(ourCnnStep),
  cnnBn: steps(() => ourCnnStep(true)),
  rnn: training.rnn,
  rnnCell: steps(ourRnnCellStep),
};

// Two threads: a helper worker_thread shares the matmuls (shared WebAssembly memory).
const workers = enableNodeMatmulThreads(1);
const mode = await matmulThreadsReady();
const two: Ours = { matmul: {}, mlp: 0, cnn: 0, rnn: 0 };
for (const n of quick ? [128, 512] : [128, 512, 1024]) {
  const a = hg.randn([n, n]);
  const b = hg.randn([n, n]);
  // Warmed first, as the one-thread figures are by the cases before them: the products' first
  // half second after the threads start runs slower (~29 against ~35 GFLOP/s at 128, measured
  // in both modes), the kernels still tiering up.
  time(() => a.matmul(b), { minSeconds: 0.5, runs: 1 });
  two.matmul[n] = (2 * n ** 3) / time(() => a.matmul(b), { minSeconds: quick ? 0.5 : 1.5, runs: 3 }) / 1e9;
}
two.mlp = steps(ourMlpStep);
two.cnn = steps(ourCnnStep);
two.rnn = steps(ourRnnStep);
await disableNodeMatmulThreads(workers);
console.log(`\nOur two-thread mode: ${mode}`);

function table(threads: number, ours: Ours, torch: TorchFigures): void {
  console.log(
    `\nAgainst PyTorch ${torch.torch}, ${threads} thread${threads === 1 ? '' : 's'} on both sides (ratio > 1: homemade-grad faster; share: our GFLOP/s ÷ ${threads === 1 ? '' : `${threads} × `}the SIMD128 peak)`,
  );
  console.log(
    `${'case'.padEnd(46)}${'homemade-grad'.padStart(15)}${'PyTorch'.padStart(12)}${'ratio'.padStart(9)}${'share'.padStart(8)}`,
  );
  const row = (label: string, o: number | undefined, t: number, flops?: number, lowerIsBetter = false) => {
    if (o === undefined) return;
    const ratio = lowerIsBetter ? t / o : o / t;
    const share = flops === undefined ? '' : `${((100 * (o * flops)) / 1e9 / (peak * threads)).toFixed(0)}%`;
    console.log(
      `${label.padEnd(46)}${o.toPrecision(4).padStart(15)}${t.toPrecision(4).padStart(12)}${`${ratio.toFixed(2)}x`.padStart(9)}${share.padStart(8)}`,
    );
  };
  for (const n of ['128', '512', '1024'])
    if (ours.matmul[n] !== undefined && torch.matmul[n] !== undefined)
      row(`matmul ${n} (GFLOP/s)`, ours.matmul[n], torch.matmul[n]!, 1e9);
  row('MLP step 784-256-128-10, b128, Adam (steps/s)', ours.mlp, torch.mlp, STEP_FLOPS.mlp);
  row('CNN step, Fashion-MNIST shape, b64 (steps/s)', ours.cnn, torch.cnn, STEP_FLOPS.cnn);
  row('CNN + BatchNorm2d after each conv (steps/s)', ours.cnnBn, torch.cnnBn);
  row('char-RNN step, nn.RNN vs nn.RNN (steps/s)', ours.rnn, torch.rnn);
  row('char-RNN step, RNNCell loop vs loop (steps/s)', ours.rnnCell, torch.rnnCell);
  if (threads === 1) {
    row('tiny-model step 2-16-16-3 (steps/s)', training.tiny, torch.tiny);
    row('autograd overhead (µs/op; lower is better)', training.overhead, torch.overhead, undefined, true);
  }
}

const torch1 = torchFigures(1);
if (torch1) table(1, one, torch1);
const torch2 = torchFigures(2);
if (torch2) table(2, two, torch2);
console.log(
  `\nOur 2 threads ÷ 1 thread: matmul 1024 ${two.matmul['1024'] && matmul['1024'] ? (two.matmul['1024'] / matmul['1024']).toFixed(2) : '—'}x, MLP ${(two.mlp / one.mlp).toFixed(2)}x, CNN ${(two.cnn / one.cnn).toFixed(2)}x, char-RNN ${(two.rnn / one.rnn).toFixed(2)}x`,
);
