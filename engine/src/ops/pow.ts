// pow: a^b with PyTorch's type promotion. Its backward needs log, so it lives apart from the
// other arithmetic ops (binary.ts needs no unary op; unary.ts uses binary.ts).
import type { Tensor } from '../tensor.ts';
import type { OpDef } from '../autograd/function.ts';
import { arith, binaryDef, mul, sub } from './binary.ts';
import { eq, ge, logicalAnd } from './compare.ts';
import { log } from './unary.ts';
import { where } from './where.ts';
import type { TensorLike } from './make.ts';

const Pow: OpDef = binaryDef('pow', 'Pow', 'inputs', (g, { saved: [a, b], needsInputGrad }) => [
  // b·a^(b-1), defined as 0 where b = 0 (so that 0^0 has a finite derivative), as in PyTorch.
  needsInputGrad[0] ? where(eq(b!, 0), 0, mul(g, mul(b!, pow(a!, sub(b!, 1))))) : null,
  // d/db a^b = a^b·log(a); PyTorch defines it as 0 where a = 0 and b ≥ 0.
  needsInputGrad[1] ? mul(g, where(logicalAnd(eq(a!, 0), ge(b!, 0)), 0, mul(pow(a!, b!), log(a!)))) : null,
]);

export const pow = (a: TensorLike, b: TensorLike): Tensor => arith('pow', a, b, Pow);
