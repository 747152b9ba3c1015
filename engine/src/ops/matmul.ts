// Batched matrix multiply [B, M, K] · [B, K, N], the one linear-algebra primitive. matmul's
// 1-D/2-D/broadcast rules, mm, bmm, dot and outer are built on it in functional/linalg.ts.
import { formatShape } from '../shape.ts';
import type { Tensor } from '../tensor.ts';
import { apply, defineOp } from '../autograd/function.ts';
import { fromBuffer, kernelsOf } from './make.ts';
import { add } from './binary.ts';

const Bmm = defineOp({
  name: 'Bmm',
  forward([a, b], _attrs, ctx) {
    ctx.save(a!, b!);
    const buffer = kernelsOf(a!).matmul(a!.view_(), b!.view_(), a!.dtype);
    return fromBuffer(a!.storage.backend, buffer, [a!.shape[0]!, a!.shape[1]!, b!.shape[2]!], a!.dtype);
  },
  backward: (g, { saved: [a, b], needsInputGrad }) => productGrads(g, a!, b!, needsInputGrad),
});

// dA = G·Bᵀ and dB = Aᵀ·G, batch by batch (transposes are free: they are stride swaps). As in
// PyTorch, an input stored column-major (a transposed weight: x·Wᵀ) gets its gradient in the
// same layout, computed as (Bᵀ·… )ᵀ: after the transpose's own backward it is already W's
// dense layout, and accumulating it into W.grad is a flat copy instead of a strided one.
function productGrads(
  g: Tensor,
  a: Tensor,
  b: Tensor,
  needsInputGrad: readonly boolean[],
): (Tensor | null)[] {
  return [
    needsInputGrad[0]
      ? columnMajor(a)
        ? bmmRaw(b, g.transpose(1, 2)).transpose(1, 2)
        : bmmRaw(g, b.transpose(1, 2))
      : null,
    needsInputGrad[1]
      ? columnMajor(b)
        ? bmmRaw(g.transpose(1, 2), a).transpose(1, 2)
        : bmmRaw(a.transpose(1, 2), g)
      : null,
  ];
}

/**
 * A·B + bias (bias [n] added to every row: a Linear layer) as one op where the backend adds the
 * bias before the product leaves its memory (the CPU's WebAssembly matmul), else the product
 * then the add, the same values either way. Gradients: the product's, and g for the bias (the
 * autograd engine sums it over the rows, as it sums an add's broadcast gradient).
 */
const Addmm = defineOp({
  name: 'Addmm',
  forward([a, b, bias], _attrs, ctx) {
    ctx.save(a!, b!);
    const backend = a!.storage.backend;
    const buffer = backend.matmulBias?.(a!.view_(), b!.view_(), bias!.view_()) ?? null;
    if (!buffer) return add(bmmRaw(a!, b!), bias!);
    return fromBuffer(backend, buffer, [a!.shape[0]!, a!.shape[1]!, b!.shape[2]!], a!.dtype);
  },
  backward: (g, { saved: [a, b], needsInputGrad }) => [
    ...productGrads(g, a!, b!, needsInputGrad),
    needsInputGrad[2] ? g : null,
  ],
});

/** A [B, R, C] tensor whose matrices are stored column by column (a transposed dense matrix). */
const columnMajor = (t: Tensor): boolean =>
  t.shape[1]! > 1 && t.shape[2]! > 1 && t.strides[1] === 1 && t.strides[2] === t.shape[1];

/** bmm of two 3-D tensors of the same dtype and batch size. */
export function bmmRaw(a: Tensor, b: Tensor): Tensor {
  checkOperands(a, b);
  return apply(Bmm, [a, b], undefined);
}

/** bmm of [B, M, K] and [B, K, N] plus bias [N] on every row (one dtype throughout). */
export function addmmRaw(a: Tensor, b: Tensor, bias: Tensor): Tensor {
  checkOperands(a, b);
  if (bias.ndim !== 1 || bias.shape[0] !== b.shape[2] || bias.dtype !== a.dtype)
    throw new Error(
      `addmm: expected a bias of shape [${b.shape[2]}] and dtype ${a.dtype}, got ${formatShape(bias.shape)} ${bias.dtype}`,
    );
  return apply(Addmm, [a, b, bias], undefined);
}

function checkOperands(a: Tensor, b: Tensor): void {
  if (a.ndim !== 3 || b.ndim !== 3 || a.shape[0] !== b.shape[0] || a.shape[2] !== b.shape[1])
    throw new Error(`bmm: shapes ${formatShape(a.shape)} and ${formatShape(b.shape)} cannot be multiplied`);
  if (a.dtype !== b.dtype)
    throw new Error(`bmm: expected both operands to have the same dtype, but got ${a.dtype} and ${b.dtype}`);
}
