// A two-layer MLP from raw tensors: forward, backward and one SGD step on random data,
// printing the loss and gradient norms.   Run: npx tsx examples/mlp_test.ts
import * as hg from '@hgrad/engine';

hg.manualSeed(0);
const batch = 64;
const x = hg.randn([batch, 10]);
const labels = hg.randint(0, 3, [batch]);

// Kaiming-uniform-like initialisation, as nn.Linear does.
const init = (fanOut: number, fanIn: number) =>
  hg
    .rand([fanOut, fanIn])
    .mul(2)
    .sub(1)
    .mul(1 / Math.sqrt(fanIn))
    .requiresGrad_();
const w1 = init(32, 10);
const b1 = hg.zeros([32], { requiresGrad: true });
const w2 = init(3, 32);
const b2 = hg.zeros([3], { requiresGrad: true });
const params = { w1, b1, w2, b2 };

function loss(): hg.Tensor {
  const hidden = x.matmul(w1.t()).add(b1).relu();
  const logits = hidden.matmul(w2.t()).add(b2);
  // Cross-entropy: the negative log-probability of each sample's label, averaged.
  return logits.logSoftmax(1).index(hg.arange(batch), labels).mean().neg();
}

for (let step = 0; step < 5; step++) {
  for (const p of Object.values(params)) p.grad = null;
  const l = loss();
  l.backward();
  const norms = Object.entries(params).map(([name, p]) => `${name} ${p.grad!.norm().item().toFixed(4)}`);
  console.log(`step ${step}: loss ${l.item().toFixed(4)} | grad norms: ${norms.join(', ')}`);
  hg.noGrad(() => {
    for (const p of Object.values(params)) p.sub_(p.grad!.mul(0.5));
  });
}
