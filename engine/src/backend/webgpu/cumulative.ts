// cumsum/cumprod along one dim as a blocked scan: each invocation scans one block of a line
// (at most BLOCK values: llvmpipe stops loops at 65,535 iterations), the block totals of each
// line are scanned, and every block after the first is offset by the blocks before it.
import type { DType } from '../../dtype.ts';
import { numel } from '../../shape.ts';
import type { CumulativeOp, View } from '../types.ts';
import type { GpuBuffer } from './memory.ts';
import { convert, linearIndex, MAIN_ARGS, storageType, type Program } from './program.ts';
import { OFFSET_FN } from './reduce.ts';
import type { GpuRunner } from './runner.ts';

const WG = 64;
const BLOCK = 1024;

const opOf = (op: CumulativeOp): string => (op === 'cumsum' ? '+' : '*');
const identityOf = (op: CumulativeOp, type: string): string =>
  convert(op === 'cumsum' ? '0' : '1', 'i32', type);

// Uniforms shared by the passes: lines, size, x dim stride, out dim stride, ndimKept, x offset,
// blocks per line, then kept shape + x strides, kept shape + out strides.
const LINE_BASES = /* wgsl */ `
fn x_base(line: i32) -> i32 { return m(5) + offset_of(line, m(4), 7); }
fn out_base(line: i32) -> i32 { return offset_of(line, m(4), 7 + 2 * m(4)); }`;

function blockScan(op: CumulativeOp, inType: string, type: string): Program {
  return {
    key: `cum:block:${op}:${inType}:${type}`,
    workgroupSize: WG,
    wgsl: () => /* wgsl */ `
@group(0) @binding(1) var<storage, read_write> out: array<${type}>;
@group(0) @binding(2) var<storage, read_write> totals: array<${type}>;
@group(0) @binding(3) var<storage, read> x: array<${inType}>;
${OFFSET_FN}
${LINE_BASES}
@compute @workgroup_size(${WG}) fn main(${MAIN_ARGS}) {
  let id = ${linearIndex(WG)};
  let blocks = m(6);
  if (id >= m(0) * blocks) { return; }
  let line = id / blocks;
  let start = (id % blocks) * ${BLOCK};
  let end = min(start + ${BLOCK}, m(1));
  let xb = x_base(line);
  let ob = out_base(line);
  var acc: ${type} = ${identityOf(op, type)};
  for (var k = start; k < end; k = k + 1) {
    acc = acc ${opOf(op)} ${convert('x[xb + k * m(2)]', inType, type)};
    out[ob + k * m(3)] = acc;
  }
  totals[id] = acc;
}`,
  };
}

/** Turns each line's block totals into the running total before each block (in place). */
function totalsScan(op: CumulativeOp, type: string): Program {
  return {
    key: `cum:totals:${op}:${type}`,
    workgroupSize: WG,
    wgsl: () => /* wgsl */ `
@group(0) @binding(1) var<storage, read_write> totals: array<${type}>;
@compute @workgroup_size(${WG}) fn main(${MAIN_ARGS}) {
  let line = ${linearIndex(WG)};
  if (line >= m(0)) { return; }
  let blocks = m(6);
  var acc: ${type} = ${identityOf(op, type)};
  for (var b = 0; b < blocks; b = b + 1) {
    let t = totals[line * blocks + b];
    totals[line * blocks + b] = acc;
    acc = acc ${opOf(op)} t;
  }
}`,
  };
}

function addPrefix(op: CumulativeOp, type: string): Program {
  return {
    key: `cum:prefix:${op}:${type}`,
    workgroupSize: WG,
    wgsl: () => /* wgsl */ `
@group(0) @binding(1) var<storage, read_write> out: array<${type}>;
@group(0) @binding(2) var<storage, read> totals: array<${type}>;
${OFFSET_FN}
${LINE_BASES}
@compute @workgroup_size(${WG}) fn main(${MAIN_ARGS}) {
  let id = ${linearIndex(WG)};
  if (id >= m(0) * m(1)) { return; }
  let line = id / m(1);
  let k = id % m(1);
  if (k < ${BLOCK}) { return; }
  let o = out_base(line) + k * m(3);
  out[o] = totals[line * m(6) + k / ${BLOCK}] ${opOf(op)} out[o];
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
  const lines = numel(keptShape);
  const size = x.shape[dim]!;
  const blocks = Math.max(1, Math.ceil(size / BLOCK));
  const type = storageType(outDtype);
  const out = runner.alloc(numel(x.shape), false);
  const totals = runner.alloc(lines * blocks, false);
  const meta = [lines, size, x.strides[dim]!, outStrides[dim]!, others.length, x.offset, blocks];
  meta.push(
    ...keptShape,
    ...others.map((d) => x.strides[d]!),
    ...keptShape,
    ...others.map((d) => outStrides[d]!),
  );
  runner.run(
    blockScan(op, storageType(x.dtype), type),
    [out, totals, x.buffer as GpuBuffer],
    meta,
    lines * blocks,
  );
  if (blocks > 1) {
    runner.run(totalsScan(op, type), [totals], meta, lines);
    runner.run(addPrefix(op, type), [out, totals], meta, lines * size);
  }
  runner.pool.release(totals);
  return out;
}
