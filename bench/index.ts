// npm run bench [-- --quick]: benchmarks that compare homemade-grad with peers in the same run.
// Speed is reported here as figures and ratios, never asserted in tests.
import { benchEngine } from './engine.ts';
import { benchTraining } from './training.ts';
import { torchFigures } from './pytorch.ts';

const quick = process.argv.includes('--quick');
console.log(`homemade-grad benchmarks — Node ${process.version}, ${quick ? 'quick' : 'full'} settings`);
const matmul = await benchEngine(quick);
const training = await benchTraining(quick);
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
  row('MLP step (steps/s)', training.mlp, torch.mlp);
  row('char-RNN step vs RNNCell loop (steps/s)', training.rnn, torch.rnn);
  row('tiny-model step (steps/s)', training.tiny, torch.tiny);
  row('autograd overhead (µs/op; lower is better)', training.overhead, torch.overhead, false);
  console.log('(ratio > 1 means homemade-grad is faster)');
}
