// A PyTorch user's habits either do what PyTorch does or fail with a message that names the
// function, the option and the nearest valid name (issue: "a PyTorch user's habits work or fail
// loudly"). Each case is one habit, written as a PyTorch user would write it.
import { describe, expect, it } from 'vitest';
import * as hg from '../src/index.ts';

const { nn, optim, F } = hg;
const params = () => new nn.Linear(2, 1).parameters();
// Options a PyTorch user would spell in snake_case: the types refuse them, the runtime must too.
const loose = <T>(v: Record<string, unknown>) => v as T;

describe('unknown options are refused with the nearest valid name', () => {
  it.each([
    [
      () => new optim.SGD(params(), loose({ lr: 0.1, weight_decay: 0.5 })),
      "SGD: unknown option 'weight_decay' (did you mean 'weightDecay'?)",
    ],
    [
      () => new optim.Adam(params(), loose({ lr: 0.1, weightdecay: 0.5 })),
      "Adam: unknown option 'weightdecay' (did you mean 'weightDecay'?)",
    ],
    [
      () => F.crossEntropy(hg.randn(3, 4), hg.tensor([0, 1, 2]), loose<never>({ ignore_index: 1 })),
      "crossEntropy: unknown option 'ignore_index' (did you mean 'ignoreIndex'?)",
    ],
    [
      () => new nn.Conv2d(1, 8, 3, loose({ paddding: 1 })),
      "Conv2d: unknown option 'paddding' (did you mean 'padding'?)",
    ],
    [
      () => hg.ones([2], loose<never>({ dtyp: 'float64' })),
      "ones: unknown option 'dtyp' (did you mean 'dtype'?)",
    ],
    [
      () => hg.tensor([1], loose({ requires_grad: true })),
      "tensor: unknown option 'requires_grad' (did you mean 'requiresGrad'?)",
    ],
    [() => hg.ones(2).to(loose({ dtyp: 'float64' })), "to: unknown option 'dtyp' (did you mean 'dtype'?)"],
    [
      () => new hg.data.DataLoader(new hg.data.TensorDataset(hg.ones(4, 1)), loose<never>({ batch_size: 2 })),
      "DataLoader: unknown option 'batch_size' (did you mean 'batchSize'?)",
    ],
    [
      () => new optim.StepLR(new optim.SGD(params(), { lr: 1 }), loose({ step_size: 2 })),
      "StepLR: unknown option 'step_size' (did you mean 'stepSize'?)",
    ],
  ])('%#', (call, message) => {
    expect(call).toThrow(message);
  });

  it('lists the valid options when nothing is near', () => {
    expect(() => new optim.SGD(params(), loose({ lr: 0.1, zzzzzzzz: 1 }))).toThrow(
      "SGD: unknown option 'zzzzzzzz'; valid options: lr, momentum, dampening, weightDecay, nesterov, maximize",
    );
  });
});

describe('wrong types, ranges and missing values name the option and the value', () => {
  it.each([
    [() => new optim.SGD(params(), { lr: -1 }), 'SGD: lr (invalid learning rate) must be ≥ 0, got -1'],
    [
      () => new nn.Conv2d(1, 8, 3, { stride: 0 }),
      'Conv2d: stride must be an integer ≥ 1 or 2 of them, got 0',
    ],
    [
      () => F.mseLoss(hg.ones(3), hg.zeros(3), loose({ reduction: 'total' })),
      "mseLoss: reduction must be one of 'mean', 'sum', 'none', got 'total'",
    ],
    [
      () => new hg.data.DataLoader(new hg.data.TensorDataset(hg.ones(4, 1)), 0),
      'DataLoader: batchSize must be a positive integer, got 0',
    ],
    [
      () => hg.ones(2).to('float' as 'float32'),
      "to: 'float' is neither a dtype (float32, float64, float16, bfloat16, int64, int32, uint8, bool) nor a device (cpu, webgpu); did you mean 'float32'?",
    ],
    [
      () => new optim.OneCycleLR(new optim.SGD(params(), { lr: 0.1 }), { maxLr: 0.5 }),
      'OneCycleLR: you must define either totalSteps OR (epochs AND stepsPerEpoch)',
    ],
    [
      () => F.crossEntropy(hg.randn(3, 4), hg.tensor([0, 1, 2]), 'sum' as unknown as null),
      "crossEntropy: weight (the third argument, as in PyTorch) must be a Tensor or null; for a reduction pass {reduction: 'sum'}, got 'sum'",
    ],
    [
      () => new (nn.Linear as unknown as new (n: number) => unknown)(2),
      "Linear: missing required argument 'out_features'",
    ],
    [
      () => new (nn.Conv2d as unknown as new (a: number, b: number) => unknown)(1, 8),
      "Conv2d: missing required argument 'kernel_size'",
    ],
    [
      () => new (nn.Linear as unknown as new (...a: unknown[]) => unknown)(2, 1, true, 'cpu', 'float32', 7),
      'Linear: takes at most 3 optional positional arguments (bias, device, dtype), got 4; pass the others in an options object',
    ],
  ])('%#', (call, message) => {
    expect(call).toThrow(message);
  });
});

describe("PyTorch's positional order and options objects mean the same", () => {
  it('Conv2d(1, 8, 3, 1, 1) ≡ Conv2d(1, 8, 3, {stride: 1, padding: 1})', () => {
    hg.manualSeed(0);
    const a = new nn.Conv2d(1, 8, 3, 1, 1);
    hg.manualSeed(0);
    const b = new nn.Conv2d(1, 8, 3, { stride: 1, padding: 1 });
    expect(a.padding).toEqual([1, 1]);
    const x = hg.randn(1, 1, 5, 5);
    expect(a.forward(x).shape).toEqual([1, 8, 5, 5]);
    expect(a.forward(x).tolist()).toEqual(b.forward(x).tolist());
    expect(new nn.Conv2d(1, 1, 3, 2).stride).toEqual([2, 2]);
  });

  it('Linear(2, 1, false) has no bias', () => {
    expect(new nn.Linear(2, 1, false).bias).toBeNull();
    expect(new nn.Linear(2, 1, { bias: false }).bias).toBeNull();
    expect([...new nn.Linear(2, 1, false).stateDict().keys()]).toEqual(['weight']);
  });

  it('LayerNorm(6, eps) and LayerNorm(6, {eps}) both set eps; the third positional is elementwise_affine', () => {
    expect(new nn.LayerNorm(6, 1e-3).eps).toBe(1e-3);
    expect(new nn.LayerNorm(6, { eps: 1e-3 }).eps).toBe(1e-3);
    expect(new nn.LayerNorm(6, 1e-3, false).weight).toBeNull();
    const y = new nn.LayerNorm(6, { eps: 1e-5 }).forward(hg.arange(6).float().reshape(1, 6));
    expect(Number.isNaN(y.sum().item())).toBe(false);
    expect(y.mean().item()).toBeCloseTo(0, 6);
  });

  it('BatchNorm1d(4, 1e-3) sets eps, as PyTorch', () => {
    expect(new nn.BatchNorm1d(4, 1e-3).eps).toBe(1e-3);
    expect(new nn.BatchNorm1d(4, 1e-5, 0.3).momentum).toBe(0.3);
  });

  it("MaxPool2d's fifth positional argument is return_indices and the sixth ceil_mode", () => {
    const x = hg.arange(16).float().reshape(1, 1, 4, 4);
    const [values, indices] = new nn.MaxPool2d(2, 2, 0, 1, true).forward(x) as unknown as [
      hg.Tensor,
      hg.Tensor,
    ];
    expect(values.tolist()).toEqual([
      [
        [
          [5, 7],
          [13, 15],
        ],
      ],
    ]);
    expect(indices.tolist()).toEqual([
      [
        [
          [5, 7],
          [13, 15],
        ],
      ],
    ]);
    expect(new nn.MaxPool2d(2, 2, 0, 1, false, true).forward(hg.randn(1, 1, 5, 5)).shape).toEqual([
      1, 1, 3, 3,
    ]);
  });

  it('every loss takes (input, target, {reduction}) and mseLoss sums', () => {
    expect(F.mseLoss(hg.ones(3), hg.zeros(3), { reduction: 'sum' }).item()).toBe(3);
    expect(F.l1Loss(hg.ones(3), hg.zeros(3), { reduction: 'sum' }).item()).toBe(3);
    const x = hg.tensor([
      [1, 2, 3],
      [3, 2, 1],
    ]);
    const t = hg.tensor([2, 0]);
    const each = F.crossEntropy(x, t, { reduction: 'none' });
    expect(F.crossEntropy(x, t, { reduction: 'sum' }).item()).toBeCloseTo(each.sum().item(), 6);
    expect(F.crossEntropy(x, t, null, { reduction: 'sum' }).item()).toBeCloseTo(each.sum().item(), 6);
    expect(F.crossEntropy(x, t, { ignoreIndex: 0 }).item()).toBeCloseTo(each.index(0).item(), 6);
  });

  it('StepLR(opt, {stepSize}) and StepLR(opt, stepSize, gamma) decay', () => {
    const opt = new optim.SGD(params(), { lr: 1 });
    const s = new optim.StepLR(opt, { stepSize: 2 });
    s.step();
    s.step();
    expect(opt.paramGroups[0]!.lr).toBeCloseTo(0.1, 12);
    const opt2 = new optim.SGD(params(), { lr: 1 });
    const s2 = new optim.lrScheduler.StepLR(opt2, 1, 0.5);
    s2.step();
    expect(opt2.paramGroups[0]!.lr).toBe(0.5);
  });

  it('OneCycleLR(opt, maxLr, totalSteps) and with epochs/stepsPerEpoch give the same curve', () => {
    const lrs = (make: (o: InstanceType<typeof optim.SGD>) => { step(): void }) => {
      const opt = new optim.SGD(params(), { lr: 0.1 });
      const s = make(opt);
      const out = [opt.paramGroups[0]!.lr];
      for (let i = 0; i < 9; i++) {
        s.step();
        out.push(opt.paramGroups[0]!.lr);
      }
      return out;
    };
    const a = lrs((o) => new optim.OneCycleLR(o, 0.5, 10));
    const b = lrs((o) => new optim.OneCycleLR(o, { maxLr: 0.5, epochs: 2, stepsPerEpoch: 5 }));
    expect(a[0]).toBeCloseTo(0.02, 12);
    expect(Math.max(...a)).toBeCloseTo(0.5, 12);
    expect(a.every(Number.isFinite)).toBe(true);
    expect(b).toEqual(a);
  });

  it('paramGroups[i].lr is readable and writable, and the optimizer uses it', () => {
    expect(() => new nn.Parameter(hg.tensor([1]))).toThrow(
      "Parameter: only Tensors of floating point dtype can require gradients (got int64); write tensor([1], {dtype: 'float32'})",
    );
    const w = new nn.Parameter(hg.tensor([1], { dtype: 'float32' }));
    const opt = new optim.SGD([w], { lr: 1 });
    opt.paramGroups[0]!.lr = 0.25;
    w.sum().backward();
    opt.step();
    expect(w.item()).toBe(0.75);
  });

  it('x.T, F.logsigmoid and optim.lrScheduler exist under the names PyTorch users type', () => {
    expect(hg.arange(6).reshape(2, 3).T.tolist()).toEqual([
      [0, 3],
      [1, 4],
      [2, 5],
    ]);
    expect(F.logsigmoid(hg.tensor([0])).item()).toBeCloseTo(-Math.log(2), 6);
    expect(optim.lrScheduler.StepLR).toBe(optim.StepLR);
  });

  it('scatter(…, {reduce}) accumulates or multiplies instead of ignoring the option', () => {
    const idx = hg.tensor([[0, 0, 1]]);
    const src = hg.tensor([[2, 3, 4]]);
    expect(hg.ones([1, 3]).scatter(1, idx, src, { reduce: 'add' }).tolist()).toEqual([[6, 5, 1]]);
    expect(hg.ones([1, 3]).scatter(1, idx, src, 'multiply').tolist()).toEqual([[6, 4, 1]]);
    expect(() => hg.ones([1, 3]).scatter(1, idx, src, loose({ reduce: 'mean' }))).toThrow(
      "scatter: reduce must be one of 'add', 'multiply', got 'mean'",
    );
  });
});
