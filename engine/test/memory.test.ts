// A long training run does not grow memory: after 1,000 steps the heap and array buffers are
// where they were after 100 (intermediates of each step are garbage once it ends).
import v8 from 'node:v8';
import vm from 'node:vm';
import { describe, expect, it } from 'vitest';
import * as hg from '../src/index.ts';
import { nn, optim } from '../src/index.ts';

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

function used(): number {
  gc();
  gc();
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}

describe('memory over a long run', () => {
  it('1,000 training steps (Adam, WASM matmul and update) do not grow the heap', () => {
    hg.manualSeed(0);
    const model = new nn.Sequential(new nn.Linear(64, 128), new nn.ReLU(), new nn.Linear(128, 10));
    const opt = new optim.Adam(model.parameters(), { lr: 1e-3 });
    const x = hg.randn([32, 64]);
    const y = hg.randint(0, 10, [32]);
    const step = () => {
      opt.zeroGrad();
      hg.F.crossEntropy(model.forward(x), y).backward();
      opt.step();
    };
    for (let i = 0; i < 100; i++) step();
    const after100 = used();
    for (let i = 0; i < 900; i++) step();
    const after1000 = used();
    // Catches any leak of more than ~4.7 kB a step (one [32, 128] activation kept per step would
    // add 14 MB over these 900 steps) while staying clear of the ~1 MB that V8's own bookkeeping
    // (JIT code, coverage counters under --coverage) can add on a loaded machine.
    expect((after1000 - after100) / 2 ** 20).toBeLessThan(4);
  });
});
