// Batched matmul on the CPU: [B, M, K] · [B, K, N]. Operands are read through their strides,
// so transposed inputs (as autograd produces for Aᵀ·G and G·Bᵀ) need no copy. Rows accumulate
// in float64 and are rounded once, which keeps float32 results close to exact.
import { typedArrayFor, type DType, type TypedArray } from '../../dtype.ts';
import type { View } from '../types.ts';

export function matmul(a: View, b: View, outDtype: DType): TypedArray {
  const [batch, m, k] = a.shape as [number, number, number];
  const n = b.shape[2]!;
  const out = typedArrayFor(outDtype, batch * m * n);
  const A = a.buffer as TypedArray;
  const B = b.buffer as TypedArray;
  const [abs, ars, acs] = a.strides as [number, number, number];
  const [bbs, brs, bcs] = b.strides as [number, number, number];
  const acc = new Float64Array(n);
  for (let p = 0; p < batch; p++) {
    const aBase = a.offset + p * abs;
    const bBase = b.offset + p * bbs;
    for (let i = 0; i < m; i++) {
      acc.fill(0);
      for (let t = 0; t < k; t++) {
        const aik = A[aBase + i * ars + t * acs]!;
        if (aik === 0) continue;
        let bi = bBase + t * brs;
        for (let j = 0; j < n; j++, bi += bcs) acc[j]! += aik * B[bi]!;
      }
      out.set(acc, (p * m + i) * n);
    }
  }
  return out;
}
