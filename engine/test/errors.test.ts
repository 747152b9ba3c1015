// Error messages name the op and the offending shapes, dims, indices or dtypes.
import { describe, expect, it } from 'vitest';
import * as hg from '../src/index.ts';

const x34 = () => hg.zeros([3, 4]);

describe('error messages', () => {
  it('broadcasting failures name the op and both shapes', () => {
    expect(() => hg.add(hg.zeros([3, 4]), hg.zeros([3]))).toThrow(
      'add: shapes [3, 4] and [3] cannot be broadcast together (dim -1: 4 vs 3)',
    );
    expect(() => hg.zeros([2, 3]).lt(hg.zeros([4, 3]))).toThrow(
      'lt: shapes [2, 3] and [4, 3] cannot be broadcast together',
    );
    expect(() => hg.where(hg.ones([2]).bool(), hg.zeros([3]), 0)).toThrow(
      'where: shapes [2] and [3] and [] cannot be broadcast',
    );
  });

  it('out-of-range dims name the op and the valid range', () => {
    expect(() => x34().sum(2)).toThrow(
      'sum: dimension out of range (expected to be in range of [-2, 1], but got 2)',
    );
    expect(() => x34().softmax(-3)).toThrow(
      'dimension out of range (expected to be in range of [-2, 1], but got -3)',
    );
    expect(() => x34().transpose(0, 5)).toThrow('transpose: dimension out of range');
    expect(() => x34().sum([1, 1])).toThrow('sum: dim 1 appears multiple times in the list of dims');
    expect(() => x34().permute(0)).toThrow("permute: number of dims don't match");
  });

  it('out-of-range indices name the index, dim and size', () => {
    expect(() => x34().index(3)).toThrow('index: index 3 is out of bounds for dimension 0 with size 3');
    expect(() => x34().index(0, -5)).toThrow('index: index -5 is out of bounds for dimension 0 with size 4');
    expect(() => x34().index(hg.tensor([0, 7]))).toThrow(
      'index: index 7 is out of bounds for dimension 0 with size 3',
    );
    expect(() => x34().gather(1, hg.tensor([[4]]))).toThrow(
      'gather: index 4 is out of bounds for dimension 1 with size 4',
    );
    expect(() => x34().index(0, 0, 0)).toThrow('index: too many indices for tensor of dimension 2');
    expect(() => x34().index(hg.ones([2]).bool())).toThrow(
      'index: the shape of the mask [2] at index 0 does not match the shape of the indexed tensor [3]',
    );
    expect(() => x34().index('...', '...')).toThrow('an index can only have a single ellipsis');
    expect(() => x34().index('::-1')).toThrow('slice step must be greater than zero (got -1)');
    expect(() => x34().index(hg.tensor([0.5]))).toThrow(
      'tensors used as indices must be int64, int32, bool or uint8 tensors (got float32)',
    );
  });

  it('shape errors in view/reshape/expand/cat/matmul', () => {
    expect(() => x34().view(5, 2)).toThrow('view: shape [5, 2] is invalid for input of size 12');
    expect(() => x34().t().view(12)).toThrow(
      "view: size [12] is not compatible with input tensor's size and stride",
    );
    expect(() => x34().reshape(-1, -1)).toThrow('reshape: only one dimension can be inferred');
    expect(() => hg.zeros([3, 2]).expand(3, 4)).toThrow(
      'expand: the expanded size of the tensor (4) must match the existing size (2) at non-singleton dimension 1',
    );
    expect(() => hg.cat([hg.zeros([2, 3]), hg.zeros([2, 4])])).toThrow(
      'cat: sizes of tensors must match except in dimension 0: got [2, 3] and [2, 4]',
    );
    expect(() => hg.zeros([2, 3]).matmul(hg.zeros([4, 5]))).toThrow(
      'matmul: shapes [2, 3] and [4, 5] cannot be multiplied (2x3 and 4x5)',
    );
    expect(() => hg.zeros([]).matmul(hg.zeros([3]))).toThrow('matmul: both arguments need to be at least 1D');
    expect(() => hg.zeros([3]).dot(hg.zeros([4]))).toThrow('dot: inconsistent tensor size');
    expect(() => hg.stack([hg.zeros([2]), hg.zeros([3])])).toThrow(
      'stack: expects each tensor to be equal size',
    );
  });

  it('dtype errors', () => {
    expect(() => hg.tensor([1, 2]).mean()).toThrow('mean(): could not infer output dtype');
    expect(() => hg.zeros([2], { dtype: 'int32', requiresGrad: true })).toThrow(
      'Only Tensors of floating point dtype can require gradients (got int32)',
    );
    expect(() => hg.tensor([1, 2]).add_(0.5)).toThrow(
      "add_: result type float32 can't be cast to the desired output type int64",
    );
  });

  it('bad input data', () => {
    expect(() => hg.tensor([[1, 2], [3]])).toThrow('tensor: expected sequence of length 2 at dim 1 (got 1)');
    expect(() => hg.zeros([2, -1])).toThrow('zeros: sizes must be non-negative integers, got [[2,-1]]');
    expect(() => hg.zeros([2]).item()).toThrow(
      'item(): a Tensor with 2 elements cannot be converted to a number',
    );
    expect(() => hg.arange(0, 5, 0)).toThrow('arange: step must be nonzero');
    expect(() => hg.randint(5, 5, [2])).toThrow("randint: expects 'from' < 'to'");
    expect(() => hg.zeros([2]).to('webgpu')).toThrow("device 'webgpu' is not available");
  });
});
