// Elementwise kernels (unary, binary, where, cast/copy, strided writes) share one program: a
// WGSL expression from the tables below, applied per element, with each operand read densely,
// as a broadcast scalar, or through its strides (uniform block: n, ndim, shape, then each
// strided operand's offset and strides).
import type { DType } from '../../dtype.ts';
import { contiguousStrides, layoutOf, numel, type Layout } from '../../shape.ts';
import type { BinaryOp, UnaryOp, View } from '../types.ts';
import type { GpuBuffer } from './memory.ts';
import { convert, linearIndex, MAIN_ARGS, storageType, type Program } from './program.ts';
import type { GpuRunner } from './runner.ts';

type Scalar = 'f32' | 'i32' | 'u32';
/** The type of a table expression's result ('bool' for predicates). */
type ResultType = Scalar | 'bool';

const WG = 64;

interface Operand {
  view: View;
  type: Scalar;
  /** The type the expression reads this operand as. */
  as: Scalar;
}

interface Spec {
  name: string;
  /** WGSL over v0, v1, v2 (the operands read as their `as` types). */
  expr: string;
  result: ResultType;
  outType: Scalar;
  /** Write through dst's strides instead of densely (copyInto). */
  stridedOut: View | null;
}

function elementwiseProgram(spec: Spec, operands: readonly Operand[], layouts: readonly Layout[]): Program {
  const outLayout = spec.stridedOut ? 'strided' : 'flat';
  const key = `ew:${spec.name}:${spec.outType}:${outLayout}:${operands.map((o, i) => `${o.type}>${o.as}/${layouts[i]}`).join(',')}`;
  return {
    key,
    workgroupSize: WG,
    wgsl() {
      const first = spec.stridedOut ? 1 : 0; // strided operand slots: the output takes slot 0
      const decls = operands
        .map((o, k) => `@group(0) @binding(${k + 2}) var<storage, read> in${k}: array<${o.type}>;`)
        .join('\n');
      const reads = operands
        .map((o, k) => {
          const slot = k + first;
          const index =
            layouts[k] === 'flat'
              ? `base(${slot}) + i`
              : layouts[k] === 'scalar'
                ? `base(${slot})`
                : `off(${slot}, i)`;
          return `let v${k} = ${convert(`in${k}[${index}]`, o.type, o.as)};`;
        })
        .join('\n  ');
      const outIndex = spec.stridedOut ? 'off(0, i)' : 'i';
      const value =
        spec.result === 'bool'
          ? `select(${zeroOf(spec.outType)}, ${oneOf(spec.outType)}, ${spec.expr})`
          : convert(`(${spec.expr})`, spec.result, spec.outType);
      return /* wgsl */ `
@group(0) @binding(1) var<storage, read_write> out: array<${spec.outType}>;
${decls}
fn base(k: i32) -> i32 { return m(2 + m(1) + k * (m(1) + 1)); }
fn off(k: i32, i: i32) -> i32 {
  let nd = m(1);
  let b = 2 + nd + k * (nd + 1);
  var rem = i;
  var o = m(b);
  for (var d = nd - 1; d >= 0; d = d - 1) {
    let s = m(2 + d);
    o = o + (rem % s) * m(b + 1 + d);
    rem = rem / s;
  }
  return o;
}
@compute @workgroup_size(${WG}) fn main(${MAIN_ARGS}) {
  let i = ${linearIndex(WG)};
  if (i >= m(0)) { return; }
  ${reads}
  out[${outIndex}] = ${value};
}`;
    },
  };
}

const zeroOf = (t: Scalar): string => (t === 'f32' ? '0.0' : t === 'i32' ? '0' : '0u');
const oneOf = (t: Scalar): string => (t === 'f32' ? '1.0' : t === 'i32' ? '1' : '1u');

function dispatch(
  runner: GpuRunner,
  spec: Spec,
  operands: readonly Operand[],
  out: GpuBuffer,
  shape: readonly number[],
): void {
  const layouts = operands.map((o) => layoutOf(o.view.shape, o.view.strides));
  const n = numel(shape);
  const meta = [n, shape.length, ...shape];
  const slots = spec.stridedOut
    ? [spec.stridedOut, ...operands.map((o) => o.view)]
    : operands.map((o) => o.view);
  for (const v of slots) meta.push(v.offset, ...v.strides);
  const buffers = [out, ...operands.map((o) => o.view.buffer as GpuBuffer)];
  runner.run(elementwiseProgram(spec, operands, layouts), buffers, meta, n);
}

// ---- unary ----------------------------------------------------------------------------------

/** Each op: its float expression, and its integer one (absent: the op computes in f32). */
const UNARY: Record<UnaryOp, { f: string; i?: string; result?: 'bool' }> = {
  neg: { f: '-v0', i: '-v0' },
  abs: { f: 'abs(v0)', i: 'abs(v0)' },
  sign: { f: 'sign_f(v0)', i: 'sign_i(v0)' },
  exp: { f: 'exp_safe(v0)' },
  log: { f: 'log_safe(v0)' },
  log1p: { f: 'log_1p(v0)' },
  expm1: { f: 'select(exp_m1(v0), exp_safe(v0) - 1.0, abs(v0) >= 0.5)' },
  sqrt: { f: 'sqrt_safe(v0)' },
  rsqrt: { f: '1.0 / sqrt_safe(v0)' },
  reciprocal: { f: '1.0 / v0' },
  square: { f: 'v0 * v0', i: 'v0 * v0' },
  sin: { f: 'sin(v0)' },
  cos: { f: 'cos(v0)' },
  tanh: { f: 'tanh_safe(v0)' },
  sigmoid: { f: 'sigmoid(v0)' },
  relu: { f: 'relu_f(v0)', i: 'max(v0, 0)' },
  erf: { f: 'erf_f(v0)' },
  floor: { f: 'floor(v0)', i: 'v0' },
  ceil: { f: 'ceil(v0)', i: 'v0' },
  round: { f: 'round_even(v0)', i: 'v0' },
  trunc: { f: 'trunc(v0)', i: 'v0' },
  isnan: { f: 'is_nan(v0)', i: 'false', result: 'bool' },
  isinf: { f: 'is_inf(v0)', i: 'false', result: 'bool' },
  isfinite: { f: '!(is_nan(v0) || is_inf(v0))', i: 'true', result: 'bool' },
  logicalNot: { f: 'v0 == 0.0', i: 'v0 == 0', result: 'bool' },
  tan: { f: 'tan(v0)' },
  // Through atan2: the built-in asin/acos are not accurate enough on some adapters (llvmpipe).
  asin: { f: 'atan2(v0, sqrt(max(0.0, 1.0 - v0 * v0)))' },
  acos: { f: 'atan2(sqrt(max(0.0, 1.0 - v0 * v0)), v0)' },
  atan: { f: 'atan(v0)' },
  sinh: { f: 'sinh(v0)' },
  cosh: { f: 'cosh(v0)' },
  asinh: { f: 'asinh(v0)' },
  acosh: { f: 'acosh(v0)' },
  atanh: { f: 'atanh(v0)' },
  log2: { f: 'log2(v0)' },
  log10: { f: 'log2(v0) * 0.30102999566398120' },
  exp2: { f: 'exp2(v0)' },
  bitwiseNot: { f: 'f32(~i32(v0))', i: '~v0' },
  lgamma: { f: 'lgamma_f(v0)' },
  digamma: { f: 'digamma_f(v0)' },
  trigamma: { f: 'trigamma_f(v0)' },
  erfinv: { f: 'erfinv_f(v0)' },
  erfc: { f: 'erfc_f(v0)' },
};

export function unary(runner: GpuRunner, op: UnaryOp, x: View, outDtype: DType): GpuBuffer {
  const type = storageType(x.dtype);
  const entry = UNARY[op];
  const asFloat = type === 'f32' || entry.i === undefined;
  const as: Scalar = asFloat ? 'f32' : 'i32';
  const spec: Spec = {
    name: op,
    expr: asFloat ? entry.f : entry.i!,
    result: entry.result ?? as,
    outType: storageType(outDtype),
    stridedOut: null,
  };
  const out = runner.alloc(numel(x.shape), false);
  dispatch(runner, spec, [{ view: x, type, as }], out, x.shape);
  return out;
}

// ---- binary ---------------------------------------------------------------------------------

const BINARY: Record<BinaryOp, { f: string; i: string; result?: 'bool' }> = {
  add: { f: 'v0 + v1', i: 'v0 + v1' },
  sub: { f: 'v0 - v1', i: 'v0 - v1' },
  mul: { f: 'v0 * v1', i: 'v0 * v1' },
  div: { f: 'v0 / v1', i: 'select(v0 / v1, 0, v1 == 0)' },
  pow: { f: 'pow_f(v0, v1)', i: 'pow_i(v0, v1)' },
  maximum: { f: 'max_f(v0, v1)', i: 'max(v0, v1)' },
  minimum: { f: 'min_f(v0, v1)', i: 'min(v0, v1)' },
  atan2: { f: 'atan2(v0, v1)', i: 'i32(atan2(f32(v0), f32(v1)))' },
  remainder: { f: 'remainder_f(v0, v1)', i: 'remainder_i(v0, v1)' },
  floorDivide: { f: 'floor(v0 / v1)', i: 'floordiv_i(v0, v1)' },
  eq: { f: 'v0 == v1', i: 'v0 == v1', result: 'bool' },
  ne: { f: 'v0 != v1', i: 'v0 != v1', result: 'bool' },
  lt: { f: 'v0 < v1', i: 'v0 < v1', result: 'bool' },
  le: { f: 'v0 <= v1', i: 'v0 <= v1', result: 'bool' },
  gt: { f: 'v0 > v1', i: 'v0 > v1', result: 'bool' },
  ge: { f: 'v0 >= v1', i: 'v0 >= v1', result: 'bool' },
  logicalAnd: { f: 'v0 != 0.0 && v1 != 0.0', i: 'v0 != 0 && v1 != 0', result: 'bool' },
  logicalOr: { f: 'v0 != 0.0 || v1 != 0.0', i: 'v0 != 0 || v1 != 0', result: 'bool' },
  logicalXor: { f: '(v0 != 0.0) != (v1 != 0.0)', i: '(v0 != 0) != (v1 != 0)', result: 'bool' },
  fmod: { f: 'v0 - trunc(v0 / v1) * v1', i: 'select(v0 % v1, 0, v1 == 0)' },
  truncDivide: { f: 'trunc(v0 / v1)', i: 'select(v0 / v1, 0, v1 == 0)' },
  hypot: { f: 'sqrt(v0 * v0 + v1 * v1)', i: 'i32(sqrt(f32(v0 * v0 + v1 * v1)))' },
  copysign: {
    f: 'select(abs(v0), -abs(v0), (bitcast<u32>(v1) >> 31u) == 1u)',
    i: 'select(abs(v0), -abs(v0), v1 < 0)',
  },
  bitwiseAnd: { f: 'f32(i32(v0) & i32(v1))', i: 'v0 & v1' },
  bitwiseOr: { f: 'f32(i32(v0) | i32(v1))', i: 'v0 | v1' },
  bitwiseXor: { f: 'f32(i32(v0) ^ i32(v1))', i: 'v0 ^ v1' },
  leftShift: { f: 'f32(i32(v0) << u32(v1))', i: 'select(v0 << u32(v1), 0, v1 >= 32 || v1 < 0)' },
  rightShift: {
    f: 'f32(i32(v0) >> u32(v1))',
    i: 'select(v0 >> u32(v1), select(0, -1, v0 < 0), v1 >= 32 || v1 < 0)',
  },
};

export function binary(runner: GpuRunner, op: BinaryOp, a: View, b: View, outDtype: DType): GpuBuffer {
  const ta = storageType(a.dtype);
  const tb = storageType(b.dtype);
  const asFloat = ta === 'f32' || tb === 'f32';
  const as: Scalar = asFloat ? 'f32' : 'i32';
  const entry = BINARY[op];
  const spec: Spec = {
    name: op,
    expr: asFloat ? entry.f : entry.i,
    result: entry.result ?? as,
    outType: storageType(outDtype),
    stridedOut: null,
  };
  const out = runner.alloc(numel(a.shape), false);
  dispatch(
    runner,
    spec,
    [
      { view: a, type: ta, as },
      { view: b, type: tb, as },
    ],
    out,
    a.shape,
  );
  return out;
}

export function where(runner: GpuRunner, cond: View, a: View, b: View, outDtype: DType): GpuBuffer {
  const outType = storageType(outDtype);
  const spec: Spec = {
    name: 'where',
    expr: 'select(v2, v1, v0 != 0u)',
    result: outType,
    outType,
    stridedOut: null,
  };
  const out = runner.alloc(numel(a.shape), false);
  dispatch(
    runner,
    spec,
    [
      { view: cond, type: storageType(cond.dtype), as: 'u32' },
      { view: a, type: storageType(a.dtype), as: outType },
      { view: b, type: storageType(b.dtype), as: outType },
    ],
    out,
    a.shape,
  );
  return out;
}

/** A dense copy of a strided view, cast to dtype. */
export function copy(runner: GpuRunner, x: View, dtype: DType): GpuBuffer {
  const type = storageType(x.dtype);
  const outType = storageType(dtype);
  const spec: Spec = { name: 'copy', expr: 'v0', result: type, outType, stridedOut: null };
  const out = runner.alloc(numel(x.shape), false);
  dispatch(runner, spec, [{ view: x, type, as: type }], out, x.shape);
  return out;
}

/** Writes src (viewed at dst's shape) through dst's strides. */
export function copyInto(runner: GpuRunner, dst: View, src: View): void {
  // One buffer cannot be bound for reading and writing in one dispatch: copy an aliased source first.
  let source = src;
  if (src.buffer === dst.buffer) {
    const dense = copy(runner, src, src.dtype);
    source = { ...src, buffer: dense, offset: 0, strides: contiguousStrides(src.shape) };
  }
  const type = storageType(source.dtype);
  const outType = storageType(dst.dtype);
  const spec: Spec = { name: 'copyInto', expr: 'v0', result: type, outType, stridedOut: dst };
  dispatch(runner, spec, [{ view: source, type, as: type }], dst.buffer as GpuBuffer, dst.shape);
  if (source !== src) runner.pool.release(source.buffer as GpuBuffer);
}
