// Batched matmul on the CPU: [B, M, K] · [B, K, N]. Each operand is packed into a contiguous
// row-major Float64Array (transposed views, as autograd produces them, cost one copy), then a
// 4×4 register-blocked kernel keeps 16 accumulators in locals: 16 multiply-adds per 8 loads.
// Accumulating in float64 and rounding once keeps float32 results close to exact.
import { typedArrayFor, type DType, type TypedArray } from '../../dtype.ts';
import type { View } from '../types.ts';
import { sgemmBatched, wasmSimdAvailable } from '../wasm/sgemm.ts';

function pack(
  src: TypedArray,
  offset: number,
  rows: number,
  cols: number,
  rs: number,
  cs: number,
  out: Float64Array,
): void {
  let o = 0;
  if (cs === 1) {
    for (let r = 0; r < rows; r++) for (let c = 0, i = offset + r * rs; c < cols; c++) out[o++] = src[i + c]!;
    return;
  }
  for (let r = 0; r < rows; r++)
    for (let c = 0, i = offset + r * rs; c < cols; c++, i += cs) out[o++] = src[i]!;
}

// prettier-ignore
function kernel(A: Float64Array, B: Float64Array, C: TypedArray, cOffset: number, m: number, k: number, n: number): void {
  const m4 = m - (m % 4);
  const n4 = n - (n % 4);
  for (let i = 0; i < m4; i += 4) {
    const a0 = i * k, a1 = a0 + k, a2 = a1 + k, a3 = a2 + k;
    for (let j = 0; j < n4; j += 4) {
      let c00 = 0, c01 = 0, c02 = 0, c03 = 0, c10 = 0, c11 = 0, c12 = 0, c13 = 0;
      let c20 = 0, c21 = 0, c22 = 0, c23 = 0, c30 = 0, c31 = 0, c32 = 0, c33 = 0;
      for (let t = 0, b = j; t < k; t++, b += n) {
        const b0 = B[b]!, b1 = B[b + 1]!, b2 = B[b + 2]!, b3 = B[b + 3]!;
        const x0 = A[a0 + t]!, x1 = A[a1 + t]!, x2 = A[a2 + t]!, x3 = A[a3 + t]!;
        c00 += x0 * b0; c01 += x0 * b1; c02 += x0 * b2; c03 += x0 * b3;
        c10 += x1 * b0; c11 += x1 * b1; c12 += x1 * b2; c13 += x1 * b3;
        c20 += x2 * b0; c21 += x2 * b1; c22 += x2 * b2; c23 += x2 * b3;
        c30 += x3 * b0; c31 += x3 * b1; c32 += x3 * b2; c33 += x3 * b3;
      }
      let o = cOffset + i * n + j;
      C[o] = c00; C[o + 1] = c01; C[o + 2] = c02; C[o + 3] = c03; o += n;
      C[o] = c10; C[o + 1] = c11; C[o + 2] = c12; C[o + 3] = c13; o += n;
      C[o] = c20; C[o + 1] = c21; C[o + 2] = c22; C[o + 3] = c23; o += n;
      C[o] = c30; C[o + 1] = c31; C[o + 2] = c32; C[o + 3] = c33;
    }
  }
  // Leftover rows and columns, one dot product each.
  for (let i = 0; i < m; i++)
    for (let j = i < m4 ? n4 : 0; j < n; j++) {
      let acc = 0;
      for (let t = 0, a = i * k, b = j; t < k; t++, b += n) acc += A[a + t]! * B[b]!;
      C[cOffset + i * n + j] = acc;
    }
}

/** Which float32 matmul kernel runs: WebAssembly SIMD where available, or the TypeScript reference. */
let preferred: 'wasm' | 'reference' = 'wasm';
/** Below this many multiply-adds the copies into WASM memory cost more than they save. */
let wasmMinWork = 4096;
/** Chooses the float32 matmul kernel (the conformance table runs against both; `minWork` 0 sends every product to WASM). */
export function setMatmulKernel(kernel: 'wasm' | 'reference', { minWork = 4096 } = {}): void {
  preferred = kernel;
  wasmMinWork = minWork;
}
export const matmulKernel = (): 'wasm' | 'reference' =>
  preferred === 'wasm' && wasmSimdAvailable() ? 'wasm' : 'reference';

/** Whether float32 products of this many multiply-adds go to the WebAssembly kernel (when it loads). */
export const wasmMatmulFor = (work: number): boolean => preferred === 'wasm' && work >= wasmMinWork;

/** matmul of float32 operands plus a dense float32 bias row, on WebAssembly; null where that path does not apply. */
export function matmulBias(a: View, b: View, bias: View): TypedArray | null {
  const [, m, k] = a.shape as [number, number, number];
  const n = b.shape[2]!;
  const dense = bias.strides.length === 1 && (bias.strides[0] === 1 || n === 1);
  if (a.dtype !== 'float32' || b.dtype !== 'float32' || bias.dtype !== 'float32' || !dense) return null;
  if (!(bias.buffer instanceof Float32Array) || !wasmMatmulFor(m * n * k)) return null;
  return sgemmBatched(a, b, { data: bias.buffer, at: bias.offset });
}

export function matmul(a: View, b: View, outDtype: DType): TypedArray {
  const [batch, m, k] = a.shape as [number, number, number];
  const n = b.shape[2]!;
  if (outDtype === 'float32' && a.dtype === 'float32' && b.dtype === 'float32' && wasmMatmulFor(m * n * k)) {
    const result = sgemmBatched(a, b);
    if (result) return result;
  }
  const out = typedArrayFor(outDtype, batch * m * n);
  const [abs, ars, acs] = a.strides as [number, number, number];
  const [bbs, brs, bcs] = b.strides as [number, number, number];
  const packedA = new Float64Array(m * k);
  const packedB = new Float64Array(k * n);
  for (let p = 0; p < batch; p++) {
    // A batch stride of 0 (a broadcast operand) is packed once.
    if (p === 0 || abs !== 0) pack(a.buffer as TypedArray, a.offset + p * abs, m, k, ars, acs, packedA);
    if (p === 0 || bbs !== 0) pack(b.buffer as TypedArray, b.offset + p * bbs, k, n, brs, bcs, packedB);
    kernel(packedA, packedB, out, p * m * n, m, k, n);
  }
  return out;
}
