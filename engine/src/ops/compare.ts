// Non-differentiable elementwise ops: comparisons and logical ops (bool results), and the
// isnan/isinf/isfinite/logicalNot tests.
import type { BinaryOp, UnaryOp } from '../backend/types.ts';
import { broadcastShapes } from '../shape.ts';
import type { DType } from '../dtype.ts';
import type { Tensor } from '../tensor.ts';
import { broadcastView, fromBuffer, kernelsOf, type TensorLike } from './make.ts';
import { asTensors, promotedDtype } from './promote.ts';

function rawBinary(op: BinaryOp, a: TensorLike, b: TensorLike, outDtype?: DType): Tensor {
  const dtype = promotedDtype(a, b);
  const [x, y] = asTensors(dtype, a, b) as [Tensor, Tensor];
  const shape = broadcastShapes(op, x.shape, y.shape);
  const out = outDtype ?? dtype;
  const buffer = kernelsOf(x).binary(op, broadcastView(x, shape), broadcastView(y, shape), out);
  return fromBuffer(x.storage.backend, buffer, shape, out);
}

export const eq = (a: TensorLike, b: TensorLike): Tensor => rawBinary('eq', a, b, 'bool');
export const ne = (a: TensorLike, b: TensorLike): Tensor => rawBinary('ne', a, b, 'bool');
export const lt = (a: TensorLike, b: TensorLike): Tensor => rawBinary('lt', a, b, 'bool');
export const le = (a: TensorLike, b: TensorLike): Tensor => rawBinary('le', a, b, 'bool');
export const gt = (a: TensorLike, b: TensorLike): Tensor => rawBinary('gt', a, b, 'bool');
export const ge = (a: TensorLike, b: TensorLike): Tensor => rawBinary('ge', a, b, 'bool');
export const logicalAnd = (a: TensorLike, b: TensorLike): Tensor => rawBinary('logicalAnd', a, b, 'bool');
export const logicalOr = (a: TensorLike, b: TensorLike): Tensor => rawBinary('logicalOr', a, b, 'bool');
export const logicalXor = (a: TensorLike, b: TensorLike): Tensor => rawBinary('logicalXor', a, b, 'bool');

function rawUnary(op: UnaryOp, x: Tensor): Tensor {
  return fromBuffer(x.storage.backend, kernelsOf(x).unary(op, x.view_(), 'bool'), x.shape, 'bool');
}

export const isnan = (x: Tensor): Tensor => rawUnary('isnan', x);
export const isinf = (x: Tensor): Tensor => rawUnary('isinf', x);
export const isfinite = (x: Tensor): Tensor => rawUnary('isfinite', x);
export const logicalNot = (x: Tensor): Tensor => rawUnary('logicalNot', x);
