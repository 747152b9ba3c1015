// Batched matmul: each workgroup of 8×8 invocations computes a 32×32 tile of the output, each
// invocation a 4×4 block, staging 32×16 strips of A and 16×32 strips of B in workgroup memory.
// Operands are read through their strides, so transposed views need no copy.
import type { DType } from '../../dtype.ts';
import type { View } from '../types.ts';
import type { GpuBuffer } from './memory.ts';
import { MAIN_ARGS, storageType, type Program } from './program.ts';
import type { GpuRunner } from './runner.ts';

const TILE = 32;
const TK = 16;

function matmulProgram(type: string): Program {
  const zero = type === 'f32' ? '0.0' : '0';
  return {
    key: `matmul:${type}`,
    workgroupSize: 64,
    wgsl: () => /* wgsl */ `
@group(0) @binding(1) var<storage, read_write> out: array<${type}>;
@group(0) @binding(2) var<storage, read> a: array<${type}>;
@group(0) @binding(3) var<storage, read> b: array<${type}>;
var<workgroup> As: array<${type}, ${TILE * TK}>;
var<workgroup> Bs: array<${type}, ${TK * TILE}>;
// Uniforms: B, M, K, N, a offset + strides (batch, m, k), b offset + strides (batch, k, n).
@compute @workgroup_size(64) fn main(${MAIN_ARGS}) {
  let M = m(1);
  let K = m(2);
  let N = m(3);
  let tilesN = (N + ${TILE - 1}) / ${TILE};
  let tilesM = (M + ${TILE - 1}) / ${TILE};
  let wg = i32(wid.x + wid.y * nwg.x);
  let batch = wg / (tilesM * tilesN);
  if (batch >= m(0)) { return; }
  let rest = wg % (tilesM * tilesN);
  let row0 = (rest / tilesN) * ${TILE};
  let col0 = (rest % tilesN) * ${TILE};
  let t = i32(lid.x);
  let tx = t % 8;
  let ty = t / 8;
  let aBase = m(4) + batch * m(5);
  let bBase = m(8) + batch * m(9);
  var acc: array<${type}, 16>;
  for (var q = 0; q < 16; q = q + 1) { acc[q] = ${zero}; }
  for (var k0 = 0; k0 < K; k0 = k0 + ${TK}) {
    for (var l = 0; l < ${(TILE * TK) / 64}; l = l + 1) {
      let e = t + l * 64;
      let ar = row0 + e / ${TK};
      let ac = k0 + e % ${TK};
      var av: ${type} = ${zero};
      if (ar < M && ac < K) { av = a[aBase + ar * m(6) + ac * m(7)]; }
      As[e] = av;
      let br = k0 + e / ${TILE};
      let bc = col0 + e % ${TILE};
      var bv: ${type} = ${zero};
      if (br < K && bc < N) { bv = b[bBase + br * m(10) + bc * m(11)]; }
      Bs[e] = bv;
    }
    workgroupBarrier();
    for (var k = 0; k < ${TK}; k = k + 1) {
      let a0 = As[(ty * 4) * ${TK} + k];
      let a1 = As[(ty * 4 + 1) * ${TK} + k];
      let a2 = As[(ty * 4 + 2) * ${TK} + k];
      let a3 = As[(ty * 4 + 3) * ${TK} + k];
      for (var j = 0; j < 4; j = j + 1) {
        let bv = Bs[k * ${TILE} + tx * 4 + j];
        acc[j] = acc[j] + a0 * bv;
        acc[4 + j] = acc[4 + j] + a1 * bv;
        acc[8 + j] = acc[8 + j] + a2 * bv;
        acc[12 + j] = acc[12 + j] + a3 * bv;
      }
    }
    workgroupBarrier();
  }
  let outBase = batch * M * N;
  for (var i = 0; i < 4; i = i + 1) {
    let r = row0 + ty * 4 + i;
    if (r >= M) { break; }
    for (var j = 0; j < 4; j = j + 1) {
      let c = col0 + tx * 4 + j;
      if (c < N) { out[outBase + r * N + c] = acc[i * 4 + j]; }
    }
  }
}`,
  };
}

export function matmul(runner: GpuRunner, a: View, b: View, outDtype: DType): GpuBuffer {
  const [B, M, K] = a.shape as [number, number, number];
  const N = b.shape[2]!;
  const out = runner.alloc(B * M * N, K === 0);
  if (K === 0) return out;
  const groups = B * Math.ceil(M / TILE) * Math.ceil(N / TILE);
  const meta = [B, M, K, N, a.offset, ...a.strides, b.offset, ...b.strides];
  runner.run(
    matmulProgram(storageType(outDtype)),
    [out, a.buffer as GpuBuffer, b.buffer as GpuBuffer],
    meta,
    groups * 64,
  );
  return out;
}
