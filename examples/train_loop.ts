// An MLP on three Gaussian blobs with the nn/optim/data API: a classic PyTorch training loop.
//   npx tsx examples/train_loop.ts [--quick]
import * as hg from '@hgrad/engine';
import { data, nn, optim } from '@hgrad/engine';
import { quick } from './common.ts';

export function trainBlobs(epochs: number, seed = 0): { accuracy: number; losses: number[] } {
  hg.manualSeed(seed);
  const { x, y } = data.blobs(600, { classes: 3, seed });
  const [train, test] = data.randomSplit(new data.TensorDataset(x, y), [0.8, 0.2]);
  const model = new nn.Sequential(
    new nn.Linear(2, 16),
    new nn.ReLU(),
    new nn.Linear(16, 16),
    new nn.ReLU(),
    new nn.Linear(16, 3),
  );
  const optimizer = new optim.Adam(model.parameters(), { lr: 0.01 });
  const loader = new data.DataLoader(train!, { batchSize: 32, shuffle: true });
  const losses: number[] = [];
  for (let epoch = 0; epoch < epochs; epoch++) {
    let total = 0;
    for (const [xb, yb] of loader as Iterable<hg.Tensor[]>) {
      optimizer.zeroGrad();
      const loss = hg.F.crossEntropy(model.forward(xb!), yb!);
      loss.backward();
      optimizer.step();
      total += loss.item();
    }
    losses.push(total / loader.length);
  }
  const [tx, ty] = new data.DataLoader(test!, { batchSize: test!.length })[Symbol.iterator]().next()
    .value as hg.Tensor[];
  const accuracy = hg.noGrad(() => model.eval().forward(tx!).argmax(1).eq(ty!).float().mean().item());
  return { accuracy, losses };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { accuracy, losses } = trainBlobs(quick ? 5 : 20);
  losses.forEach((l, i) => console.log(`epoch ${i + 1}: loss ${l.toFixed(4)}`));
  console.log(`test accuracy: ${(accuracy * 100).toFixed(1)}%`);
}
