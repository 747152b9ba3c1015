// Linear regression recovers the true weights of y = x·w + b + noise.
//   npx tsx examples/linear_regression.ts [--quick]
import * as hg from '@hgrad/engine';
import { data, nn, optim } from '@hgrad/engine';
import { quick } from './common.ts';

export function fitLinear(steps: number): {
  loss: number;
  weight: number[];
  bias: number;
  trueWeight: number[];
} {
  hg.manualSeed(0);
  const { x, y, weight } = data.linearRegression(256, { features: 3, noise: 0.1 });
  const model = new nn.Linear(3, 1);
  const optimizer = new optim.SGD(model.parameters(), { lr: 0.1 });
  let loss = Infinity;
  for (let s = 0; s < steps; s++) {
    optimizer.zeroGrad();
    const l = hg.F.mseLoss(model.forward(x), y);
    l.backward();
    optimizer.step();
    loss = l.item();
  }
  return { loss, weight: Array.from(model.weight.dataSync()), bias: model.bias!.item(), trueWeight: weight };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const r = fitLinear(quick ? 60 : 200);
  console.log(`final MSE ${r.loss.toFixed(5)}`);
  console.log(`learned w = [${r.weight.map((v) => v.toFixed(3)).join(', ')}], b = ${r.bias.toFixed(3)}`);
  console.log(`true    w = [${r.trueWeight.join(', ')}], b = 0.5`);
}
