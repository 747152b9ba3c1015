// Reductions: one workgroup per output element folds its strip of the input in a tree (sum,
// prod, max, min); argmax/argmin and cumulative sums walk one line per invocation.
import type { DType } from '../../dtype.ts';
import { numel } from '../../shape.ts';
import type { ArgReduceOp, CumulativeOp, ReduceOp, View } from '../types.ts';
import type { GpuBuffer } from './memory.ts';
import { convert, linearIndex, MAIN_ARGS, storageType, type Program } from './program.ts';
import type { GpuRunner } from './runner.ts';

const WG = 64;

function identity(op: ReduceOp, t: string): string {
  if (op === 'sum') return t === 'f32' ? '0.0' : t === 'i32' ? '0' : '0u';
  if (op === 'prod') return t === 'f32' ? '1.0' : t === 'i32' ? '1' : '1u';
  const max = op === 'max';
  if (t === 'f32') return max ? '-inf()' : 'inf()';
  if (t === 'i32') return max ? '(-2147483647 - 1)' : '2147483647';
  return max ? '0u' : '4294967295u';
}

function combine(op: ReduceOp, t: string, a: string, b: string): string {
  if (op === 'sum') return `${a} + ${b}`;
  if (op === 'prod') return `${a} * ${b}`;
  if (t === 'f32') return `${op}_f(${a}, ${b})`;
  return `${op}(${a}, ${b})`;
}

/** Splits the view's dims into kept (output) and reduced ones: [shape, strides] of each. */
function splitDims(x: View, reduced: readonly number[]): { kept: number[][]; red: number[][] } {
  const kept: number[][] = [[], []];
  const red: number[][] = [[], []];
  x.shape.forEach((size, d) => {
    const target = reduced.includes(d) ? red : kept;
    target[0]!.push(size);
    target[1]!.push(x.strides[d]!);
  });
  return { kept, red };
}

// Walks a coordinate `idx` over `nd` dims whose shapes start at slot s and strides at s + nd.
const OFFSET_FN = /* wgsl */ `
fn offset_of(idx: i32, nd: i32, s: i32) -> i32 {
  var rem = idx;
  var o = 0;
  for (var d = nd - 1; d >= 0; d = d - 1) {
    let size = m(s + d);
    o = o + (rem % size) * m(s + nd + d);
    rem = rem / size;
  }
  return o;
}`;

function reduceProgram(op: ReduceOp, inType: string, accType: string, outType: string): Program {
  return {
    key: `reduce:${op}:${inType}:${accType}:${outType}`,
    workgroupSize: WG,
    wgsl: () => /* wgsl */ `
@group(0) @binding(1) var<storage, read_write> out: array<${outType}>;
@group(0) @binding(2) var<storage, read> x: array<${inType}>;
var<workgroup> part: array<${accType}, ${WG}>;
${OFFSET_FN}
// Uniforms: nOut, nRed, ndimKept, ndimRed, offset, kept shape+strides, reduced shape+strides.
@compute @workgroup_size(${WG}) fn main(${MAIN_ARGS}) {
  let o = i32(wid.x + wid.y * nwg.x);
  if (o >= m(0)) { return; }
  let nk = m(2);
  let nr = m(3);
  let base = m(4) + offset_of(o, nk, 5);
  var acc: ${accType} = ${identity(op, accType)};
  for (var j = i32(lid.x); j < m(1); j = j + ${WG}) {
    let v = ${convert('x[base + offset_of(j, nr, 5 + 2 * nk)]', inType, accType)};
    acc = ${combine(op, accType, 'acc', 'v')};
  }
  part[lid.x] = acc;
  workgroupBarrier();
  for (var s = ${WG / 2}u; s > 0u; s = s >> 1u) {
    if (lid.x < s) { part[lid.x] = ${combine(op, accType, 'part[lid.x]', 'part[lid.x + s]')}; }
    workgroupBarrier();
  }
  if (lid.x == 0u) { out[o] = ${convert('part[0]', accType, outType)}; }
}`,
  };
}

export function reduce(
  runner: GpuRunner,
  op: ReduceOp,
  x: View,
  dims: readonly number[],
  outDtype: DType,
): GpuBuffer {
  const { kept, red } = splitDims(x, dims);
  const nOut = numel(kept[0]!);
  const nRed = numel(red[0]!);
  const inType = storageType(x.dtype);
  const outType = storageType(outDtype);
  // Sums of bools count in i32; everything else accumulates in the output's type.
  const accType = outType;
  const out = runner.alloc(nOut, false);
  const meta = [
    nOut,
    nRed,
    kept[0]!.length,
    red[0]!.length,
    x.offset,
    ...kept[0]!,
    ...kept[1]!,
    ...red[0]!,
    ...red[1]!,
  ];
  // The early return above is uniform per workgroup (it depends on the workgroup id only).
  runner.run(reduceProgram(op, inType, accType, outType), [out, x.buffer as GpuBuffer], meta, nOut * WG);
  return out;
}

function argProgram(op: ArgReduceOp, inType: string): Program {
  const better = op === 'argmax' ? '>' : '<';
  const isNan = inType === 'f32' ? 'is_nan(v)' : 'false';
  return {
    key: `arg:${op}:${inType}`,
    workgroupSize: WG,
    wgsl: () => /* wgsl */ `
@group(0) @binding(1) var<storage, read_write> out: array<i32>;
@group(0) @binding(2) var<storage, read> x: array<${inType}>;
${OFFSET_FN}
// Uniforms: nOut, size, dimStride, ndimKept, offset, kept shape+strides.
@compute @workgroup_size(${WG}) fn main(${MAIN_ARGS}) {
  let o = ${linearIndex(WG)};
  if (o >= m(0)) { return; }
  let base = m(4) + offset_of(o, m(3), 5);
  var best = x[base];
  var at = 0;
  // The first NaN is the extreme, as in PyTorch.
  for (var k = 0; k < m(1); k = k + 1) {
    let v = x[base + k * m(2)];
    if (${isNan}) { at = k; break; }
    if (k == 0 || v ${better} best) { best = v; at = k; }
  }
  out[o] = at;
}`,
  };
}

export function argReduce(runner: GpuRunner, op: ArgReduceOp, x: View, dim: number): GpuBuffer {
  const others = x.shape.map((_, d) => d).filter((d) => d !== dim);
  const keptShape = others.map((d) => x.shape[d]!);
  const nOut = numel(keptShape);
  const out = runner.alloc(nOut, false);
  const meta = [
    nOut,
    x.shape[dim]!,
    x.strides[dim]!,
    others.length,
    x.offset,
    ...keptShape,
    ...others.map((d) => x.strides[d]!),
  ];
  runner.run(argProgram(op, storageType(x.dtype)), [out, x.buffer as GpuBuffer], meta, nOut);
  return out;
}

function cumulativeProgram(op: CumulativeOp, inType: string, outType: string): Program {
  return {
    key: `cum:${op}:${inType}:${outType}`,
    workgroupSize: WG,
    wgsl: () => /* wgsl */ `
@group(0) @binding(1) var<storage, read_write> out: array<${outType}>;
@group(0) @binding(2) var<storage, read> x: array<${inType}>;
${OFFSET_FN}
// Uniforms: nLines, size, xDimStride, outDimStride, ndimKept, offset, kept shape + x strides, kept shape + out strides.
@compute @workgroup_size(${WG}) fn main(${MAIN_ARGS}) {
  let line = ${linearIndex(WG)};
  if (line >= m(0)) { return; }
  let nk = m(4);
  let xb = m(5) + offset_of(line, nk, 6);
  let ob = offset_of(line, nk, 6 + 2 * nk);
  var acc: ${outType} = ${op === 'cumsum' ? convert('0', 'i32', outType) : convert('1', 'i32', outType)};
  for (var k = 0; k < m(1); k = k + 1) {
    let v = ${convert('x[xb + k * m(2)]', inType, outType)};
    acc = acc ${op === 'cumsum' ? '+' : '*'} v;
    out[ob + k * m(3)] = acc;
  }
}`,
  };
}

export function cumulative(
  runner: GpuRunner,
  op: CumulativeOp,
  x: View,
  dim: number,
  outDtype: DType,
): GpuBuffer {
  const others = x.shape.map((_, d) => d).filter((d) => d !== dim);
  const keptShape = others.map((d) => x.shape[d]!);
  const outStrides = x.shape.map((_, d) => numel(x.shape.slice(d + 1)));
  const nLines = numel(keptShape);
  const out = runner.alloc(numel(x.shape), false);
  const meta = [
    nLines,
    x.shape[dim]!,
    x.strides[dim]!,
    outStrides[dim]!,
    others.length,
    x.offset,
    ...keptShape,
    ...others.map((d) => x.strides[d]!),
    ...keptShape,
    ...others.map((d) => outStrides[d]!),
  ];
  runner.run(
    cumulativeProgram(op, storageType(x.dtype), storageType(outDtype)),
    [out, x.buffer as GpuBuffer],
    meta,
    nLines,
  );
  return out;
}
