// In-place ops: values, views seeing their base's changes, version counters, and PyTorch's
// safety errors; gradients through in-place changes of tensors and of views.
import { describe, expect, it } from 'vitest';
import * as hg from '../src/index.ts';

const f64 = (values: number[], requiresGrad = false) => hg.tensor(values, { dtype: 'float64', requiresGrad });

describe('in-place ops', () => {
  it('change values in place, bump the version, and return the tensor', () => {
    const x = hg.tensor([1, 2, 3], { dtype: 'float32' });
    expect(x.add_(1)).toBe(x);
    x.mul_(2)
      .sub_(hg.tensor([1, 1, 1], { dtype: 'float32' }), { alpha: 2 })
      .div_(2);
    expect(x.tolist()).toEqual([1, 2, 3]);
    expect(x.version).toBe(4);
    x.clamp_(1.5, 2.5);
    expect(x.tolist()).toEqual([1.5, 2, 2.5]);
    x.zero_();
    expect(x.tolist()).toEqual([0, 0, 0]);
    x.fill_(7).relu_();
    expect(x.tolist()).toEqual([7, 7, 7]);
  });

  it('are seen through views, and writes through views reach the base', () => {
    const base = hg.arange(6).float().reshape(2, 3);
    const row = base.index(1);
    const col = base.index(hg.sl(), 0);
    row.mul_(10);
    expect(base.tolist()).toEqual([
      [0, 1, 2],
      [30, 40, 50],
    ]);
    col.fill_(-1);
    expect(base.tolist()).toEqual([
      [-1, 1, 2],
      [-1, 40, 50],
    ]);
    expect(row.tolist()).toEqual([-1, 40, 50]);
    expect(base.version).toBe(row.version);
  });

  it('indexPut_ writes with advanced and boolean indices, and accumulates when asked', () => {
    const x = hg.zeros([4]);
    x.indexPut_([hg.tensor([0, 2, 2])], hg.tensor([1, 2, 3], { dtype: 'float32' }), true);
    expect(x.tolist()).toEqual([1, 0, 5, 0]);
    x.indexPut_([x.gt(0)], -1);
    expect(x.tolist()).toEqual([-1, 0, -1, 0]);
    const m = hg.zeros([2, 3]);
    m.indexPut_([hg.sl(), hg.tensor([2])], 9);
    expect(m.tolist()).toEqual([
      [0, 0, 9],
      [0, 0, 9],
    ]);
  });

  it('refuse a leaf that requires grad, and views of it', () => {
    const w = f64([1, 2], true);
    expect(() => w.add_(1)).toThrow(
      'add_: a leaf Variable that requires grad is being used in an in-place operation.',
    );
    expect(() => w.index(0).mul_(2)).toThrow(
      'mul_: a view of a leaf Variable that requires grad is being used in an in-place operation.',
    );
    hg.noGrad(() => w.sub_(1));
    expect(w.tolist()).toEqual([0, 1]);
  });

  it('refuse a result that cannot be cast back, and a shape that does not broadcast', () => {
    const i = hg.tensor([1, 2]);
    expect(() => i.mul_(1.5)).toThrow(
      "mul_: result type float32 can't be cast to the desired output type int64",
    );
    const x = hg.zeros([2]);
    expect(() => x.add_(hg.zeros([3, 2]))).toThrow(
      "add_: output with shape [2] doesn't match the broadcast shape [3, 2]",
    );
  });

  it('make backward fail when a saved tensor was modified, naming the op and versions', () => {
    const x = f64([1, 2], true);
    const h = x.mul(2);
    const z = h.mul(3);
    h.add_(1); // mul by a constant saves nothing of h, so this is allowed
    z.sum().backward();
    expect(x.grad!.tolist()).toEqual([6, 6]);
    const s = x.sigmoid();
    const out = s.sum();
    s.mul_(2);
    expect(() => out.backward()).toThrow(
      'SigmoidBackward0: one of the variables needed for gradient computation has been modified by an inplace operation: saved tensor 0 of shape [2] is at version 1; expected version 0 instead.',
    );
  });

  it('propagate gradients through in-place changes', () => {
    const x = f64([1, 2, 3], true);
    const y = x.mul(2);
    y.mul_(3).add_(1).pow_(2);
    y.sum().backward();
    expect(x.grad!.tolist()).toEqual([84, 156, 228]);
    // As in PyTorch, y.mul_(y) saves y for its own backward and then overwrites it.
    const w = x.mul(2);
    w.mul_(w);
    expect(() => w.sum().backward()).toThrow(
      /MulBackward0: one of the variables needed for gradient computation/,
    );
  });

  it('propagate gradients through in-place changes of a view (CopySlices)', () => {
    const x = f64([1, 2, 3, 4], true);
    const v = f64([10, 20], true);
    const y = x.mul(1);
    y.index(hg.sl(1, 3)).mul_(v);
    expect(y.tolist()).toEqual([1, 20, 60, 4]);
    y.mul(hg.tensor([1, 2, 3, 4], { dtype: 'float64' }))
      .sum()
      .backward();
    expect(x.grad!.tolist()).toEqual([1, 20, 60, 4]);
    expect(v.grad!.tolist()).toEqual([4, 9]);
  });

  it('give zero gradient to what a fill_ overwrote', () => {
    const x = f64([1, 2], true);
    const y = x.mul(3);
    y.fill_(5);
    expect(y.requiresGrad).toBe(true);
    y.sum().backward();
    expect(x.grad!.tolist()).toEqual([0, 0]);
  });

  it('copy_ casts and broadcasts the source', () => {
    const x = hg.zeros([2, 2], { dtype: 'float64' });
    x.copy_(hg.tensor([1, 2]));
    expect(x.tolist()).toEqual([
      [1, 2],
      [1, 2],
    ]);
    expect(x.dtype).toBe('float64');
  });
});
