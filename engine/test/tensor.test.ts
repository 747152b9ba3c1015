// Tensor basics: metadata, views and storage sharing, creation functions, type promotion and
// PyTorch-style printing.
import { describe, expect, it } from 'vitest';
import * as hg from '../src/index.ts';

describe('tensor metadata and views', () => {
  it('reports shape, strides, dtype and contiguity; views share storage', () => {
    const x = hg.arange(24).reshape(2, 3, 4);
    expect([x.shape, x.stride(), x.ndim, x.dim(), x.numel(), x.size(-1)]).toEqual([
      [2, 3, 4],
      [12, 4, 1],
      3,
      3,
      24,
      4,
    ]);
    const t = x.transpose(0, 2);
    expect(t.stride()).toEqual([1, 4, 12]);
    expect(t.isContiguous()).toBe(false);
    expect(t.contiguous().isContiguous()).toBe(true);
    expect(t.storage).toBe(x.storage);
    expect(t.base).toBe(x.base ?? x);
    expect(x.index(1, hg.sl(null, null, 2)).tolist()).toEqual([
      [12, 13, 14, 15],
      [20, 21, 22, 23],
    ]);
    expect(x.clone().storage).not.toBe(x.storage);
    expect(hg.tensor(5.5).item()).toBe(5.5);
    expect(hg.tensor([true, false]).tolist()).toEqual([true, false]);
  });

  it('keeps views for split, chunk, narrow, squeeze and expand, and copies for flip', () => {
    const x = hg.arange(6).float();
    for (const v of [
      ...x.split(4),
      ...x.chunk(2),
      x.narrow(0, 1, 2),
      x.unsqueeze(0).squeeze(),
      x.expand(2, 6),
    ])
      expect(v.storage).toBe(x.storage);
    expect(x.flip(0).storage).not.toBe(x.storage);
  });
});

describe('creation', () => {
  it('fills, ranges and identities like PyTorch', () => {
    expect(hg.full([2], 3).dtype).toBe('int64');
    expect(hg.full([2], 0.5).tolist()).toEqual([0.5, 0.5]);
    expect(hg.ones([2, 2], { dtype: 'float64' }).dtype).toBe('float64');
    expect(hg.arange(1, 2, 0.25).tolist()).toEqual([1, 1.25, 1.5, 1.75]);
    expect(hg.arange(5).dtype).toBe('int64');
    expect(Array.from(hg.linspace(0, 1, 5).dataSync())).toEqual([0, 0.25, 0.5, 0.75, 1]);
    expect(hg.eye(2, 3).tolist()).toEqual([
      [1, 0, 0],
      [0, 1, 0],
    ]);
    expect(hg.zerosLike(hg.ones([2], { dtype: 'float64' })).dtype).toBe('float64');
    expect(hg.onesLike(hg.zeros([3])).tolist()).toEqual([1, 1, 1]);
    expect(hg.fullLike(hg.zeros([2]), 4).tolist()).toEqual([4, 4]);
    expect(hg.tensor(new Float64Array([1, 2, 3, 4]), { shape: [2, 2] }).tolist()).toEqual([
      [1, 2],
      [3, 4],
    ]);
    expect(hg.empty([0, 3]).shape).toEqual([0, 3]);
  });
});

describe('type promotion', () => {
  it('follows result_type: categories, then dimensioned tensors over 0-d tensors over numbers', () => {
    const f32 = hg.zeros([2]);
    const f64 = hg.zeros([2], { dtype: 'float64' });
    const i64 = hg.tensor([1, 2]);
    const i32 = hg.tensor([1, 2], { dtype: 'int32' });
    const b = hg.tensor([true, false]);
    expect(i64.dtype).toBe('int64');
    expect(i64.add(i32).dtype).toBe('int64');
    expect(f32.add(f64).dtype).toBe('float64');
    expect(f32.add(hg.tensor(1, { dtype: 'float64' })).dtype).toBe('float32');
    expect(i32.add(1.5).dtype).toBe('float32');
    expect(i32.add(2).dtype).toBe('int32');
    expect(i32.div(2).dtype).toBe('float32');
    // PyTorch: bool + bool is a logical or (bool); bool + 1 is int64.
    expect(b.add(b).dtype).toBe('bool');
    expect(b.add(b).tolist()).toEqual([true, false]);
    expect(b.mul(b).tolist()).toEqual([true, false]);
    expect(() => b.sub(b)).toThrow('sub: subtraction with two bool tensors is not supported');
    expect(b.add(1).dtype).toBe('int64');
    expect(i32.mul(f64).dtype).toBe('float64');
    expect(hg.cat([i32, f32]).dtype).toBe('float32');
    expect(i32.float().dtype).toBe('float32');
    expect(f32.to({ dtype: 'float64' }).double().int().bool().dtype).toBe('bool');
  });
});

describe('printing', () => {
  it('formats like PyTorch', () => {
    expect(String(hg.tensor([1, 2, 3], { dtype: 'float32' }))).toBe('tensor([1., 2., 3.])');
    expect(String(hg.tensor([0.5, 1.25]))).toBe('tensor([0.5000, 1.2500])');
    expect(String(hg.tensor([1e-5, 1, 100]))).toBe('tensor([1.0000e-05, 1.0000e+00, 1.0000e+02])');
    expect(
      String(
        hg.tensor([
          [1, 2],
          [3, 4],
        ]),
      ),
    ).toBe('tensor([[1, 2],\n        [3, 4]])');
    expect(String(hg.tensor([true, false]))).toBe('tensor([ True, False])');
    expect(String(hg.tensor(3, { dtype: 'float64' }))).toBe('tensor(3., dtype=torch.float64)');
    expect(String(hg.zeros([2], { requiresGrad: true }))).toBe('tensor([0., 0.], requires_grad=True)');
    expect(String(hg.zeros([2], { requiresGrad: true }).mul(2))).toBe(
      'tensor([0., 0.], grad_fn=<MulBackward0>)',
    );
    expect(String(hg.zeros([0, 3]))).toBe('tensor([], size=(0, 3))');
    expect(String(hg.tensor([NaN, Infinity, -1.5]))).toBe('tensor([    nan,     inf, -1.5000])');
    expect(String(hg.arange(8).reshape(2, 2, 2))).toBe(
      'tensor([[[0, 1],\n         [2, 3]],\n\n        [[4, 5],\n         [6, 7]]])',
    );
    expect(String(hg.arange(2000))).toBe('tensor([   0,    1,    2,  ..., 1997, 1998, 1999])');
  });
});

describe('printing large matrices', () => {
  it('summarizes rows and columns and wraps at 80 characters like PyTorch', () => {
    expect(String(hg.arange(2000).float().reshape(40, 50))).toBe(
      'tensor([[0.0000e+00, 1.0000e+00, 2.0000e+00,  ..., 4.7000e+01, 4.8000e+01,\n         4.9000e+01],\n        [5.0000e+01, 5.1000e+01, 5.2000e+01,  ..., 9.7000e+01, 9.8000e+01,\n         9.9000e+01],\n        [1.0000e+02, 1.0100e+02, 1.0200e+02,  ..., 1.4700e+02, 1.4800e+02,\n         1.4900e+02],\n        ...,\n        [1.8500e+03, 1.8510e+03, 1.8520e+03,  ..., 1.8970e+03, 1.8980e+03,\n         1.8990e+03],\n        [1.9000e+03, 1.9010e+03, 1.9020e+03,  ..., 1.9470e+03, 1.9480e+03,\n         1.9490e+03],\n        [1.9500e+03, 1.9510e+03, 1.9520e+03,  ..., 1.9970e+03, 1.9980e+03,\n         1.9990e+03]])',
    );
  });
});
