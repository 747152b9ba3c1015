// gather and scatter along one dim. Scatter-add may hit one element from many invocations
// (an embedding's repeated rows, overlapping convolution windows), so it adds atomically: i32
// with atomicAdd, f32 with a compare-and-swap loop on the value's bits.
import { numel } from '../../shape.ts';
import type { ScatterMode, View } from '../types.ts';
import { copy } from './elementwise.ts';
import type { GpuBuffer } from './memory.ts';
import { linearIndex, MAIN_ARGS, storageType, type Program } from './program.ts';
import type { GpuRunner } from './runner.ts';

const WG = 64;

// Both programs walk position i of the index (its shape at uniform slot 6; ndim and dim in slots
// 1 and 2) and need offsets in up to three stride lists, the last one skipping `dim` (where the
// index value goes instead).
const WALK = /* wgsl */ `
fn walk(i: i32, a: i32, b: i32, c: i32) -> vec3<i32> {
  let nd = m(1);
  let dim = m(2);
  var rem = i;
  var off = vec3<i32>(0, 0, 0);
  for (var d = nd - 1; d >= 0; d = d - 1) {
    let size = m(6 + d);
    let q = rem % size;
    rem = rem / size;
    off.x = off.x + q * m(a + d);
    off.y = off.y + q * m(b + d);
    if (d != dim) { off.z = off.z + q * m(c + d); }
  }
  return off;
}`;

function gatherProgram(type: string): Program {
  return {
    key: `gather:${type}`,
    workgroupSize: WG,
    wgsl: () => /* wgsl */ `
@group(0) @binding(1) var<storage, read_write> out: array<${type}>;
@group(0) @binding(2) var<storage, read> x: array<${type}>;
@group(0) @binding(3) var<storage, read> index: array<i32>;
${WALK}
// Uniforms: n, ndim, dim, index offset, x offset, dim size, then index's shape, index strides, x strides.
@compute @workgroup_size(${WG}) fn main(${MAIN_ARGS}) {
  let i = ${linearIndex(WG)};
  if (i >= m(0)) { return; }
  let nd = m(1);
  let w = walk(i, 6 + nd, 6 + nd, 6 + 2 * nd);
  let io = m(3) + w.x;
  let xo = m(4) + w.z;
  var k = index[io];
  if (k < 0) { k = k + m(5); }
  k = clamp(k, 0, m(5) - 1);
  out[i] = x[xo + k * m(6 + 2 * nd + m(2))];
}`,
  };
}

export function gather(runner: GpuRunner, x: View, dim: number, index: View): GpuBuffer {
  const n = numel(index.shape);
  const out = runner.alloc(n, false);
  const meta = [
    n,
    index.shape.length,
    dim,
    index.offset,
    x.offset,
    x.shape[dim]!,
    ...index.shape,
    ...index.strides,
    ...x.strides,
  ];
  runner.run(
    gatherProgram(storageType(x.dtype)),
    [out, x.buffer as GpuBuffer, index.buffer as GpuBuffer],
    meta,
    n,
  );
  return out;
}

function scatterProgram(type: string, mode: ScatterMode): Program {
  const atomic = mode === 'add';
  const cell = atomic ? `atomic<${type === 'i32' ? 'i32' : 'u32'}>` : type;
  let write: string;
  if (!atomic) write = 'out[o] = v;';
  else if (type === 'i32') write = 'atomicAdd(&out[o], v);';
  else if (type === 'u32') write = 'atomicOr(&out[o], v);';
  else
    write = `loop {
    let old = atomicLoad(&out[o]);
    let next = bitcast<u32>(bitcast<f32>(old) + v);
    if (atomicCompareExchangeWeak(&out[o], old, next).exchanged) { break; }
  }`;
  return {
    key: `scatter:${type}:${mode}`,
    workgroupSize: WG,
    wgsl: () => /* wgsl */ `
@group(0) @binding(1) var<storage, read_write> out: array<${cell}>;
@group(0) @binding(2) var<storage, read> src: array<${type}>;
@group(0) @binding(3) var<storage, read> index: array<i32>;
${WALK}
// Uniforms: n, ndim, dim, index offset, src offset, dim size, index's shape, index strides, src strides, out strides.
@compute @workgroup_size(${WG}) fn main(${MAIN_ARGS}) {
  let i = ${linearIndex(WG)};
  if (i >= m(0)) { return; }
  let nd = m(1);
  let w = walk(i, 6 + nd, 6 + 2 * nd, 6 + 3 * nd);
  let io = m(3) + w.x;
  let so = m(4) + w.y;
  var k = index[io];
  if (k < 0) { k = k + m(5); }
  if (k < 0 || k >= m(5)) { return; }
  let o = w.z + k * m(6 + 3 * nd + m(2));
  let v = src[so];
  ${write}
}`,
  };
}

export function scatter(
  runner: GpuRunner,
  base: View,
  dim: number,
  index: View,
  src: View,
  mode: ScatterMode,
): GpuBuffer {
  const out = copy(runner, base, base.dtype);
  const n = numel(index.shape);
  const outStrides = base.shape.map((_, d) => numel(base.shape.slice(d + 1)));
  const meta = [
    n,
    index.shape.length,
    dim,
    index.offset,
    src.offset,
    base.shape[dim]!,
    ...index.shape,
    ...index.strides,
    ...src.strides,
    ...outStrides,
  ];
  runner.run(
    scatterProgram(storageType(base.dtype), mode),
    [out, src.buffer as GpuBuffer, index.buffer as GpuBuffer],
    meta,
    n,
  );
  return out;
}
