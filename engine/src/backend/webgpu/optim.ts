// One-pass optimizer updates on the GPU (one dispatch per parameter instead of a dozen), with
// the same float32 operation order as the CPU's fused updates (optim/fused.ts). Hyperparameters
// travel in the uniform block as f32 bits, so a changing learning rate uploads nothing.
import type { View } from '../types.ts';
import type { GpuBuffer } from './memory.ts';
import { linearIndex, MAIN_ARGS, type Program } from './program.ts';
import type { GpuRunner } from './runner.ts';

export type OptimizerKind = 'adam' | 'sgd';

const WG = 64;

const ADAM = /* wgsl */ `
  var g = grad[m(5) + i];
  if ((flags & 1) != 0) { g = -g; }
  var param = p[m(2) + i];
  if ((flags & 2) != 0) { param = param * h(14); } else if ((flags & 4) != 0) { g = g + param * h(15); }
  let mv = s1[m(3) + i] * h(7) + g * h(8);
  let vv = s2[m(4) + i] * h(9) + (g * g) * h(10);
  let denom = sqrt(vv) / h(11) + h(12);
  s1[m(3) + i] = mv;
  s2[m(4) + i] = vv;
  p[m(2) + i] = param + (mv / denom) * h(13);`;

const SGD = /* wgsl */ `
  _ = s2[0]; // bound for a layout shared with Adam; SGD has no second state
  var d = grad[m(5) + i];
  if ((flags & 1) != 0) { d = -d; }
  let param = p[m(2) + i];
  if ((flags & 4) != 0) { d = d + param * h(7); }
  if ((flags & 8) != 0) {
    let b = s1[m(3) + i] * h(8) + select(d * h(9), d, (flags & 16) != 0);
    s1[m(3) + i] = b;
    d = select(b, d + b * h(8), (flags & 32) != 0);
  }
  p[m(2) + i] = param + d * h(10);`;

function program(kind: OptimizerKind): Program {
  return {
    key: `optim:${kind}`,
    workgroupSize: WG,
    wgsl: () => /* wgsl */ `
@group(0) @binding(1) var<storage, read_write> p: array<f32>;
@group(0) @binding(2) var<storage, read_write> s1: array<f32>;
@group(0) @binding(3) var<storage, read_write> s2: array<f32>;
@group(0) @binding(4) var<storage, read> grad: array<f32>;
fn h(k: i32) -> f32 { return bitcast<f32>(m(k)); }
// Uniforms: n, flags, offsets of p, s1, s2, grad, unused, then the hyperparameters (f32 bits).
@compute @workgroup_size(${WG}) fn main(${MAIN_ARGS}) {
  let i = ${linearIndex(WG)};
  if (i >= m(0)) { return; }
  let flags = m(1);
  ${kind === 'adam' ? ADAM : SGD}
}`,
  };
}

/** Updates p (and its state s1, s2, where the optimizer has them) from grad, in place. */
export function optimizerStep(
  runner: GpuRunner,
  kind: OptimizerKind,
  [p, grad, s1, s2]: readonly [View, View, View | null, View | null],
  flags: number,
  hyper: readonly number[],
): void {
  const n = p.shape.reduce((a, b) => a * b, 1);
  const bits = Array.from(new Int32Array(Float32Array.from(hyper).buffer));
  const meta = [n, flags, p.offset, s1?.offset ?? 0, s2?.offset ?? 0, grad.offset, 0, ...bits];
  // Absent state binds a scratch buffer: one buffer may not be bound writable twice.
  const buffers = [p.buffer, s1?.buffer ?? runner.scratch(0), s2?.buffer ?? runner.scratch(1), grad.buffer];
  runner.run(program(kind), buffers as GpuBuffer[], meta, n);
}
