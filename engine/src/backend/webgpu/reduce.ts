// Reductions (sum, prod, max, min): one workgroup per output element folds its strip of the input
// in a tree; long strips are split into chunks across workgroups and folded twice. No
// invocation loops more than a few thousand times (Mesa's llvmpipe stops loops at 65,535).
import type { DType } from '../../dtype.ts';
import { numel } from '../../shape.ts';
import type { ReduceOp, View } from '../types.ts';
import type { GpuBuffer } from './memory.ts';
import { convert, MAIN_ARGS, storageType, type Program } from './program.ts';
import type { GpuRunner } from './runner.ts';

const WG = 64;
/** Values one workgroup folds before a reduction is split across workgroups. */
const CHUNK = 4096;

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
export const OFFSET_FN = /* wgsl */ `
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
// Uniforms: nOut, nRed, ndimKept, ndimRed, offset, chunks, chunk length, kept shape+strides,
// reduced shape+strides. Workgroup w folds chunk w % chunks of output w / chunks into out[w].
@compute @workgroup_size(${WG}) fn main(${MAIN_ARGS}) {
  let w = i32(wid.x + wid.y * nwg.x);
  let chunks = m(5);
  let o = w / chunks;
  if (o >= m(0)) { return; }
  let nk = m(2);
  let nr = m(3);
  let base = m(4) + offset_of(o, nk, 7);
  let start = (w % chunks) * m(6);
  let end = min(start + m(6), m(1));
  var acc: ${accType} = ${identity(op, accType)};
  for (var j = start + i32(lid.x); j < end; j = j + ${WG}) {
    let v = ${convert('x[base + offset_of(j, nr, 7 + 2 * nk)]', inType, accType)};
    acc = ${combine(op, accType, 'acc', 'v')};
  }
  part[lid.x] = acc;
  workgroupBarrier();
  for (var s = ${WG / 2}u; s > 0u; s = s >> 1u) {
    if (lid.x < s) { part[lid.x] = ${combine(op, accType, 'part[lid.x]', 'part[lid.x + s]')}; }
    workgroupBarrier();
  }
  if (lid.x == 0u) { out[w] = ${convert('part[0]', accType, outType)}; }
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
  // Long reductions into few outputs are split into chunks folded by separate workgroups, then
  // the partial results are folded again: a GPU keeps all its cores busy on a full sum.
  const chunks = nOut < 256 && nRed > CHUNK ? Math.min(Math.ceil(nRed / CHUNK), 1024) : 1;
  const chunkLength = Math.ceil(nRed / chunks);
  const out = runner.alloc(nOut * chunks, false);
  const meta = [nOut, nRed, kept[0]!.length, red[0]!.length, x.offset, chunks, chunkLength];
  meta.push(...kept[0]!, ...kept[1]!, ...red[0]!, ...red[1]!);
  // The early return above is uniform per workgroup (it depends on the workgroup id only).
  runner.run(
    reduceProgram(op, inType, accType, outType),
    [out, x.buffer as GpuBuffer],
    meta,
    nOut * chunks * WG,
  );
  if (chunks === 1) return out;
  const partials: View = {
    buffer: out,
    dtype: outDtype,
    shape: [nOut, chunks],
    strides: [chunks, 1],
    offset: 0,
  };
  const folded = reduce(runner, op, partials, [1], outDtype);
  runner.pool.release(out);
  return folded;
}
