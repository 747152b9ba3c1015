import * as hg from './engine/src/index.ts';
import { nn, optim } from './engine/src/index.ts';
class CharRnn extends nn.Module {
  embed = this.module('embed', new nn.Embedding(65, 32));
  rnn = this.module('rnn', new nn.RNN(32, 128, { batchFirst: true }));
  head = this.module('head', new nn.Linear(128, 65));
  forward(ids: hg.Tensor): hg.Tensor { return this.head.forward(this.rnn.forward(this.embed.forward(ids))[0]); }
}
hg.manualSeed(0);
const model = new CharRnn();
const opt = new optim.Adam(model.parameters(), { lr: 1e-3 });
const x = hg.randint(0, 65, [32, 32]); const y = hg.randint(0, 65, [32 * 32]);
const step = () => { opt.zeroGrad(); hg.F.crossEntropy(model.forward(x).reshape(-1, 65), y).backward(); opt.step(); };
for (let i = 0; i < 5; i++) step();
const t0 = performance.now(); let n = 0;
while (performance.now() - t0 < 4000) { step(); n++; }
console.log((n / ((performance.now() - t0) / 1000)).toFixed(1), 'steps/s');
