// A long training run does not grow memory: after 1,000 steps the heap and array buffers are
// where they were after 100 (intermediates of each step are garbage once it ends).
import v8 from 'node:v8';
import vm from 'node:vm';
import { describe, expect, it } from 'vitest';
import * as hg from '../src/index.ts';
import { wasmMemoryBytes } from '../src/backend/wasm/instance.ts';
import { nn, optim } from '../src/index.ts';

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

function used(): number {
  gc();
  gc();
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}

class CharRnn extends nn.Module {
  embed = this.module('embed', new nn.Embedding(20, 8));
  rnn = this.module('rnn', new nn.RNN(8, 16, { batchFirst: true }));
  head = this.module('head', new nn.Linear(16, 20));
  forward(ids: hg.Tensor): hg.Tensor {
    return this.head.forward(this.rnn.forward(this.embed.forward(ids))[0]).reshape(-1, 20);
  }
}

// The bench's cases in small: an MLP, a CNN (conv, ReLU, max pool: the direct im2col and
// pooling kernels and the panel matmul), the CNN with batch norm (its fused op) and a character RNN.
const CASES: [
  string,
  () => { model: nn.Module & { forward(x: hg.Tensor): hg.Tensor }; x: hg.Tensor; y: hg.Tensor },
][] = [
  [
    'MLP',
    () => ({
      model: new nn.Sequential(new nn.Linear(64, 128), new nn.ReLU(), new nn.Linear(128, 10)),
      x: hg.randn([32, 64]),
      y: hg.randint(0, 10, [32]),
    }),
  ],
  [
    'CNN',
    () => ({
      model: new nn.Sequential(
        new nn.Conv2d(1, 4, 3, 1, 1),
        new nn.ReLU(),
        new nn.MaxPool2d(2),
        new nn.Flatten(),
        new nn.Linear(4 * 6 * 6, 10),
      ),
      x: hg.randn([8, 1, 12, 12]),
      y: hg.randint(0, 10, [8]),
    }),
  ],
  [
    'CNN with batch norm',
    () => ({
      model: new nn.Sequential(
        new nn.Conv2d(1, 4, 3, 1, 1),
        new nn.BatchNorm2d(4),
        new nn.ReLU(),
        new nn.MaxPool2d(2),
        new nn.Flatten(),
        new nn.Linear(4 * 6 * 6, 10),
      ),
      x: hg.randn([8, 1, 12, 12]),
      y: hg.randint(0, 10, [8]),
    }),
  ],
  ['char-RNN', () => ({ model: new CharRnn(), x: hg.randint(0, 20, [4, 8]), y: hg.randint(0, 20, [32]) })],
];

describe('memory over a long run', () => {
  it.each(CASES)(
    '1,000 training steps of the %s (Adam, WASM kernels) grow neither the heap nor WASM memory',
    (_, make) => {
      hg.manualSeed(0);
      const { model, x, y } = make();
      const opt = new optim.Adam(model.parameters(), { lr: 1e-3 });
      const step = () => {
        opt.zeroGrad();
        hg.F.crossEntropy(model.forward(x), y).backward();
        opt.step();
      };
      for (let i = 0; i < 100; i++) step();
      const after100 = used();
      const wasm100 = wasmMemoryBytes();
      for (let i = 0; i < 900; i++) step();
      const after1000 = used();
      // Catches any leak of more than ~4.7 kB a step (one [32, 128] activation kept per step would
      // add 14 MB over these 900 steps) while staying clear of the ~1 MB that V8's own bookkeeping
      // (JIT code, coverage counters under --coverage) can add on a loaded machine.
      expect((after1000 - after100) / 2 ** 20).toBeLessThan(4);
      expect(wasmMemoryBytes()).toBe(wasm100);
      expect(wasm100).toBeGreaterThan(0);
    },
  );
});
