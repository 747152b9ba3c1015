// Batched matmul: each workgroup of 8×8 invocations computes a 32×32 tile of the output, each
// invocation a 4×4 block held in four vec4 accumulators. 32×32 strips of A and B are staged in
// workgroup memory as vec4s (A's along K, B's along N), so one step of 4 along K reads 8
// vectors for 16 vector multiply-adds. Operands are read through their strides, so transposed
// views need no copy; dense operands load and store whole vec4s.
import type { DType } from '../../dtype.ts';
import type { View } from '../types.ts';
import type { GpuBuffer } from './memory.ts';
import { MAIN_ARGS, storageType, type Program } from './program.ts';
import type { GpuRunner } from './runner.ts';

const TILE = 32;
const TK = 32;
/** vec4s per staged strip, and per invocation. */
const STRIP = (TILE * TK) / 4;
const PER_THREAD = STRIP / 64;

/**
 * `packed`: both operands have unit stride along their rows (K for A, N for B), every other
 * stride and offset a multiple of 4, and K and N multiples of 4, so loads and stores move vec4s.
 */
function matmulProgram(type: string, packed: boolean): Program {
  const zero = type === 'f32' ? '0.0' : '0';
  const vec = `vec4<${type}>`;
  // Element e of a strip: A's row e / (TK / 4) and K-vector e % (TK / 4); B's K-row e / (TILE / 4)
  // and column-vector e % (TILE / 4).
  const loadA = packed
    ? `if (ar < M && ac < K) { v = a[(aBase + ar * aSm + ac) / 4]; }`
    : `if (ar < M) {
        let base = aBase + ar * aSm + ac * aSk;
        if (ac < K) { v.x = a[base]; }
        if (ac + 1 < K) { v.y = a[base + aSk]; }
        if (ac + 2 < K) { v.z = a[base + 2 * aSk]; }
        if (ac + 3 < K) { v.w = a[base + 3 * aSk]; }
      }`;
  const loadB = packed
    ? `if (br < K && bc < N) { v = b[(bBase + br * bSk + bc) / 4]; }`
    : `if (br < K) {
        let base = bBase + br * bSk + bc * bSn;
        if (bc < N) { v.x = b[base]; }
        if (bc + 1 < N) { v.y = b[base + bSn]; }
        if (bc + 2 < N) { v.z = b[base + 2 * bSn]; }
        if (bc + 3 < N) { v.w = b[base + 3 * bSn]; }
      }`;
  const store = packed
    ? `if (c < N) { out[o / 4] = v; }`
    : `if (c < N) { out[o] = v.x; }
    if (c + 1 < N) { out[o + 1] = v.y; }
    if (c + 2 < N) { out[o + 2] = v.z; }
    if (c + 3 < N) { out[o + 3] = v.w; }`;
  const elem = packed ? vec : type;
  const row = (i: number) => `
      let a${i} = As[(ty * 4 + ${i}) * ${TK / 4} + kk];
      acc${i} = acc${i} + b0 * a${i}.x + b1 * a${i}.y + b2 * a${i}.z + b3 * a${i}.w;`;
  return {
    key: `matmul:${type}:${packed ? 'packed' : 'strided'}`,
    workgroupSize: 64,
    wgsl: () => /* wgsl */ `
@group(0) @binding(1) var<storage, read_write> out: array<${elem}>;
@group(0) @binding(2) var<storage, read> a: array<${elem}>;
@group(0) @binding(3) var<storage, read> b: array<${elem}>;
var<workgroup> As: array<${vec}, ${STRIP}>;
var<workgroup> Bs: array<${vec}, ${STRIP}>;
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
    for (var l = 0; l < ${PER_THREAD}; l = l + 1) {
      let e = t + l * 64;
      let ar = row0 + e / ${TK / 4};
      let ac = k0 + (e % ${TK / 4}) * 4;
      var v = ${vec}(${zero});
      ${loadA}
      As[e] = v;
    }
    for (var l = 0; l < ${PER_THREAD}; l = l + 1) {
      let e = t + l * 64;
      let br = k0 + e / ${TILE / 4};
      let bc = col0 + (e % ${TILE / 4}) * 4;
      var v = ${vec}(${zero});
      ${loadB}
      Bs[e] = v;
    }
    workgroupBarrier();
    for (var kk = 0; kk < ${TK / 4}; kk = kk + 1) {
      let b0 = Bs[(kk * 4) * ${TILE / 4} + tx];
      let b1 = Bs[(kk * 4 + 1) * ${TILE / 4} + tx];
      let b2 = Bs[(kk * 4 + 2) * ${TILE / 4} + tx];
      let b3 = Bs[(kk * 4 + 3) * ${TILE / 4} + tx];${row(0)}${row(1)}${row(2)}${row(3)}
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
    K % 4 === 0 &&
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
