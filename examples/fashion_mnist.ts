// Fashion-MNIST with an MLP and a small CNN. Uses the full dataset from Debian's
// dataset-fashion-mnist when installed (and not --quick), else the committed 6,000/1,000 subset.
//   npx tsx examples/fashion_mnist.ts [--quick] [--cnn]
import * as hg from '@hgrad/engine';
import { data, nn, optim } from '@hgrad/engine';
import { fashionFiles, quick } from './common.ts';

export type Arch = 'mlp' | 'cnn';

export function makeModel(arch: Arch): hg.nn.Module {
  if (arch === 'mlp')
    return new nn.Sequential(
      new nn.Flatten(),
      new nn.Linear(784, 128),
      new nn.ReLU(),
      new nn.Linear(128, 10),
    );
  return new nn.Sequential(
    new nn.Conv2d(1, 8, 3, { padding: 1 }),
    new nn.ReLU(),
    new nn.MaxPool2d(2),
    new nn.Conv2d(8, 16, 3, { padding: 1 }),
    new nn.ReLU(),
    new nn.MaxPool2d(2),
    new nn.Flatten(),
    new nn.Linear(16 * 7 * 7, 10),
  );
}

export async function trainFashion(
  arch: Arch,
  { epochs, trainLimit, preferFull }: { epochs: number; trainLimit?: number; preferFull: boolean },
) {
  hg.manualSeed(0);
  const files = fashionFiles(preferFull);
  const train = await data.fashionMnist(files.images, files.labels);
  const test = await data.fashionMnist(files.testImages, files.testLabels);
  const n = Math.min(trainLimit ?? Infinity, train.x.shape[0]!);
  const loader = new data.DataLoader(
    new data.TensorDataset(train.x.narrow(0, 0, n), train.y.narrow(0, 0, n)),
    { batchSize: 64, shuffle: true },
  );
  const model = makeModel(arch);
  const optimizer = new optim.Adam(model.parameters(), { lr: 2e-3 });
  const log: string[] = [];
  for (let epoch = 0; epoch < epochs; epoch++) {
    let total = 0;
    for (const [xb, yb] of loader as Iterable<hg.Tensor[]>) {
      optimizer.zeroGrad();
      const loss = hg.F.crossEntropy(model.call(xb) as hg.Tensor, yb!);
      loss.backward();
      optimizer.step();
      total += loss.item();
    }
    log.push(`epoch ${epoch + 1}: train loss ${(total / loader.length).toFixed(4)}`);
  }
  model.eval();
  let correct = 0;
  hg.noGrad(() => {
    for (const [xb, yb] of new data.DataLoader(new data.TensorDataset(test.x, test.y), {
      batchSize: 500,
    }) as Iterable<hg.Tensor[]>)
      correct += (model.call(xb) as hg.Tensor).argmax(1).eq(yb!).sum().item();
  });
  return { accuracy: correct / test.x.shape[0]!, log, trained: n, source: files.source };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const arch: Arch = process.argv.includes('--cnn') ? 'cnn' : 'mlp';
  const r = await trainFashion(arch, {
    epochs: quick ? 1 : 5,
    trainLimit: quick ? 2000 : undefined,
    preferFull: !quick,
  });
  r.log.forEach((l) => console.log(l));
  console.log(
    `${arch} trained on ${r.trained} images from ${r.source}; test accuracy ${(r.accuracy * 100).toFixed(1)}%`,
  );
}
