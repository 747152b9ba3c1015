// A character-level GRU language model on Genesis (KJV): trains next-character prediction and
// prints samples.   npx tsx examples/nlp_demo.ts [--quick]
import * as hg from '@hgrad/engine';
import { data, nn, optim, type Tensor } from '@hgrad/engine';
import { genesisText, quick } from './common.ts';

export class CharModel extends nn.Module {
  embed: hg.nn.Embedding;
  rnn: hg.nn.GRU;
  head: hg.nn.Linear;
  constructor(vocab: number, hidden = 128) {
    super();
    this.embed = this.module('embed', new nn.Embedding(vocab, 32));
    this.rnn = this.module('rnn', new nn.GRU(32, hidden, { batchFirst: true }));
    this.head = this.module('head', new nn.Linear(hidden, vocab));
  }
  forward(ids: Tensor, h?: Tensor): [Tensor, Tensor] {
    const [out, hN] = this.rnn.forward(this.embed.forward(ids), h);
    return [this.head.forward(out), hN];
  }
}

export function trainChars({
  steps,
  seqLen = 32,
  batchSize = 16,
  hidden = 128,
}: {
  steps: number;
  seqLen?: number;
  batchSize?: number;
  hidden?: number;
}) {
  hg.manualSeed(0);
  const text = genesisText();
  const tok = new data.CharTokenizer(text);
  const ds = new data.NextTokenDataset(tok, text, seqLen);
  const loader = new data.DataLoader(ds, { batchSize, shuffle: true, dropLast: true });
  const model = new CharModel(tok.vocabSize, hidden);
  const optimizer = new optim.Adam(model.parameters(), { lr: 3e-3 });
  const losses: number[] = [];
  outer: for (;;)
    for (const [x, y] of loader as Iterable<Tensor[]>) {
      if (losses.length >= steps) break outer;
      optimizer.zeroGrad();
      const [logits] = model.forward(x!);
      const loss = hg.F.crossEntropy(logits.reshape(-1, tok.vocabSize), y!.reshape(-1));
      loss.backward();
      optim.clipGradNorm_(model.parameters(), 1);
      optimizer.step();
      losses.push(loss.item());
    }
  return { model, tok, losses };
}

export function sample(model: CharModel, tok: data.CharTokenizer, prompt: string, length: number): string {
  return hg.noGrad(() => {
    let [logits, h] = model.forward(hg.tensor([tok.encode(prompt)]));
    let out = prompt;
    for (let i = 0; i < length; i++) {
      const last = logits.index(0, -1).div(0.8).softmax(-1);
      const next = hg.multinomial(last, 1).item();
      out += tok.decode([next]);
      [logits, h] = model.forward(hg.tensor([[next]]), h);
    }
    return out;
  });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { model, tok, losses } = trainChars({ steps: quick ? 40 : 600 });
  const avg = (a: number[]) => a.reduce((s, v) => s + v, 0) / a.length;
  console.log(`vocabulary: ${tok.vocabSize} characters; ${losses.length} steps`);
  console.log(
    `loss: first 10 steps ${avg(losses.slice(0, 10)).toFixed(3)}, last 10 steps ${avg(losses.slice(-10)).toFixed(3)}`,
  );
  console.log(`sample: ${JSON.stringify(sample(model, tok, 'And God said', quick ? 60 : 200))}`);
}
