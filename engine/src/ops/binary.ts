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
import { eq, gt, lt, ne } from './compare.ts';
import { where } from './where.ts';

export type Arith = 'add' | 'sub' | 'mul' | 'div' | 'pow' | 'maximum' | 'minimum' | 'atan2';
/** Ops whose defs live in their own modules (pow.ts, modulo.ts) but share this promotion. */
export type ArithLike = Arith | 'remainder' | 'fmod' | 'hypot' | 'copysign' | 'truncDivide' | 'floorDivide';
/** Ops that compute in floating point even for integer operands, as in PyTorch. */
const FLOAT_RESULT: ReadonlySet<ArithLike> = new Set(['div', 'atan2', 'hypot', 'copysign']);

/** 'operands' saves a only if b needs a gradient and b only if a does (mul's rule). */
export type Saves = 'nothing' | 'inputs' | 'operands' | 'divisor';

export function binaryDef(op: ArithLike, name: string, saves: Saves, backward: OpDef['backward']): OpDef {
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

const defs: Record<Exclude<Arith, 'pow'>, OpDef> & { pow?: OpDef } = {
  add: binaryDef('add', 'Add', 'nothing', (g) => [g, g]),
  // Negation as a multiplication by −1 (exact), so that this module needs no unary ops.
  sub: binaryDef('sub', 'Sub', 'nothing', (g) => [g, mul(g, -1)]),
  mul: binaryDef('mul', 'Mul', 'operands', (g, { saved: [a, b], needsInputGrad }) => [
    needsInputGrad[0] ? mul(g, b!) : null,
    needsInputGrad[1] ? mul(g, a!) : null,
  ]),
  div: binaryDef('div', 'Div', 'divisor', (g, { saved: [a, b], needsInputGrad }) => [
    div(g, b!),
    needsInputGrad[1] ? mul(div(mul(g, a!), mul(b!, b!)), -1) : null,
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
    return [mul(g, div(b!, denom)), mul(g, div(mul(a!, -1), denom))];
  }),
};

/** Applies an arithmetic op with PyTorch's type promotion (pow's def lives in pow.ts). */
export function arith(
  op: ArithLike,
  a: TensorLike,
  b: TensorLike,
  def: OpDef = defs[op as Exclude<Arith, 'pow'>],
): Tensor {
  // A float tensor and a plain number keep the tensor's dtype; the number is wrapped once (x.mul(2)).
  if (typeof b === 'number' && a instanceof Tensor && isFloating(a.dtype))
    return apply(def, [a, scalarTensor(b, a.dtype, a.storage.backend)], undefined);
  // Two tensors of one dtype (the common case) need no promotion.
  const sameDtype = a instanceof Tensor && b instanceof Tensor && a.dtype === b.dtype;
  let dtype = sameDtype ? a.dtype : promotedDtype(a, b);
  // True division and the transcendental ops compute in floating point, as in PyTorch.
  if (FLOAT_RESULT.has(op) && !isFloating(dtype)) dtype = 'float32';
  if (dtype === 'bool' && op !== 'maximum' && op !== 'minimum') {
    // PyTorch: bool + bool is a logical or, bool * bool an and; bool − bool is refused.
    if (op === 'sub')
      throw new Error(
        'sub: subtraction with two bool tensors is not supported; use logicalXor() (or bitwiseXor()) instead',
      );
    const [x, y] = asTensors('int64', a, b);
    const out = apply(def, [x!, y!], undefined);
    return op === 'add' || op === 'mul' ? ne(out, 0) : out;
  }
  if (sameDtype && a.dtype === dtype) return apply(def, [a, b], undefined);

  const [x, y] = asTensors(dtype, a, b);
  return apply(def, [x!, y!], undefined);
}

export const add = (a: TensorLike, b: TensorLike): Tensor => arith('add', a, b);
export const sub = (a: TensorLike, b: TensorLike): Tensor => arith('sub', a, b);
export const mul = (a: TensorLike, b: TensorLike): Tensor => arith('mul', a, b);
export const div = (a: TensorLike, b: TensorLike): Tensor => arith('div', a, b);
export const maximum = (a: TensorLike, b: TensorLike): Tensor => arith('maximum', a, b);
export const minimum = (a: TensorLike, b: TensorLike): Tensor => arith('minimum', a, b);
export const atan2 = (a: TensorLike, b: TensorLike): Tensor => arith('atan2', a, b);
