// Train, checkpoint to disk (weights.safetensors + state.json), load into a fresh model and
// optimizer, and continue: the result equals uninterrupted training exactly.
//   npx tsx examples/checkpoint.ts
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as hg from '@hgrad/engine';
import { data, nn, optim } from '@hgrad/engine';

const { x, y } = data.blobs(200);
function fresh() {
  hg.manualSeed(1);
  const model = new nn.Sequential(new nn.Linear(2, 8), new nn.ReLU(), new nn.Linear(8, 3));
  return { model, optimizer: new optim.SGD(model.parameters(), { lr: 0.1, momentum: 0.9 }) };
}
function train(s: ReturnType<typeof fresh>, steps: number) {
  for (let i = 0; i < steps; i++) {
    s.optimizer.zeroGrad();
    hg.F.crossEntropy(s.model.forward(x), y).backward();
    s.optimizer.step();
  }
}

const straight = fresh();
train(straight, 20);

const first = fresh();
train(first, 10);
const dir = mkdtempSync(join(tmpdir(), 'hgrad-ckpt-'));
const files = hg.saveCheckpoint(first, { step: 10 });
writeFileSync(join(dir, 'weights.safetensors'), files.weights);
writeFileSync(join(dir, 'state.json'), files.state);
console.log(`saved checkpoint at step 10 to ${dir}`);

const resumed = fresh();
const { step } = hg.loadCheckpoint(
  {
    weights: new Uint8Array(readFileSync(join(dir, 'weights.safetensors'))),
    state: readFileSync(join(dir, 'state.json'), 'utf8'),
  },
  resumed,
);
train(resumed, 20 - step);
const same = [...straight.model.stateDict()].every(([k, t]) =>
  t.dataSync().every((v, i) => v === resumed.model.stateDict().get(k)!.dataSync()[i]),
);
console.log(`resumed from step ${step}; weights identical to uninterrupted training: ${same}`);
if (!same) process.exit(1);
