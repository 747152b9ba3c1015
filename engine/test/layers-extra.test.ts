// The added torch.nn layers beyond their PyTorch fixtures (nn-parity): channel dropout drops
// whole channels and scales the rest, is the identity in eval mode, and takes unbatched input;
// refusals name the argument; state-dict keys are PyTorch's.
import { describe, expect, it } from 'vitest';
import * as hg from '../src/index.ts';
import { F, nn } from '../src/index.ts';

describe('channel dropout (Dropout1d/2d/3d)', () => {
  for (const [name, make, shape] of [
    ['Dropout1d', () => new nn.Dropout1d(0.4), [8, 16, 5]],
    ['Dropout2d', () => new nn.Dropout2d(0.4), [8, 16, 3, 4]],
    ['Dropout3d', () => new nn.Dropout3d(0.4), [8, 16, 2, 2, 3]],
    ['Dropout2d, unbatched [C, H, W]', () => new nn.Dropout2d(0.4), [64, 3, 4]],
  ] as const)
    it(`${name}: each channel kept whole (scaled by 1/(1−p)) or zeroed; eval passes through`, () => {
      hg.manualSeed(3);
      const m = make();
      const x = hg.rand([...shape]).add(1);
      const y = m.forward(x);
      const channels = shape.length === 3 && name.includes('unbatched') ? shape[0] : shape[0] * shape[1];
      const per = x.numel() / channels;
      const [xs, ys] = [x.dataSync(), y.dataSync()];
      let dropped = 0;
      for (let c = 0; c < channels; c++) {
        const kept = ys[c * per] !== 0;
        if (!kept) dropped++;
        for (let i = c * per; i < (c + 1) * per; i++) expect(ys[i]).toBeCloseTo(kept ? xs[i]! / 0.6 : 0, 5);
      }
      // About 40% of the channels (binomial: 4 standard deviations either side).
      const sd = Math.sqrt(channels * 0.4 * 0.6);
      expect(Math.abs(dropped - channels * 0.4)).toBeLessThan(4 * sd);
      m.eval();
      expect(m.forward(x)).toBe(x);
    });

  it('refuses the wrong rank and a p outside [0, 1], naming them', () => {
    expect(() => new nn.Dropout2d(0.5).forward(hg.zeros([2, 3]))).toThrow(
      /Dropout2d|dropout2d: expected 3D or 4D input, got \[2, 3\]/,
    );
    expect(() => new nn.Dropout1d(1.5)).toThrow(/p must be between 0 and 1, got 1.5/);
    expect(() => F.dropout2d(hg.zeros([1, 2, 3, 3]), { q: 0.1 } as never)).toThrow(/unknown option 'q'/);
  });
});

describe('the other added layers', () => {
  it('PReLU: weight key and shape as PyTorch, a channel count that does not fit is refused', () => {
    const m = new nn.PReLU(3);
    expect([...m.stateDict().keys()]).toEqual(['weight']);
    expect(m.weight.shape).toEqual([3]);
    expect(Array.from(m.weight.dataSync())).toEqual([0.25, 0.25, 0.25]);
    expect(() => m.forward(hg.zeros([2, 4]))).toThrow(/expected 1 or the input's channels/);
  });

  it('padding layers name a wrong padding; ConstantPad needs its value', () => {
    expect(() => new nn.ReflectionPad2d([1, 2, 3])).toThrow(/4 integers, got \[1,2,3\]/);
    expect(() => new (nn.ConstantPad2d as unknown as new (p: number) => nn.Module)(1)).toThrow(/fill value/);
    expect(new nn.ZeroPad2d(1).forward(hg.ones([1, 1, 1, 1])).tolist()).toEqual([
      [
        [
          [0, 0, 0],
          [0, 1, 0],
          [0, 0, 0],
        ],
      ],
    ]);
  });

  it('cosineSimilarity of a zero vector is 0, with PyTorch’s finite gradient (no NaN)', () => {
    const a = hg.tensor([[0, 0, 0]], { dtype: 'float32' }).requiresGrad_();
    const b = hg.tensor([[1, 2, 3]], { dtype: 'float32' });
    const s = F.cosineSimilarity(a, b);
    expect(Array.from(s.dataSync())).toEqual([0]);
    s.sum().backward();
    // PyTorch 1.13: tensor([[26726124., 53452248., 80178368.]]) (b / (eps·‖b‖)).
    const want = [26726124, 53452248, 80178368];
    Array.from(a.grad!.dataSync()).forEach((v, i) =>
      expect(Math.abs(v - want[i]!) / want[i]!).toBeLessThan(1e-6),
    );
  });
});

describe('the added losses', () => {
  it('check their options when built and their tensors when called', () => {
    expect(() => new nn.TripletMarginLoss({ marg: 1 } as never)).toThrow(
      /tripletMarginLoss: unknown option 'marg' \(did you mean 'margin'\?\)/,
    );
    expect(() => new nn.SoftMarginLoss('avg' as never)).toThrow(/reduction must be one of/);
    expect(() => new nn.MarginRankingLoss().forward(hg.zeros([3]), hg.zeros([3]))).toThrow(
      /forward takes 3 tensors, got 2/,
    );
    expect(() => F.gaussianNllLoss(hg.zeros([3, 4]), hg.zeros([3, 4]), hg.ones([2]))).toThrow(
      /var is of incorrect size \[2\]/,
    );
    expect(() => F.gaussianNllLoss(hg.zeros([2]), hg.zeros([2]), hg.tensor([1, -1]))).toThrow(/negative/);
  });

  it('gaussianNllLoss clamps var for its value only: the gradient is var’s own, as PyTorch', () => {
    // torch: v = tensor([1e-9, 2.], requires_grad=True); F.gaussian_nll_loss(zeros(2), ones(2), v).backward()
    // → v.grad = tensor([-2.5000e+11, 6.2500e-02]): ½·(1/c − 1/c²) at the clamped c = 1e-6, halved by the mean
    const v = hg.tensor([1e-9, 2], { dtype: 'float32' }).requiresGrad_();
    F.gaussianNllLoss(hg.zeros([2]), hg.ones([2]), v).backward();
    const g = Array.from(v.grad!.dataSync());
    expect(g[0]! / -2.5e11).toBeCloseTo(1, 5);
    expect(g[1]).toBeCloseTo(0.0625, 7);
  });
});

describe('nn.utils', () => {
  it('rnn.padSequence pads to the longest, time-major by default (PyTorch’s values)', () => {
    const a = hg.tensor([
      [1, 2],
      [3, 4],
      [5, 6],
    ]);
    const b = hg.tensor([[7, 8]]);
    expect(nn.utils.rnn.padSequence([a, b]).tolist()).toEqual([
      [
        [1, 2],
        [7, 8],
      ],
      [
        [3, 4],
        [0, 0],
      ],
      [
        [5, 6],
        [0, 0],
      ],
    ]);
    expect(nn.utils.rnn.padSequence([a, b], { batchFirst: true, paddingValue: -1 }).tolist()).toEqual([
      [
        [1, 2],
        [3, 4],
        [5, 6],
      ],
      [
        [7, 8],
        [-1, -1],
        [-1, -1],
      ],
    ]);
    expect(() => nn.utils.rnn.padSequence([a, hg.zeros([2, 3])])).toThrow(/every sequence must be \[L, 2\]/);
    expect(() => nn.utils.rnn.padSequence([a], { batch_first: true } as never)).toThrow(
      /unknown option 'batch_first'/,
    );
  });

  it('parametersToVector and vectorToParameters round-trip; clipGradNorm_ is there as in PyTorch', () => {
    const m = new nn.Linear(3, 2);
    const v = nn.utils.parametersToVector(m.parameters());
    expect(v.shape).toEqual([8]);
    nn.utils.vectorToParameters(hg.arange(8).to('float32'), m.parameters());
    expect(m.weight.tolist()).toEqual([
      [0, 1, 2],
      [3, 4, 5],
    ]);
    expect(m.bias!.tolist()).toEqual([6, 7]);
    expect(() => nn.utils.vectorToParameters(hg.zeros([7]), m.parameters())).toThrow(
      /expected a vector of 8 values/,
    );
    expect(nn.utils.clipGradNorm_).toBe(hg.optim.clipGradNorm_);
  });
});

describe('the Transformer modules', () => {
  it('refuse what they do not take, naming it; the causal mask is PyTorch’s', () => {
    expect(() => new nn.Transformer({ customEncoder: new nn.Identity() } as never)).toThrow(
      /Transformer: unknown option 'customEncoder'/,
    );
    expect(() => new nn.Transformer(8, 2, 0)).toThrow(/numEncoderLayers must be a positive integer/);
    expect(() => new nn.TransformerDecoder(new nn.Identity() as never, 2)).toThrow(
      /must be a TransformerDecoderLayer/,
    );
    const layer = new nn.TransformerDecoderLayer(8, 2, 16, 0);
    expect(() =>
      layer.forward(hg.zeros([3, 1, 8]), hg.zeros([2, 1, 8]), { tgt_mask: null } as never),
    ).toThrow(/unknown option 'tgt_mask' \(did you mean 'tgtMask'\?\)/);
    // torch.nn.Transformer.generate_square_subsequent_mask(3)
    expect(nn.Transformer.generateSquareSubsequentMask(3).tolist()).toEqual([
      [0, -Infinity, -Infinity],
      [0, 0, -Infinity],
      [0, 0, 0],
    ]);
  });

  it('clones start equal and stay independent; the generator is where it was', () => {
    hg.manualSeed(1);
    const decoder = new nn.TransformerDecoder(new nn.TransformerDecoderLayer(8, 2, 16, 0), 2);
    const next = hg.rand([1]).item();
    hg.manualSeed(1);
    new nn.TransformerDecoderLayer(8, 2, 16, 0);
    expect(hg.rand([1]).item()).toBe(next);
    const [w0, w1] = [0, 1].map((i) => (decoder.layers.at(i) as nn.TransformerDecoderLayer).linear1.weight);
    expect(w0!.tolist()).toEqual(w1!.tolist());
    hg.noGrad(() => w0!.add_(1));
    expect(w0!.tolist()).not.toEqual(w1!.tolist());
  });
});

describe('EmbeddingBag', () => {
  it('refuses inputs PyTorch refuses, naming the problem', () => {
    const bag = new nn.EmbeddingBag(5, 2, { mode: 'mean' });
    expect(() => bag.forward(hg.tensor([1, 2]))).toThrow(/1-D indices need offsets/);
    expect(() => bag.forward(hg.tensor([[1, 2]]), hg.tensor([0]))).toThrow(/offsets must be null/);
    expect(() => bag.forward(hg.tensor([1, 2]), hg.tensor([0]), hg.ones([2]))).toThrow(
      /only supported for mode='sum'/,
    );
    expect(() => bag.forward(hg.tensor([1, 2]), hg.tensor([1]))).toThrow(/offsets must start at 0/);
    expect(() => new nn.EmbeddingBag(5, 2, { mod: 'sum' } as never)).toThrow(/did you mean 'mode'/);
  });

  it('an empty bag is zeros in every mode; the padding entry is left out of the mean', () => {
    for (const mode of ['sum', 'mean', 'max'] as const) {
      const bag = new nn.EmbeddingBag(4, 2, { mode, paddingIdx: 3 });
      const out = bag.forward(hg.tensor([0, 3, 1]), hg.tensor([0, 0, 2]));
      expect(out.shape).toEqual([3, 2]);
      const rows = out.tolist() as number[][];
      expect(rows[0]).toEqual([0, 0]);
      if (mode === 'mean') expect(rows[1]).toEqual((bag.weight.tolist() as number[][])[0]);
    }
  });
});

describe('channel shuffling, sampling and the margin losses at their edges', () => {
  it('shuffles channels as torch does (torch 1.13 has no derivative for it; ours is a permutation)', () => {
    // 6 channels in 3 groups of 2: [0, 1 | 2, 3 | 4, 5] → [0, 2, 4, 1, 3, 5].
    const x = hg.arange(6).float().reshape([1, 6, 1, 1]).requiresGrad_();
    const y = new nn.ChannelShuffle(3).forward(x);
    expect(y.flatten().tolist()).toEqual([0, 2, 4, 1, 3, 5]);
    y.mul(hg.arange(6).float().reshape([1, 6, 1, 1]))
      .sum()
      .backward();
    expect(x.grad!.flatten().tolist()).toEqual([0, 3, 1, 4, 2, 5]);
    expect(() => F.channelShuffle(hg.zeros([1, 5, 2, 2]), 2)).toThrow(/divisible by 2 groups/);
  });

  it('refuses what it does not sample, and checks the losses’ options', () => {
    expect(() =>
      F.gridSample(hg.zeros([1, 1, 2, 2]), hg.zeros([1, 2, 2, 2]), { mode: 'bicubic' } as never),
    ).toThrow(/mode must be one of 'bilinear', 'nearest'/);
    expect(() => F.affineGrid(hg.zeros([1, 3, 4]), [1, 1, 2, 2, 2])).toThrow(/only 2-D grids here/);
    expect(() => F.multiMarginLoss(hg.zeros([2, 3]), hg.tensor([0, 1]), 3 as never)).toThrow(
      /p must be one of 1, 2/,
    );
    expect(() => F.multilabelMarginLoss(hg.zeros([1, 3]), hg.tensor([[5, -1, 0]]))).toThrow(
      /out of bounds for 3 classes/,
    );
    expect(() => new nn.TripletMarginWithDistanceLoss({ margin: -1 })).toThrow(
      /margin must be a positive number/,
    );
    expect(() => F.pdist(hg.zeros([2, 3, 4]))).toThrow(/pdist only supports 2D tensors/);
  });
});

describe('alpha dropout', () => {
  it('keeps a unit-variance input’s mean and variance, with torch’s two values per unit', () => {
    hg.manualSeed(7);
    const x = hg.randn([20000], { dtype: 'float64' });
    const p = 0.2;
    const y = F.alphaDropout(x, p, true);
    const [mean, variance] = [y.mean().item(), y.var().item()];
    expect(Math.abs(mean)).toBeLessThan(0.03);
    expect(Math.abs(variance - 1)).toBeLessThan(0.05);
    // Each output is a·x + λα·a·p (kept) or −λα·a·(1 − p) (dropped).
    const a = 1 / Math.sqrt((1.7580993408473766 ** 2 * p + 1) * (1 - p));
    const xs = x.tolist() as number[];
    const ys = y.tolist() as number[];
    let dropped = 0;
    ys.forEach((v, i) => {
      const kept = a * xs[i]! + 1.7580993408473766 * a * p;
      if (Math.abs(v - kept) > 1e-12) {
        expect(v).toBeCloseTo(-1.7580993408473766 * a * (1 - p), 12);
        dropped++;
      }
    });
    expect(Math.abs(dropped / ys.length - p)).toBeLessThan(0.01);
    // Eval mode (the module's default after .eval(), the functional form's default): unchanged.
    expect(F.alphaDropout(x, p).tolist()).toEqual(xs);
    const m = new nn.AlphaDropout(0.3).eval();
    expect(m.forward(x).tolist()).toEqual(xs);
  });

  it('drops whole channels in feature alpha dropout', () => {
    hg.manualSeed(3);
    const y = new nn.FeatureAlphaDropout(0.5).forward(hg.ones([4, 6, 5]));
    // Within each (sample, channel) every position took the same branch.
    for (const row of y.tolist() as number[][][])
      for (const channel of row) expect(new Set(channel).size).toBe(1);
    expect(() => F.featureAlphaDropout(hg.ones([3]), 0.5, true)).toThrow(/at least 2 dimensions/);
  });
});

describe('random activations: rrelu in training, gumbel-softmax', () => {
  it('draws one slope per negative element in [lower, upper] in training', () => {
    hg.manualSeed(5);
    const x = hg.full([2000], -1, { dtype: 'float32' });
    const y = F.rrelu(x, 0.1, 0.3, true);
    const slopes = y.neg().tolist() as number[];
    expect(Math.min(...slopes)).toBeGreaterThanOrEqual(0.1);
    expect(Math.max(...slopes)).toBeLessThanOrEqual(0.3);
    expect(new Set(slopes).size).toBeGreaterThan(1000);
    expect((F.rrelu(hg.tensor([2.5, -2]), 0.1, 0.3, true).tolist() as number[])[0]).toBe(2.5);
    expect(() => new nn.RReLU(0.5, 0.1)).toThrow(
      /Lower bound should be less than or equal to the upper bound/,
    );
  });

  it('samples a distribution, or a one-hot whose gradient is the soft sample’s', () => {
    hg.manualSeed(6);
    const logits = hg.tensor([[1, 2, 3, 0.5]], { dtype: 'float64' }).requiresGrad_();
    const soft = F.gumbelSoftmax(logits, { tau: 0.5 });
    expect(soft.sum().item()).toBeCloseTo(1, 12);
    hg.manualSeed(6);
    const hard = F.gumbelSoftmax(logits, { tau: 0.5, hard: true });
    const values = hard.tolist() as number[][];
    expect(values[0]!.filter((v) => v === 1).length).toBe(1);
    expect(values[0]!.filter((v) => v === 0).length).toBe(3);
    // Straight through: the same gradient as the soft sample with the same draw.
    const w = hg.tensor([[0.3, -1, 2, 0.7]], { dtype: 'float64' });
    const [gHard] = hg.grad(hard.mul(w).sum(), [logits]);
    const [gSoft] = hg.grad(soft.mul(w).sum(), [logits]);
    expect(gHard!.tolist()).toEqual(gSoft!.tolist());
    // Lower temperature: samples closer to one-hot, on average.
    hg.manualSeed(1);
    const sharp = F.gumbelSoftmax(hg.zeros([500, 4]), 0.1)
      .amax(1)
      .mean()
      .item();
    hg.manualSeed(1);
    const smooth = F.gumbelSoftmax(hg.zeros([500, 4]), 10)
      .amax(1)
      .mean()
      .item();
    expect(sharp).toBeGreaterThan(0.9);
    expect(smooth).toBeLessThan(0.4);
  });
});
