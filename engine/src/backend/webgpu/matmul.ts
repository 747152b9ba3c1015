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

/**
 * `packed`: both operands have unit stride along their rows (K for A, N for B), every other
 * stride and offset a multiple of 4, and N a multiple of 4, so loads and stores move vec4s.
 */
function matmulProgram(type: string, packed: boolean): Program {
  const zero = type === 'f32' ? '0.0' : '0';
  const vec = `vec4<${type}>`;
  const stageA = packed
    ? `for (var l = 0; l < ${(TILE * TK) / 4 / 64}; l = l + 1) {
      let e = t + l * 64;
      let ar = row0 + e / ${TK / 4};
      let ac = k0 + (e % ${TK / 4}) * 4;
      var av = ${vec}(${zero});
      if (ar < M && ac < K) { av = a[(aBase + ar * aSm + ac) / 4]; }
      let at = (e / ${TK / 4}) * ${TK} + (e % ${TK / 4}) * 4;
      As[at] = av.x;
      As[at + 1] = av.y;
      As[at + 2] = av.z;
      As[at + 3] = av.w;
    }`
    : `for (var l = 0; l < ${(TILE * TK) / 64}; l = l + 1) {
      let e = t + l * 64;
      let ar = row0 + e / ${TK};
      let ac = k0 + e % ${TK};
      var av: ${type} = ${zero};
      if (ar < M && ac < K) { av = a[aBase + ar * aSm + ac * aSk]; }
      As[e] = av;
    }`;
  const loadB = packed
    ? `if (br < K && bc < N) { bv = b[(bBase + br * bSk + bc) / 4]; }`
    : `if (br < K) {
        let base = bBase + br * bSk + bc * bSn;
        if (bc < N) { bv.x = b[base]; }
        if (bc + 1 < N) { bv.y = b[base + bSn]; }
        if (bc + 2 < N) { bv.z = b[base + 2 * bSn]; }
        if (bc + 3 < N) { bv.w = b[base + 3 * bSn]; }
      }`;
  const store = packed
    ? `if (c < N) { out[o / 4] = v; }`
    : `if (c < N) { out[o] = v.x; }
    if (c + 1 < N) { out[o + 1] = v.y; }
    if (c + 2 < N) { out[o + 2] = v.z; }
    if (c + 3 < N) { out[o + 3] = v.w; }`;
  const elem = packed ? vec : type;
  return {
    key: `matmul:${type}:${packed ? 'packed' : 'strided'}`,
    workgroupSize: 64,
    wgsl: () => /* wgsl */ `
@group(0) @binding(1) var<storage, read_write> out: array<${elem}>;
@group(0) @binding(2) var<storage, read> a: array<${elem}>;
@group(0) @binding(3) var<storage, read> b: array<${elem}>;
// A's strip as scalars [row][k]; B's as rows of 4-column vectors [k][column / 4].
var<workgroup> As: array<${type}, ${TILE * TK}>;
var<workgroup> Bs: array<${vec}, ${(TK * TILE) / 4}>;
// Uniforms: B, M, K, N, a offset + strides (batch, m, k), b offset + strides (batch, k, n).
@compute @workgroup_size(64) fn main(${MAIN_ARGS}) {
  let M = m(1);
  let K = m(2);
  let N = m(3);
  let aSm = m(6);
  let aSk = m(7);
  let bSk = m(10);
  let bSn = m(11);
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
  var acc0 = ${vec}(${zero});
  var acc1 = ${vec}(${zero});
  var acc2 = ${vec}(${zero});
  var acc3 = ${vec}(${zero});
  for (var k0 = 0; k0 < K; k0 = k0 + ${TK}) {
    // Each invocation stages 8 values of A and 2 vectors (8 values) of B.
    ${stageA}
    for (var l = 0; l < ${(TILE * TK) / 4 / 64}; l = l + 1) {
      let e = t + l * 64;
      let br = k0 + e / ${TILE / 4};
      let bc = col0 + (e % ${TILE / 4}) * 4;
      var bv = ${vec}(${zero});
      ${loadB}
      Bs[e] = bv;
    }
    workgroupBarrier();
    for (var k = 0; k < ${TK}; k = k + 1) {
      let bv = Bs[k * ${TILE / 4} + tx];
      acc0 = acc0 + As[(ty * 4) * ${TK} + k] * bv;
      acc1 = acc1 + As[(ty * 4 + 1) * ${TK} + k] * bv;
      acc2 = acc2 + As[(ty * 4 + 2) * ${TK} + k] * bv;
      acc3 = acc3 + As[(ty * 4 + 3) * ${TK} + k] * bv;
    }
    workgroupBarrier();
  }
  let outBase = batch * M * N;
  let c = col0 + tx * 4;
  let rows = array<${vec}, 4>(acc0, acc1, acc2, acc3);
  for (var i = 0; i < 4; i = i + 1) {
    let r = row0 + ty * 4 + i;
    if (r >= M) { break; }
    let v = rows[i];
    let o = outBase + r * N + c;
    ${store}
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
  const [, aSm, aSk] = a.strides as [number, number, number];
  const [, bSk, bSn] = b.strides as [number, number, number];
  const packed =
    aSk === 1 &&
    bSn === 1 &&
    N % 4 === 0 &&
    [a.offset, a.strides[0]!, aSm, b.offset, b.strides[0]!, bSk].every((v) => v % 4 === 0);
  runner.run(
    matmulProgram(storageType(outDtype), packed),
    [out, a.buffer as GpuBuffer, b.buffer as GpuBuffer],
    meta,
    groups * 64,
  );
  return out;
}
