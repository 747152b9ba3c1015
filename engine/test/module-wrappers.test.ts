// The nn module wrappers (loss modules, containers, activation modules) against their
// functional forms and PyTorch's printed names.
import { describe, expect, it } from 'vitest';
import * as hg from '../src/index.ts';
import { F, nn } from '../src/index.ts';

describe('module wrappers', () => {
  const a = hg.randn([4, 3]);
  const b = hg.randn([4, 3]);
  const labels = hg.tensor([0, 2, 1, 1]);

  it('loss modules equal their functional forms', () => {
    const same = (m: hg.Tensor, f: hg.Tensor) => expect(m.item()).toBe(f.item());
    same(new nn.MSELoss().forward(a, b), F.mseLoss(a, b));
    same(new nn.L1Loss('sum').forward(a, b), F.l1Loss(a, b, 'sum'));
    same(new nn.SmoothL1Loss({ beta: 0.5 }).forward(a, b), F.smoothL1Loss(a, b, 'mean', 0.5));
    same(new nn.HuberLoss({ delta: 0.3 }).forward(a, b), F.huberLoss(a, b, 'mean', 0.3));
    same(
      new nn.CrossEntropyLoss({ labelSmoothing: 0.1 }).forward(a, labels),
      F.crossEntropy(a, labels, { labelSmoothing: 0.1 }),
    );
    same(new nn.NLLLoss().forward(a.logSoftmax(1), labels), F.nllLoss(a.logSoftmax(1), labels));
    same(new nn.BCELoss().forward(a.sigmoid(), b.sigmoid()), F.binaryCrossEntropy(a.sigmoid(), b.sigmoid()));
    same(new nn.BCEWithLogitsLoss().forward(a, b.sigmoid()), F.binaryCrossEntropyWithLogits(a, b.sigmoid()));
    same(
      new nn.KLDivLoss({ reduction: 'batchmean' }).forward(a.logSoftmax(1), b.softmax(1)),
      F.klDiv(a.logSoftmax(1), b.softmax(1), { reduction: 'batchmean' }),
    );
  });

  it('activation modules apply their functions and print like PyTorch', () => {
    const x = hg.randn([2, 5]);
    const cases: [hg.nn.Module, hg.Tensor, string][] = [
      [new nn.ReLU(), x.relu(), 'ReLU()'],
      [new nn.Tanh(), x.tanh(), 'Tanh()'],
      [new nn.Sigmoid(), x.sigmoid(), 'Sigmoid()'],
      [new nn.SiLU(), x.silu(), 'SiLU()'],
      [new nn.Identity(), x, 'Identity()'],
      [new nn.LeakyReLU(0.2), x.leakyRelu(0.2), 'LeakyReLU(negative_slope=0.2)'],
      [new nn.GELU('tanh'), x.gelu('tanh'), "GELU(approximate='tanh')"],
      [new nn.Softmax(1), x.softmax(1), 'Softmax(dim=1)'],
      [new nn.LogSoftmax(1), x.logSoftmax(1), 'LogSoftmax(dim=1)'],
      [new nn.Flatten(0), x.flatten(), 'Flatten(start_dim=0, end_dim=-1)'],
    ];
    for (const [m, expected, printed] of cases) {
      expect((m.call(x) as hg.Tensor).tolist()).toEqual(expected.tolist());
      expect(String(m)).toBe(printed);
    }
    expect(() => new nn.Dropout(2)).toThrow('Dropout: probability has to be between 0 and 1, but got 2');
  });

  it('ModuleList and ModuleDict register children under PyTorch keys', () => {
    const list = new nn.ModuleList([new nn.Linear(2, 2)]).append(new nn.Linear(2, 1));
    expect([...list.stateDict().keys()]).toEqual(['0.weight', '0.bias', '1.weight', '1.bias']);
    expect(list.length).toBe(2);
    expect(list.at(-1)).toBeInstanceOf(nn.Linear);
    expect([...list].length).toBe(2);
    expect(() => list.at(5)).toThrow('ModuleList: index 5 is out of range (length 2)');
    expect(() => list.forward()).toThrow('ModuleList has no forward()');
    const dict = new nn.ModuleDict({ encoder: new nn.Linear(3, 2) }).set('head', new nn.Linear(2, 1));
    expect(dict.keys()).toEqual(['encoder', 'head']);
    expect([...dict.stateDict().keys()]).toEqual([
      'encoder.weight',
      'encoder.bias',
      'head.weight',
      'head.bias',
    ]);
    expect(() => dict.get('decoder')).toThrow("ModuleDict: no module named 'decoder'");
    const seq = new nn.Sequential(new nn.Linear(2, 2));
    expect(seq.length).toBe(1);
    expect([...seq].length).toBe(1);
    expect(() => seq.at(3)).toThrow('Sequential: index 3 is out of range (length 1)');
  });
});
