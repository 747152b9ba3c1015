// argmax/argmin along one dim: a workgroup folds (value, index) pairs of its strip in a tree,
// the first index winning ties and the first NaN counting as the extreme (PyTorch's rule). Long
// dims are split into chunks; a second pass picks the best chunk and gathers its index.
import { numel } from '../../shape.ts';
import type { ArgReduceOp, View } from '../types.ts';
import { gather } from './gather.ts';
import type { GpuBuffer } from './memory.ts';
import { MAIN_ARGS, storageType, type Program } from './program.ts';
import { OFFSET_FN } from './reduce.ts';
import type { GpuRunner } from './runner.ts';

const WG = 64;
const CHUNK = 4096;
const NONE = 2147483647;

function argProgram(op: ArgReduceOp, type: string): Program {
  const better = op === 'argmax' ? '>' : '<';
  const nan = type === 'f32' ? (v: string) => `is_nan(${v})` : () => 'false';
  return {
    key: `arg:${op}:${type}`,
    workgroupSize: WG,
    wgsl: () => /* wgsl */ `
@group(0) @binding(1) var<storage, read_write> index: array<i32>;
@group(0) @binding(2) var<storage, read_write> value: array<${type}>;
@group(0) @binding(3) var<storage, read> x: array<${type}>;
var<workgroup> bestV: array<${type}, ${WG}>;
var<workgroup> bestI: array<i32, ${WG}>;
${OFFSET_FN}
// Does (v2, i2) beat (v1, i1)? Empty slots (index ${NONE}) never win.
fn wins(v1: ${type}, i1: i32, v2: ${type}, i2: i32) -> bool {
  if (i2 == ${NONE}) { return false; }
  if (i1 == ${NONE}) { return true; }
  if (${nan('v1')} || ${nan('v2')}) {
    if (${nan('v1')} && ${nan('v2')}) { return i2 < i1; }
    return ${nan('v2')};
  }
  if (v2 ${better} v1) { return true; }
  return v2 == v1 && i2 < i1;
}
// Uniforms: nOut, size, dimStride, ndimKept, offset, chunks, chunk length, kept shape+strides.
// Workgroup w searches chunk w % chunks of output w / chunks; it writes index[w] and value[w].
@compute @workgroup_size(${WG}) fn main(${MAIN_ARGS}) {
  let w = i32(wid.x + wid.y * nwg.x);
  let chunks = m(5);
  let o = w / chunks;
  if (o >= m(0)) { return; }
  let base = m(4) + offset_of(o, m(3), 7);
  let start = (w % chunks) * m(6);
  let end = min(start + m(6), m(1));
  var bv = x[base];
  var bi = ${NONE};
  for (var k = start + i32(lid.x); k < end; k = k + ${WG}) {
    let v = x[base + k * m(2)];
    if (wins(bv, bi, v, k)) { bv = v; bi = k; }
  }
  bestV[lid.x] = bv;
  bestI[lid.x] = bi;
  workgroupBarrier();
  for (var s = ${WG / 2}u; s > 0u; s = s >> 1u) {
    if (lid.x < s && wins(bestV[lid.x], bestI[lid.x], bestV[lid.x + s], bestI[lid.x + s])) {
      bestV[lid.x] = bestV[lid.x + s];
      bestI[lid.x] = bestI[lid.x + s];
    }
    workgroupBarrier();
  }
  if (lid.x == 0u) {
    index[w] = select(bestI[0], 0, bestI[0] == ${NONE});
    value[w] = bestV[0];
  }
}`,
  };
}

export function argReduce(runner: GpuRunner, op: ArgReduceOp, x: View, dim: number): GpuBuffer {
  const others = x.shape.map((_, d) => d).filter((d) => d !== dim);
  const keptShape = others.map((d) => x.shape[d]!);
  const nOut = numel(keptShape);
  const size = x.shape[dim]!;
  const chunks = size > CHUNK ? Math.min(Math.ceil(size / CHUNK), 1024) : 1;
  const chunkLength = Math.ceil(size / chunks);
  const index = runner.alloc(nOut * chunks, false);
  const value = runner.alloc(nOut * chunks, false);
  const meta = [nOut, size, x.strides[dim]!, others.length, x.offset, chunks, chunkLength];
  meta.push(...keptShape, ...others.map((d) => x.strides[d]!));
  const type = storageType(x.dtype);
  runner.run(argProgram(op, type), [index, value, x.buffer as GpuBuffer], meta, nOut * chunks * WG);
  if (chunks === 1) {
    runner.pool.release(value);
    return index;
  }
  // The best chunk of each output (its first, on ties), then the index found in that chunk.
  const partial = (buffer: GpuBuffer, dtype: View['dtype']): View => ({
    buffer,
    dtype,
    shape: [nOut, chunks],
    strides: [chunks, 1],
    offset: 0,
  });
  const values = partial(value, x.dtype);
  const bestChunk = argReduce(runner, op, values, 1);
  const picked = gather(runner, partial(index, 'int32'), 1, {
    buffer: bestChunk,
    dtype: 'int32',
    shape: [nOut, 1],
    strides: [1, 1],
    offset: 0,
  });
  for (const b of [bestChunk, index, value]) runner.pool.release(b);
  return picked;
}
