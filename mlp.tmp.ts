import * as hg from './engine/src/index.ts';
import { nn, optim } from './engine/src/index.ts';
hg.manualSeed(0);
const model = new nn.Sequential(
  new nn.Linear(784, 256),
  new nn.ReLU(),
  new nn.Linear(256, 128),
  new nn.ReLU(),
  new nn.Linear(128, 10),
);
const opt = new optim.Adam(model.parameters(), { lr: 1e-3 });
const x = hg.randn([128, 784]);
const y = hg.randint(0, 10, [128]);
const step = () => {
  opt.zeroGrad();
  hg.F.crossEntropy(model.forward(x) as hg.Tensor, y).backward();
  opt.step();
};
for (let i = 0; i < 10; i++) step();
const t0 = performance.now();
let n = 0;
while (performance.now() - t0 < 4000) {
  step();
  n++;
}
console.log((n / ((performance.now() - t0) / 1000)).toFixed(1), 'steps/s');
