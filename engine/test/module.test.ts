// nn.Module mechanics: registration, PyTorch's state-dict keys, loading with errors that name
// every problem, train/eval, zeroGrad, printing, and moving between dtypes.
import { describe, expect, it } from 'vitest';
import * as hg from '../src/index.ts';
import { nn } from '../src/index.ts';

const mlp = () =>
  new nn.Sequential(new nn.Linear(4, 8), new nn.ReLU(), new nn.BatchNorm1d(8), new nn.Linear(8, 2));

describe('nn.Module', () => {
  it('names parameters and buffers the way PyTorch does', () => {
    const m = mlp();
    expect([...m.stateDict().keys()]).toEqual([
      '0.weight',
      '0.bias',
      '2.weight',
      '2.bias',
      '2.running_mean',
      '2.running_var',
      '2.num_batches_tracked',
      '3.weight',
      '3.bias',
    ]);
    expect([...m.namedParameters()].map(([k]) => k)).toEqual([
      '0.weight',
      '0.bias',
      '2.weight',
      '2.bias',
      '3.weight',
      '3.bias',
    ]);
    expect(m.parameters().reduce((n, p) => n + p.numel(), 0)).toBe(4 * 8 + 8 + 8 + 8 + 8 * 2 + 2);
    expect(m.buffers().length).toBe(3);
    expect([...m.modules()].length).toBe(5);
  });

  it('loads a state dict and reports missing, unexpected and misshapen keys by name', () => {
    const a = mlp();
    const b = mlp();
    b.loadStateDict(a.stateDict());
    expect(b.at(0).stateDict().get('weight')!.tolist()).toEqual(a.at(0).stateDict().get('weight')!.tolist());
    const sd = new Map(a.stateDict());
    sd.delete('3.bias');
    sd.set('9.weight', hg.zeros([1]));
    sd.set('0.weight', hg.zeros([8, 5]));
    expect(() => b.loadStateDict(sd)).toThrow(
      'Error(s) in loading state_dict for Sequential:\n\tUnexpected key(s) in state_dict: "9.weight".\n\tMissing key(s) in state_dict: "3.bias".\n\tsize mismatch for 0.weight: copying a param with shape [8, 5] from checkpoint, the shape in current model is [8, 4].',
    );
    sd.set('0.weight', hg.zeros([8, 4]));
    expect(b.loadStateDict(sd, { strict: false })).toEqual({
      missingKeys: ['3.bias'],
      unexpectedKeys: ['9.weight'],
    });
  });

  it('switches train/eval for the whole tree and zeroes gradients', () => {
    const m = mlp();
    m.eval();
    expect([...m.modules()].every((x) => !x.training)).toBe(true);
    m.train();
    (m.call(hg.randn([5, 4])) as hg.Tensor).sum().backward();
    expect(m.parameters().every((p) => p.grad !== null)).toBe(true);
    m.zeroGrad(false);
    expect(m.parameters().every((p) => p.grad!.abs().sum().item() === 0)).toBe(true);
    m.zeroGrad();
    expect(m.parameters().every((p) => p.grad === null)).toBe(true);
  });

  it('prints the module tree like PyTorch', () => {
    expect(String(mlp())).toBe(
      'Sequential(\n  (0): Linear(in_features=4, out_features=8, bias=True)\n  (1): ReLU()\n  (2): BatchNorm1d(8, eps=0.00001, momentum=0.1, affine=True, track_running_stats=True)\n  (3): Linear(in_features=8, out_features=2, bias=True)\n)',
    );
  });

  it('moves to float64 and keeps training', () => {
    const m = new nn.Linear(3, 2).to('float64');
    expect(m.weight.dtype).toBe('float64');
    expect(m.weight.requiresGrad).toBe(true);
    m.forward(hg.randn([4, 3], { dtype: 'float64' }))
      .sum()
      .backward();
    expect(m.weight.grad!.dtype).toBe('float64');
  });

  it('gives clear errors for wrong input shapes', () => {
    expect(() => new nn.Linear(4, 2).forward(hg.zeros([3, 5]))).toThrow(
      'linear: input of shape [3, 5] has 5 features in its last dim, but the weight [2, 4] expects 4',
    );
    expect(() => new nn.Conv2d(3, 4, 3).forward(hg.zeros([1, 2, 8, 8]))).toThrow(
      'conv2d: input [1, 2, 8, 8] has 2 channels, but the weight [4, 3, 3, 3] with groups=1 expects 3',
    );
    expect(() => new nn.Conv2d(1, 1, 5).forward(hg.zeros([1, 1, 3, 3]))).toThrow('conv2d: the kernel 5x5');
    expect(() => hg.F.crossEntropy(hg.zeros([2, 3]), hg.tensor([0, 3]))).toThrow(
      'nllLoss: target 3 is out of bounds (3 classes)',
    );
    expect(() => hg.F.mseLoss(hg.zeros([2]), hg.zeros([3]))).toThrow(
      'mseLoss: target size [3] must be the same as input size [2]',
    );
    expect(() => new nn.Embedding(5, 2).forward(hg.tensor([7]))).toThrow(
      'embedding: index 7 is out of range for an embedding with 5 rows',
    );
  });

  it('dropout zeroes about p of the values in training and nothing in eval', () => {
    hg.manualSeed(0);
    const d = new nn.Dropout(0.25);
    const y = d.forward(hg.ones([10000]));
    const zeros = y.eq(0).sum().item();
    expect(zeros).toBeGreaterThan(2300);
    expect(zeros).toBeLessThan(2700);
    expect(y.max().item()).toBeCloseTo(1 / 0.75, 6);
    d.eval();
    expect(d.forward(hg.ones([5])).tolist()).toEqual([1, 1, 1, 1, 1]);
  });
});
