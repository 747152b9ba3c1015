// Elementwise CPU kernels. One switch per row picks the op, so the inner loops are tight and
// monomorphic; broadcasting arrives as stride-0 inputs.
import { isIntegral, typedArrayFor, type DType, type TypedArray } from '../../dtype.ts';
import { contiguousStrides, layoutOf, numel } from '../../shape.ts';
import type { BinaryOp, UnaryOp, View } from '../types.ts';
import { erf, erfinv, floorDivide, remainder, roundHalfEven } from './math.ts';
import { digamma, erfc, lgamma, trigamma } from './special.ts';
import { planRows, RowIter } from './strided.ts';
import {
  WASM_ELEMENTWISE_MIN,
  WASM_UNARY,
  wasmBinary,
  wasmBinarySlabs,
  wasmUnary,
  type RowOperand,
} from '../wasm/elementwise.ts';
import { wasmActivation } from '../wasm/activations.ts';
import { wasmExp } from '../wasm/softmax.ts';
import { giveBack, takeF32 } from './pool.ts';

/** A result array every entry of which the kernel writes (large float32 ones are pooled). */
const output = (dtype: DType, n: number): TypedArray =>
  dtype === 'float32' ? takeF32(n) : typedArrayFor(dtype, n);

/**
 * 1 when a view walks its buffer densely in row-major order, 0 when every element is the same
 * one (a broadcast scalar), otherwise null. Dense operands skip the row planner: one flat loop.
 */
function flatStride(v: View): 1 | 0 | null {
  const layout = layoutOf(v.shape, v.strides);
  return layout === 'flat' ? 1 : layout === 'scalar' ? 0 : null;
}

/** The WebAssembly kernel for op over n dense float32 values from `at`, or null. */
const wasmFor = (op: UnaryOp, x: Float32Array, at: number, n: number): Float32Array | null =>
  op === 'tanh' || op === 'sigmoid'
    ? wasmActivation(op, x, at, n)
    : op === 'exp'
      ? wasmExp(x, at, n)
      : wasmUnary(op, x, at, n);

export function unary(op: UnaryOp, x: View, outDtype: DType): TypedArray {
  const n = numel(x.shape);
  const flat = flatStride(x);
  if (flat === 1 && outDtype === 'float32' && x.buffer instanceof Float32Array) {
    const fast = wasmFor(op, x.buffer, x.offset, n);
    if (fast) return fast;
  }
  if (
    flat === null &&
    outDtype === 'float32' &&
    x.buffer instanceof Float32Array &&
    n >= WASM_ELEMENTWISE_MIN &&
    (WASM_UNARY.has(op) || op === 'tanh' || op === 'sigmoid' || op === 'exp')
  ) {
    // Rows of a wider tensor (an LSTM's gate, a column block): gathered densely, then the kernel.
    const plan = planRows(x.shape, [contiguousStrides(x.shape), x.strides]);
    if (plan.inner[1] === 1) {
      const dense = takeF32(n);
      const it = new RowIter(plan, [0, x.offset]);
      for (let r = 0; r < plan.rows; r++, it.next())
        dense.set(x.buffer.subarray(it.off[1]!, it.off[1]! + plan.n), it.off[0]!);
      const fast = wasmFor(op, dense, 0, n);
      giveBack(dense);
      if (fast) return fast;
    }
  }
  // JavaScript's ~ is 32-bit; int64 (held as doubles) takes −x − 1, its two's complement.
  if (op === 'bitwiseNot' && outDtype === 'int64') return unary('neg', x, outDtype).map((v) => v - 1);
  const out = output(outDtype, n);
  if (flat !== null) {
    unaryRow(op, out, 0, x.buffer as TypedArray, x.offset, flat, n);
    return out;
  }
  const plan = planRows(x.shape, [contiguousStrides(x.shape), x.strides]);
  const it = new RowIter(plan, [0, x.offset]);
  const src = x.buffer as TypedArray;
  const si = plan.inner[1]!;
  for (let r = 0; r < plan.rows; r++) {
    unaryRow(op, out, it.off[0]!, src, it.off[1]!, si, plan.n);
    it.next();
  }
  return out;
}

// prettier-ignore
function unaryRow(op: UnaryOp, o: TypedArray, oi: number, x: TypedArray, xi: number, xs: number, n: number): void {
  const end = oi + n;
  switch (op) {
    case 'neg': for (; oi < end; oi++, xi += xs) o[oi] = -x[xi]!; break;
    case 'abs': for (; oi < end; oi++, xi += xs) o[oi] = Math.abs(x[xi]!); break;
    case 'sign': for (; oi < end; oi++, xi += xs) { const v = x[xi]!; o[oi] = v > 0 ? 1 : v < 0 ? -1 : v; } break;
    case 'exp': for (; oi < end; oi++, xi += xs) o[oi] = Math.exp(x[xi]!); break;
    case 'log': for (; oi < end; oi++, xi += xs) o[oi] = Math.log(x[xi]!); break;
    case 'log1p': for (; oi < end; oi++, xi += xs) o[oi] = Math.log1p(x[xi]!); break;
    case 'expm1': for (; oi < end; oi++, xi += xs) o[oi] = Math.expm1(x[xi]!); break;
    case 'sqrt': for (; oi < end; oi++, xi += xs) o[oi] = Math.sqrt(x[xi]!); break;
    case 'rsqrt': for (; oi < end; oi++, xi += xs) o[oi] = 1 / Math.sqrt(x[xi]!); break;
    case 'reciprocal': for (; oi < end; oi++, xi += xs) o[oi] = 1 / x[xi]!; break;
    case 'square': for (; oi < end; oi++, xi += xs) { const v = x[xi]!; o[oi] = v * v; } break;
    case 'sin': for (; oi < end; oi++, xi += xs) o[oi] = Math.sin(x[xi]!); break;
    case 'cos': for (; oi < end; oi++, xi += xs) o[oi] = Math.cos(x[xi]!); break;
    case 'tanh': for (; oi < end; oi++, xi += xs) o[oi] = Math.tanh(x[xi]!); break;
    // 1/(1+e^-x) overflows harmlessly to 0 for very negative x; no NaN appears.
    case 'sigmoid': for (; oi < end; oi++, xi += xs) o[oi] = 1 / (1 + Math.exp(-x[xi]!)); break;
    case 'relu': for (; oi < end; oi++, xi += xs) { const v = x[xi]!; o[oi] = v > 0 ? v : v !== v ? v : 0; } break;
    case 'erf': for (; oi < end; oi++, xi += xs) o[oi] = erf(x[xi]!); break;
    case 'floor': for (; oi < end; oi++, xi += xs) o[oi] = Math.floor(x[xi]!); break;
    case 'ceil': for (; oi < end; oi++, xi += xs) o[oi] = Math.ceil(x[xi]!); break;
    case 'round': for (; oi < end; oi++, xi += xs) o[oi] = roundHalfEven(x[xi]!); break;
    case 'trunc': for (; oi < end; oi++, xi += xs) o[oi] = Math.trunc(x[xi]!); break;
    case 'isnan': for (; oi < end; oi++, xi += xs) o[oi] = Number.isNaN(x[xi]!) ? 1 : 0; break;
    case 'isinf': for (; oi < end; oi++, xi += xs) { const v = x[xi]!; o[oi] = v === Infinity || v === -Infinity ? 1 : 0; } break;
    case 'isfinite': for (; oi < end; oi++, xi += xs) o[oi] = Number.isFinite(x[xi]!) ? 1 : 0; break;
    // NaN counts as true (it is not zero), as in PyTorch.
    case 'logicalNot': for (; oi < end; oi++, xi += xs) o[oi] = x[xi]! !== 0 ? 0 : 1; break;
    case 'tan': for (; oi < end; oi++, xi += xs) o[oi] = Math.tan(x[xi]!); break;
    case 'asin': for (; oi < end; oi++, xi += xs) o[oi] = Math.asin(x[xi]!); break;
    case 'acos': for (; oi < end; oi++, xi += xs) o[oi] = Math.acos(x[xi]!); break;
    case 'atan': for (; oi < end; oi++, xi += xs) o[oi] = Math.atan(x[xi]!); break;
    case 'sinh': for (; oi < end; oi++, xi += xs) o[oi] = Math.sinh(x[xi]!); break;
    case 'cosh': for (; oi < end; oi++, xi += xs) o[oi] = Math.cosh(x[xi]!); break;
    case 'asinh': for (; oi < end; oi++, xi += xs) o[oi] = Math.asinh(x[xi]!); break;
    case 'acosh': for (; oi < end; oi++, xi += xs) o[oi] = Math.acosh(x[xi]!); break;
    case 'atanh': for (; oi < end; oi++, xi += xs) o[oi] = Math.atanh(x[xi]!); break;
    case 'log2': for (; oi < end; oi++, xi += xs) o[oi] = Math.log2(x[xi]!); break;
    case 'log10': for (; oi < end; oi++, xi += xs) o[oi] = Math.log10(x[xi]!); break;
    case 'exp2': for (; oi < end; oi++, xi += xs) o[oi] = 2 ** x[xi]!; break;
    // Integers: two's complement; booleans (stored 0/1): logical not.
    case 'bitwiseNot': for (; oi < end; oi++, xi += xs) o[oi] = ~x[xi]!; break;
    case 'lgamma': for (; oi < end; oi++, xi += xs) o[oi] = lgamma(x[xi]!); break;
    case 'digamma': for (; oi < end; oi++, xi += xs) o[oi] = digamma(x[xi]!); break;
    case 'trigamma': for (; oi < end; oi++, xi += xs) o[oi] = trigamma(x[xi]!); break;
    case 'erfinv': for (; oi < end; oi++, xi += xs) o[oi] = erfinv(x[xi]!); break;
    case 'erfc': for (; oi < end; oi++, xi += xs) o[oi] = erfc(x[xi]!, erf); break;
  }
}

export function binary(op: BinaryOp, a: View, b: View, outDtype: DType): TypedArray {
  const n = numel(a.shape);
  const fa = flatStride(a);
  const fb = flatStride(b);
  const simd = outDtype === 'float32' && a.buffer instanceof Float32Array && b.buffer instanceof Float32Array;
  if (simd && fa !== null && fb !== null) {
    const fast = wasmBinary(
      op,
      { data: a.buffer, offset: a.offset, rowStride: 0, inner: fa },
      { data: b.buffer, offset: b.offset, rowStride: 0, inner: fb },
      1,
      n,
    );
    if (fast) return fast;
  }
  if (fa !== null && fb !== null) {
    const out = output(outDtype, n);
    binaryRow(
      op,
      intKind(outDtype),
      out,
      0,
      a.buffer as TypedArray,
      a.offset,
      fa,
      b.buffer as TypedArray,
      b.offset,
      fb,
      n,
    );
    return out;
  }
  const plan = planRows(a.shape, [contiguousStrides(a.shape), a.strides, b.strides]);
  // Rows with one outer dim (a bias added along the batch): the SIMD kernel walks them itself.
  if (simd && plan.outerShape.length === 1 && plan.inner[1]! <= 1 && plan.inner[2]! <= 1) {
    const fast = wasmBinary(
      op,
      {
        data: a.buffer as Float32Array,
        offset: a.offset,
        rowStride: plan.outerStrides[1]!,
        inner: plan.inner[1] as 0 | 1,
      },
      {
        data: b.buffer as Float32Array,
        offset: b.offset,
        rowStride: plan.outerStrides[2]!,
        inner: plan.inner[2] as 0 | 1,
      },
      plan.outerShape[0]!,
      plan.n,
    );
    if (fast) return fast;
  }
  // Two outer dims (a conv's bias [1, C, 1] added to [N, C, L]): the rows of each slab in one call.
  if (simd && plan.outerShape.length === 2 && plan.inner[1]! <= 1 && plan.inner[2]! <= 1) {
    const [slabs, rows] = plan.outerShape as unknown as [number, number];
    const os = plan.outerStrides;
    const operand = (v: View, k: 1 | 2, i: number): RowOperand => ({
      data: v.buffer as Float32Array,
      offset: v.offset + i * os[k]!,
      rowStride: os[3 + k]!,
      inner: plan.inner[k] as 0 | 1,
    });
    // Over the arena, all slabs in one call; else slab by slab into one output.
    const whole = wasmBinarySlabs(
      op,
      operand(a, 1, 0),
      operand(b, 2, 0),
      { count: slabs, aStride: os[1]!, bStride: os[2]! },
      rows,
      plan.n,
    );
    if (whole) return whole;
    const out = takeF32(n);
    let done = true;
    for (let i = 0; i < slabs && done; i++)
      done = !!wasmBinary(op, operand(a, 1, i), operand(b, 2, i), rows, plan.n, {
        out,
        at: i * rows * plan.n,
      });
    if (done) return out;
  }
  const out = output(outDtype, n);
  const it = new RowIter(plan, [0, a.offset, b.offset]);
  const A = a.buffer as TypedArray;
  const B = b.buffer as TypedArray;
  const sa = plan.inner[1]!;
  const sb = plan.inner[2]!;
  const isInt = intKind(outDtype);
  for (let r = 0; r < plan.rows; r++) {
    binaryRow(op, isInt, out, it.off[0]!, A, it.off[1]!, sa, B, it.off[2]!, sb, plan.n);
    it.next();
  }
  return out;
}

/**
 * How a binary kernel treats integers: 0 not integers; 1 int32 (Math.imul keeps products exact,
 * bitwise ops are JavaScript's); 2 int64 (held as doubles: bitwise ops and shifts go through
 * BigInt, 64 bits wide); 3 uint8 (the store wraps modulo 256).
 */
type IntKind = 0 | 1 | 2 | 3;
const intKind = (dtype: DType): IntKind =>
  !isIntegral(dtype) ? 0 : dtype === 'int32' ? 1 : dtype === 'int64' ? 2 : 3;

/** A 64-bit integer op on two exact doubles, wrapped to int64 as PyTorch's is. */
function int64Op(op: BinaryOp, x: number, y: number): number {
  const a = BigInt(x);
  const b = BigInt(y);
  switch (op) {
    case 'bitwiseAnd':
      return Number(a & b);
    case 'bitwiseOr':
      return Number(a | b);
    case 'bitwiseXor':
      return Number(a ^ b);
    // Shifts of 64 or more give 0 (or −1 for a negative number shifted right).
    case 'leftShift':
      return y >= 64 || y < 0 ? 0 : Number(BigInt.asIntN(64, a << b));
    default:
      return y >= 64 || y < 0 ? (x < 0 ? -1 : 0) : Number(a >> b);
  }
}

// prettier-ignore
function binaryRow(
  op: BinaryOp, isInt: IntKind, o: TypedArray, oi: number,
  a: TypedArray, ai: number, sa: number, b: TypedArray, bi: number, sb: number, n: number,
): void {
  const end = oi + n;
  switch (op) {
    case 'add': for (; oi < end; oi++, ai += sa, bi += sb) o[oi] = a[ai]! + b[bi]!; break;
    case 'sub': for (; oi < end; oi++, ai += sa, bi += sb) o[oi] = a[ai]! - b[bi]!; break;
    // Math.imul keeps int32 products exact where a float multiply would lose low bits.
    case 'mul':
      if (isInt === 1) for (; oi < end; oi++, ai += sa, bi += sb) o[oi] = Math.imul(a[ai]!, b[bi]!);
      // int64: a product past 2^53 is redone in BigInt so that it wraps at 2^64 as PyTorch's does.
      else if (isInt === 2) for (; oi < end; oi++, ai += sa, bi += sb) { const p = a[ai]! * b[bi]!; o[oi] = Math.abs(p) < 2 ** 53 ? p : Number(BigInt.asIntN(64, BigInt(a[ai]!) * BigInt(b[bi]!))); }
      else for (; oi < end; oi++, ai += sa, bi += sb) o[oi] = a[ai]! * b[bi]!;
      break;
    case 'div': for (; oi < end; oi++, ai += sa, bi += sb) o[oi] = a[ai]! / b[bi]!; break;
    case 'pow': for (; oi < end; oi++, ai += sa, bi += sb) o[oi] = Math.pow(a[ai]!, b[bi]!); break;
    // NaN propagates through maximum/minimum, as in PyTorch.
    case 'maximum': for (; oi < end; oi++, ai += sa, bi += sb) { const x = a[ai]!, y = b[bi]!; o[oi] = x !== x || y !== y ? NaN : x > y ? x : y; } break;
    case 'minimum': for (; oi < end; oi++, ai += sa, bi += sb) { const x = a[ai]!, y = b[bi]!; o[oi] = x !== x || y !== y ? NaN : x < y ? x : y; } break;
    case 'atan2': for (; oi < end; oi++, ai += sa, bi += sb) o[oi] = Math.atan2(a[ai]!, b[bi]!); break;
    case 'remainder': for (; oi < end; oi++, ai += sa, bi += sb) o[oi] = remainder(a[ai]!, b[bi]!); break;
    case 'floorDivide':
      if (isInt) for (; oi < end; oi++, ai += sa, bi += sb) { const y = b[bi]!; o[oi] = y === 0 ? 0 : Math.floor(a[ai]! / y); }
      else for (; oi < end; oi++, ai += sa, bi += sb) o[oi] = floorDivide(a[ai]!, b[bi]!);
      break;
    case 'eq': for (; oi < end; oi++, ai += sa, bi += sb) o[oi] = a[ai] === b[bi] ? 1 : 0; break;
    case 'ne': for (; oi < end; oi++, ai += sa, bi += sb) o[oi] = a[ai] !== b[bi] ? 1 : 0; break;
    case 'lt': for (; oi < end; oi++, ai += sa, bi += sb) o[oi] = a[ai]! < b[bi]! ? 1 : 0; break;
    case 'le': for (; oi < end; oi++, ai += sa, bi += sb) o[oi] = a[ai]! <= b[bi]! ? 1 : 0; break;
    case 'gt': for (; oi < end; oi++, ai += sa, bi += sb) o[oi] = a[ai]! > b[bi]! ? 1 : 0; break;
    case 'ge': for (; oi < end; oi++, ai += sa, bi += sb) o[oi] = a[ai]! >= b[bi]! ? 1 : 0; break;
    case 'logicalAnd': for (; oi < end; oi++, ai += sa, bi += sb) o[oi] = a[ai] !== 0 && b[bi] !== 0 ? 1 : 0; break;
    case 'logicalOr': for (; oi < end; oi++, ai += sa, bi += sb) o[oi] = a[ai] !== 0 || b[bi] !== 0 ? 1 : 0; break;
    case 'logicalXor': for (; oi < end; oi++, ai += sa, bi += sb) o[oi] = (a[ai] !== 0) !== (b[bi] !== 0) ? 1 : 0; break;
    // JavaScript's % on numbers is C's fmod (the result takes the dividend's sign).
    case 'fmod':
      if (isInt) for (; oi < end; oi++, ai += sa, bi += sb) { const y = b[bi]!; o[oi] = y === 0 ? 0 : a[ai]! % y; }
      else for (; oi < end; oi++, ai += sa, bi += sb) o[oi] = a[ai]! % b[bi]!;
      break;
    case 'truncDivide':
      if (isInt) for (; oi < end; oi++, ai += sa, bi += sb) { const y = b[bi]!; o[oi] = y === 0 ? 0 : Math.trunc(a[ai]! / y); }
      else for (; oi < end; oi++, ai += sa, bi += sb) o[oi] = Math.trunc(a[ai]! / b[bi]!);
      break;
    case 'hypot': for (; oi < end; oi++, ai += sa, bi += sb) o[oi] = Math.hypot(a[ai]!, b[bi]!); break;
    case 'copysign': for (; oi < end; oi++, ai += sa, bi += sb) { const y = b[bi]!; o[oi] = y < 0 || Object.is(y, -0) ? -Math.abs(a[ai]!) : Math.abs(a[ai]!); } break;
    case 'bitwiseAnd': case 'bitwiseOr': case 'bitwiseXor': case 'leftShift': case 'rightShift':
      if (isInt === 2) { for (; oi < end; oi++, ai += sa, bi += sb) o[oi] = int64Op(op, a[ai]!, b[bi]!); break; }
      bitwiseRow(op, o, oi, end, a, ai, sa, b, bi, sb);
      break;
  }
}

// prettier-ignore
function bitwiseRow(
  op: BinaryOp, o: TypedArray, oi: number, end: number,
  a: TypedArray, ai: number, sa: number, b: TypedArray, bi: number, sb: number,
): void {
  switch (op) {
    case 'bitwiseAnd': for (; oi < end; oi++, ai += sa, bi += sb) o[oi] = a[ai]! & b[bi]!; break;
    case 'bitwiseOr': for (; oi < end; oi++, ai += sa, bi += sb) o[oi] = a[ai]! | b[bi]!; break;
    case 'bitwiseXor': for (; oi < end; oi++, ai += sa, bi += sb) o[oi] = a[ai]! ^ b[bi]!; break;
    // Shifts of 32 or more give 0 (or −1 for a negative number shifted right), as PyTorch's do.
    case 'leftShift': for (; oi < end; oi++, ai += sa, bi += sb) { const s = b[bi]!; o[oi] = s >= 32 || s < 0 ? 0 : a[ai]! << s; } break;
    case 'rightShift': for (; oi < end; oi++, ai += sa, bi += sb) { const s = b[bi]!; o[oi] = s >= 32 || s < 0 ? (a[ai]! < 0 ? -1 : 0) : a[ai]! >> s; } break;
  }
}

export function where(cond: View, a: View, b: View, outDtype: DType): TypedArray {
  const n = numel(a.shape);
  const out = output(outDtype, n);
  const [fc, fa, fb] = [flatStride(cond), flatStride(a), flatStride(b)];
  if (fc !== null && fa !== null && fb !== null) {
    const [C, A, B] = [cond.buffer as TypedArray, a.buffer as TypedArray, b.buffer as TypedArray];
    // float32 values under a boolean mask (a masked gradient) in a loop that only ever sees those
    // array types: the generic one below meets every dtype, and its element accesses are slow.
    if (
      C instanceof Uint8Array &&
      A instanceof Float32Array &&
      B instanceof Float32Array &&
      out instanceof Float32Array
    )
      whereF32(out, C, cond.offset, fc, A, a.offset, fa, B, b.offset, fb, n);
    else
      for (
        let o = 0, ci = cond.offset, ai = a.offset, bi = b.offset;
        o < n;
        o++, ci += fc, ai += fa, bi += fb
      )
        out[o] = C[ci] ? A[ai]! : B[bi]!;
    return out;
  }
  const plan = planRows(a.shape, [contiguousStrides(a.shape), cond.strides, a.strides, b.strides]);
  const it = new RowIter(plan, [0, cond.offset, a.offset, b.offset]);
  const C = cond.buffer as TypedArray;
  const A = a.buffer as TypedArray;
  const B = b.buffer as TypedArray;
  const [, sc, sa, sb] = plan.inner as unknown as [number, number, number, number];
  for (let r = 0; r < plan.rows; r++) {
    let oi = it.off[0]!,
      ci = it.off[1]!,
      ai = it.off[2]!,
      bi = it.off[3]!;
    for (let j = 0; j < plan.n; j++, oi++, ci += sc, ai += sa, bi += sb) out[oi] = C[ci] ? A[ai]! : B[bi]!;
    it.next();
  }
  return out;
}

/**
 * where() over float32 values, branch-free on their bits (a mask such as x > 0 is a coin flip for
 * the branch predictor): a's bits under an all-ones mask where the condition holds, b's elsewhere,
 * so NaN payloads and −0 pass exactly.
 */
// prettier-ignore
function whereF32(
  out: Float32Array, C: Uint8Array, ci: number, sc: number,
  A: Float32Array, ai: number, sa: number, B: Float32Array, bi: number, sb: number, n: number,
): void {
  const bits = (x: Float32Array) => new Int32Array(x.buffer, x.byteOffset, x.length);
  const [o32, a32, b32] = [bits(out), bits(A), bits(B)];
  for (let o = 0; o < n; o++, ci += sc, ai += sa, bi += sb) {
    const keep = -C[ci]!;
    o32[o] = (a32[ai]! & keep) | (b32[bi]! & ~keep);
  }
}
