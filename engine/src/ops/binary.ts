// Differentiable elementwise binary primitives with broadcasting. Each backward returns
// gradients in the output's shape; the autograd engine reduces them to each input's shape.
import type { BinaryOp, View } from '../backend/types.ts';
import { isFloating } from '../dtype.ts';
import { broadcastShapes, shapesEqual } from '../shape.ts';
import { Tensor } from '../tensor.ts';
import { apply, defineOp, type OpDef } from '../autograd/function.ts';
import {
  broadcastView,
  fromBuffer,
  fromBufferLike,
  kernelsOf,
  scalarTensor,
  type TensorLike,
} from './make.ts';
import { asTensors, promotedDtype } from './promote.ts';
import { eq, ge, gt, logicalAnd, lt } from './compare.ts';
import { log, neg } from './unary.ts';
import { where } from './where.ts';

type Arith = 'add' | 'sub' | 'mul' | 'div' | 'pow' | 'maximum' | 'minimum' | 'atan2';

/** 'operands' saves a only if b needs a gradient and b only if a does (mul's rule). */
type Saves = 'nothing' | 'inputs' | 'operands' | 'divisor';

function binaryDef(op: Arith, name: string, saves: Saves, backward: OpDef['backward']): OpDef {
  return defineOp({
    name,
    forward([a, b], _attrs, ctx) {
      // Equal shapes and a 0-d right operand (x.mul(2)), the common cases, need no broadcast plan.
      const same = shapesEqual(a!.shape, b!.shape);
      const scalarB = !same && b!.ndim === 0;
      const shape = same || scalarB ? a!.shape : broadcastShapes(op, a!.shape, b!.shape);
      const buffer = kernelsOf(a!).binary(
        op as BinaryOp,
        same || scalarB ? a!.view_() : broadcastView(a!, shape),
        same ? b!.view_() : scalarB ? scalarView(b!, shape) : broadcastView(b!, shape),
        a!.dtype,
      );
      const out =
        same || scalarB
          ? fromBufferLike(a!.storage.backend, buffer, a!, a!.dtype)
          : fromBuffer(a!.storage.backend, buffer, shape, a!.dtype);
      const [needA, needB] = ctx.needsInputGrad;
      if (saves === 'inputs') ctx.save(a!, b!);
      if (saves === 'operands') ctx.save(needB ? a! : null, needA ? b! : null);
      if (saves === 'divisor') ctx.save(needB ? a! : null, b!);
      return out;
    },
    backward,
  });
}

/** Stride-0 arrays by rank, shared (never mutated): a 0-d operand read at every position. */
const ZERO_STRIDES: number[][] = [];
function scalarView(t: Tensor, shape: readonly number[]): View {
  const strides = (ZERO_STRIDES[shape.length] ??= new Array<number>(shape.length).fill(0));
  return { buffer: t.storage.buffer, dtype: t.dtype, shape, strides, offset: t.offset };
}

/** PyTorch splits the gradient evenly between equal operands of maximum/minimum. */
function tieGrad(g: Tensor, a: Tensor, b: Tensor, keep: Tensor): Tensor {
  return where(eq(a, b), div(g, 2), where(keep, g, 0));
}

const defs: Record<Arith, OpDef> = {
  add: binaryDef('add', 'Add', 'nothing', (g) => [g, g]),
  sub: binaryDef('sub', 'Sub', 'nothing', (g) => [g, neg(g)]),
  mul: binaryDef('mul', 'Mul', 'operands', (g, { saved: [a, b], needsInputGrad }) => [
    needsInputGrad[0] ? mul(g, b!) : null,
    needsInputGrad[1] ? mul(g, a!) : null,
  ]),
  div: binaryDef('div', 'Div', 'divisor', (g, { saved: [a, b], needsInputGrad }) => [
    div(g, b!),
    needsInputGrad[1] ? neg(div(mul(g, a!), mul(b!, b!))) : null,
  ]),
  pow: binaryDef('pow', 'Pow', 'inputs', (g, { saved: [a, b], needsInputGrad }) => [
    // b·a^(b-1), defined as 0 where b = 0 (so that 0^0 has a finite derivative), as in PyTorch.
    needsInputGrad[0] ? where(eq(b!, 0), 0, mul(g, mul(b!, pow(a!, sub(b!, 1))))) : null,
    // d/db a^b = a^b·log(a); PyTorch defines it as 0 where a = 0 and b ≥ 0.
    needsInputGrad[1] ? mul(g, where(logicalAnd(eq(a!, 0), ge(b!, 0)), 0, mul(pow(a!, b!), log(a!)))) : null,
  ]),
  maximum: binaryDef('maximum', 'Maximum', 'inputs', (g, { saved: [a, b] }) => [
    tieGrad(g, a!, b!, gt(a!, b!)),
    tieGrad(g, a!, b!, lt(a!, b!)),
  ]),
  minimum: binaryDef('minimum', 'Minimum', 'inputs', (g, { saved: [a, b] }) => [
    tieGrad(g, a!, b!, lt(a!, b!)),
    tieGrad(g, a!, b!, gt(a!, b!)),
  ]),
  atan2: binaryDef('atan2', 'Atan2', 'inputs', (g, { saved: [a, b] }) => {
    const denom = add(mul(a!, a!), mul(b!, b!));
    return [mul(g, div(b!, denom)), mul(g, div(neg(a!), denom))];
  }),
};

function arith(op: Arith, a: TensorLike, b: TensorLike): Tensor {
  // A float tensor and a plain number keep the tensor's dtype; the number is wrapped once (x.mul(2)).
  if (typeof b === 'number' && a instanceof Tensor && isFloating(a.dtype))
    return apply(defs[op], [a, scalarTensor(b, a.dtype, a.storage.backend)], undefined);
  // Two tensors of one dtype (the common case) need no promotion.
  const sameDtype = a instanceof Tensor && b instanceof Tensor && a.dtype === b.dtype;
  let dtype = sameDtype ? a.dtype : promotedDtype(a, b);
  // True division and the transcendental ops compute in floating point, as in PyTorch.
  if ((op === 'div' || op === 'atan2') && !isFloating(dtype)) dtype = 'float32';
  if (dtype === 'bool' && op !== 'maximum' && op !== 'minimum') dtype = 'int32';
  if (sameDtype && a.dtype === dtype) return apply(defs[op], [a, b], undefined);

  const [x, y] = asTensors(dtype, a, b);
  return apply(defs[op], [x!, y!], undefined);
}

export const add = (a: TensorLike, b: TensorLike): Tensor => arith('add', a, b);
export const sub = (a: TensorLike, b: TensorLike): Tensor => arith('sub', a, b);
export const mul = (a: TensorLike, b: TensorLike): Tensor => arith('mul', a, b);
export const div = (a: TensorLike, b: TensorLike): Tensor => arith('div', a, b);
export const pow = (a: TensorLike, b: TensorLike): Tensor => arith('pow', a, b);
export const maximum = (a: TensorLike, b: TensorLike): Tensor => arith('maximum', a, b);
export const minimum = (a: TensorLike, b: TensorLike): Tensor => arith('minimum', a, b);
export const atan2 = (a: TensorLike, b: TensorLike): Tensor => arith('atan2', a, b);
