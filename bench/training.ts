// Training-step benchmarks against TensorFlow.js in the same run: an MLP step
// (784→256→128→10, ReLU, batch 128, cross-entropy, Adam) and a character-RNN step (vocab 65,
// embedding 32, hidden 128, tanh RNN, sequence 32, batch 32, Adam). Reports steps/s.
import * as tf from '@tensorflow/tfjs';
import * as hg from '@hgrad/engine';
import { nn, optim } from '@hgrad/engine';
import { time, useTfjsWasm } from './harness.ts';

export function ourMlpStep(device: hg.Device = 'cpu'): () => void {
  hg.manualSeed(0);
  const model = new nn.Sequential(
    new nn.Linear(784, 256),
    new nn.ReLU(),
    new nn.Linear(256, 128),
    new nn.ReLU(),
    new nn.Linear(128, 10),
  );
  model.to(device);
  const opt = new optim.Adam(model.parameters(), { lr: 1e-3 });
  const x = hg.randn([128, 784]).to(device);
  const y = hg.randint(0, 10, [128]).to(device);
  // On a GPU each step's intermediates are freed when it ends (see the engine's scope.ts).
  return () =>
    hg.tidy(() => {
      opt.zeroGrad();
      hg.F.crossEntropy(model.forward(x), y).backward();
      opt.step();
    });
}

export function tfMlpStep(): () => void {
  const dense = (i: number, o: number) =>
    [tf.variable(tf.randomNormal([i, o], 0, 0.05)), tf.variable(tf.zeros([o]))] as const;
  const layers = [dense(784, 256), dense(256, 128), dense(128, 10)];
  const opt = tf.train.adam(1e-3);
  const x = tf.randomNormal([128, 784]);
  const y = tf.oneHot(tf.randomUniform([128], 0, 10, 'int32') as tf.Tensor1D, 10);
  return () =>
    tf.tidy(() => {
      opt.minimize(() => {
        let h: tf.Tensor = x;
        layers.forEach(([w, b], i) => {
          h = tf.add(tf.matMul(h, w), b);
          if (i < layers.length - 1) h = tf.relu(h);
        });
        return tf.losses.softmaxCrossEntropy(y, h) as tf.Scalar;
      });
    });
}

class CharRnn extends nn.Module {
  embed = this.module('embed', new nn.Embedding(65, 32));
  rnn = this.module('rnn', new nn.RNN(32, 128, { batchFirst: true }));
  head = this.module('head', new nn.Linear(128, 65));
  forward(ids: hg.Tensor): hg.Tensor {
    return this.head.forward(this.rnn.forward(this.embed.forward(ids))[0]);
  }
}

/** One Adam step of cross-entropy on fixed data: the training step every CPU case times. */
function adamStep(
  model: nn.Module & { forward(x: hg.Tensor): hg.Tensor },
  x: hg.Tensor,
  y: hg.Tensor,
  lr = 1e-3,
): () => void {
  const opt = new optim.Adam(model.parameters(), { lr });
  // As the studio's training loop does: each step's intermediates go back to the engine's pool.
  return () =>
    hg.tidy(() => {
      opt.zeroGrad();
      const logits = model.forward(x);
      hg.F.crossEntropy(logits.reshape(-1, logits.shape.at(-1)!), y).backward();
      opt.step();
    });
}

export function ourRnnStep(): () => void {
  hg.manualSeed(0);
  return adamStep(new CharRnn(), hg.randint(0, 65, [32, 32]), hg.randint(0, 65, [32 * 32]));
}

function tfRnnStep(): () => void {
  const v = (shape: number[]) => tf.variable(tf.randomNormal(shape, 0, 0.05));
  const [emb, wih, whh, b, wout, bout] = [
    v([65, 32]),
    v([32, 128]),
    v([128, 128]),
    v([128]),
    v([128, 65]),
    v([65]),
  ];
  const opt = tf.train.adam(1e-3);
  const x = tf.randomUniform([32, 32], 0, 65, 'int32');
  const y = tf.oneHot(tf.randomUniform([32 * 32], 0, 65, 'int32') as tf.Tensor1D, 65);
  return () =>
    tf.tidy(() => {
      opt.minimize(() => {
        const e = tf.gather(emb!, x); // [32, 32, 32]
        let h: tf.Tensor = tf.zeros([32, 128]);
        const outs: tf.Tensor[] = [];
        for (let t = 0; t < 32; t++) {
          const xt = tf.squeeze(tf.slice(e, [0, t, 0], [32, 1, 32]), [1]);
          h = tf.tanh(tf.add(tf.add(tf.matMul(xt, wih!), tf.matMul(h, whh!)), b!));
          outs.push(h);
        }
        const logits = tf.add(tf.matMul(tf.reshape(tf.stack(outs, 1), [32 * 32, 128]), wout!), bout!);
        return tf.losses.softmaxCrossEntropy(y, logits) as tf.Scalar;
      });
    });
}

/** The CNN step of the Fashion-MNIST shape: conv 1→16 3×3 p1, ReLU, maxpool 2, conv 16→32, ReLU, maxpool 2, 1568→128→10, batch 64, Adam. */
export function ourCnnStep(batchNorm = false): () => void {
  hg.manualSeed(0);
  // With batchNorm, a BatchNorm2d after each convolution (as the studio's palette builds it).
  const norm = (channels: number) => (batchNorm ? [new nn.BatchNorm2d(channels)] : []);
  const model = new nn.Sequential(
    new nn.Conv2d(1, 16, 3, { padding: 1 }),
    ...norm(16),
    new nn.ReLU(),
    new nn.MaxPool2d(2),
    new nn.Conv2d(16, 32, 3, { padding: 1 }),
    ...norm(32),
    new nn.ReLU(),
    new nn.MaxPool2d(2),
    new nn.Flatten(),
    new nn.Linear(1568, 128),
    new nn.ReLU(),
    new nn.Linear(128, 10),
  );
  return adamStep(model, hg.randn([64, 1, 28, 28]), hg.randint(0, 10, [64]));
}

/**
 * FLOPs of one training step as it is computed (here and in PyTorch): the forward's multiply-adds
 * twice over (2 FLOPs each), then the backward's weight gradients (as many again) and input
 * gradients (as many again, but for the first layer, whose input needs no gradient and gets
 * none). Counting the backward as a flat twice the forward would credit the MLP with 51M FLOPs
 * (the first layer's input gradient) that neither side does.
 */
const stepFlops = (first: number, rest: number) => 2 * (3 * (first + rest) - first);
export const STEP_FLOPS = {
  mlp: stepFlops(128 * 784 * 256, 128 * (256 * 128 + 128 * 10)),
  cnn: stepFlops(64 * 28 * 28 * 16 * 9, 64 * (14 * 14 * 32 * 16 * 9 + 1568 * 128 + 128 * 10)),
} as const;

/** The char-RNN as a loop over nn.RNNCell (PyTorch's RNNCell loop, like for like). */
class CharRnnCells extends nn.Module {
  embed = this.module('embed', new nn.Embedding(65, 32));
  cell = this.module('cell', new nn.RNNCell(32, 128));
  head = this.module('head', new nn.Linear(128, 65));
  forward(ids: hg.Tensor): hg.Tensor {
    const e = this.embed.forward(ids);
    let h = hg.zeros([ids.shape[0]!, 128]);
    const outs: hg.Tensor[] = [];
    for (let t = 0; t < ids.shape[1]!; t++) {
      h = this.cell.forward(e.narrow(1, t, 1).squeeze(1), h);
      outs.push(h);
    }
    return this.head.forward(hg.stack(outs, 1));
  }
}

export function ourRnnCellStep(): () => void {
  hg.manualSeed(0);
  return adamStep(new CharRnnCells(), hg.randint(0, 65, [32, 32]), hg.randint(0, 65, [32 * 32]));
}

export function ourTinyStep(): () => void {
  hg.manualSeed(0);
  const model = new nn.Sequential(
    new nn.Linear(2, 16),
    new nn.ReLU(),
    new nn.Linear(16, 16),
    new nn.ReLU(),
    new nn.Linear(16, 3),
  );
  return adamStep(model, hg.randn([32, 2]), hg.randint(0, 3, [32]), 1e-2);
}

/** µs per op of a 10,000-add chain on 4-element tensors, forward and backward. */
export function ourOverhead(budget: { minSeconds: number; runs: number }): number {
  const one = hg.ones([4]);
  const chain = () => {
    const x = hg.randn([4], { requiresGrad: true });
    let y = x;
    for (let i = 0; i < 10_000; i++) y = y.add(one);
    y.sum().backward();
  };
  return (time(chain, budget) / 10_000) * 1e6;
}

/** Peak heap + array-buffer memory while running 200 MLP steps (MB above the start). */
function mlpPeakMemory(): number {
  const step = ourMlpStep();
  const used = () => process.memoryUsage().heapUsed + process.memoryUsage().arrayBuffers;
  const start = used();
  let peak = start;
  for (let i = 0; i < 200; i++) {
    step();
    if (i % 10 === 0) peak = Math.max(peak, used());
  }
  return (peak - start) / 2 ** 20;
}

/** MLP steps/s with whatever matmul threading is active now. */
export function threadedMlpSteps(quick: boolean): number {
  return 1 / time(ourMlpStep(), { minSeconds: quick ? 1 : 3, runs: 3 });
}

export interface OurTrainingFigures {
  mlp: number;
  rnn: number;
  tiny: number;
  overhead: number;
  mlpPeakMb: number;
}

export async function benchTraining(quick: boolean): Promise<OurTrainingFigures> {
  const budget = { minSeconds: quick ? 1 : 3, runs: 3 };
  const ours = { mlp: 1 / time(ourMlpStep(), budget), rnn: 1 / time(ourRnnStep(), budget) };
  const tiny = 1 / time(ourTinyStep(), budget);
  const overhead = ourOverhead(budget);
  const mlpPeakMb = mlpPeakMemory();
  console.log('\nTraining steps (steps/s; higher is better)');
  console.log(
    `${'case'.padEnd(42)}${'homemade-grad'.padStart(15)}${'peer'.padStart(12)}${'ratio'.padStart(10)}`,
  );
  for (const backend of ['cpu', 'wasm']) {
    if (backend === 'wasm' && !(await useTfjsWasm())) continue;
    await tf.setBackend(backend);
    await tf.ready();
    // A backend that lacks a kernel a case needs (tfjs wasm has no UnsortedSegmentSum, which
    // the embedding's gradient uses) is reported as such, not measured.
    const measure = (make: () => () => void): number | string => {
      try {
        return 1 / time(make(), budget);
      } catch (e) {
        return (e as Error).message;
      }
    };
    const peer = { mlp: measure(tfMlpStep), rnn: measure(tfRnnStep) };
    for (const k of ['mlp', 'rnn'] as const) {
      const label = `${k === 'mlp' ? 'MLP 784-256-128-10, batch 128' : 'char-RNN h128, seq 32, batch 32'} vs tfjs ${backend}`;
      const theirs = peer[k];
      console.log(
        typeof theirs === 'string'
          ? `${label.padEnd(42)}${ours[k].toFixed(2).padStart(15)}   peer failed: ${theirs}`
          : `${label.padEnd(42)}${ours[k].toFixed(2).padStart(15)}${theirs.toFixed(2).padStart(12)}${`${(ours[k] / theirs).toFixed(2)}x`.padStart(10)}`,
      );
    }
  }
  console.log(`tiny-model step (2-16-16-3, batch 32, Adam): ${tiny.toFixed(0)} steps/s`);
  console.log(`autograd overhead (10,000 adds, fwd+bwd): ${overhead.toFixed(2)} µs/op`);
  console.log(`MLP run, peak memory above start (heap + array buffers): ${mlpPeakMb.toFixed(1)} MB`);
  return { ...ours, tiny, overhead, mlpPeakMb };
}
