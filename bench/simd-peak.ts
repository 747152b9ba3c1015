// The machine's WebAssembly SIMD128 peak, measured in the same run: a multiply-add microkernel
// (f32x4.mul then f32x4.add: WASM SIMD128 has no fused multiply-add) over 12 independent
// accumulators, so the loop is bound by issue width, not by latency. Each case's share of this
// peak says how close it is to what WASM can do on this CPU.
import initWabt from 'wabt';
import { time } from './harness.ts';

const ACCUMULATORS = 12;

function wat(): string {
  const locals = Array.from({ length: ACCUMULATORS }, (_, i) => `(local $a${i} v128)`).join(' ');
  const init = Array.from(
    { length: ACCUMULATORS },
    (_, i) => `(local.set $a${i} (f32x4.splat (f32.const ${i + 1})))`,
  ).join('\n');
  const body = Array.from(
    { length: ACCUMULATORS },
    (_, i) => `(local.set $a${i} (f32x4.add (f32x4.mul (local.get $a${i}) (local.get $k)) (local.get $c)))`,
  ).join('\n');
  const sum = Array.from({ length: ACCUMULATORS - 1 }, () => 'f32x4.add').reduce(
    (acc, _op, i) => `(f32x4.add ${acc} (local.get $a${i + 1}))`,
    '(local.get $a0)',
  );
  return `(module
  (func (export "peak") (param $n i32) (result f32)
    (local $k v128) (local $c v128) ${locals}
    (local.set $k (f32x4.splat (f32.const 0.999)))
    (local.set $c (f32x4.splat (f32.const 0.001)))
    ${init}
    (block $done (loop $next
      ${body}
      (local.set $n (i32.sub (local.get $n) (i32.const 1)))
      (br_if $next (i32.gt_s (local.get $n) (i32.const 0)))))
    (f32x4.extract_lane 0 ${sum})))`;
}

/** GFLOP/s of one thread issuing SIMD128 multiplies and adds. */
export async function simdPeak(quick: boolean): Promise<number> {
  const wabt = await initWabt();
  const parsed = wabt.parseWat('peak.wat', wat(), { simd: true });
  const { buffer } = parsed.toBinary({});
  const instance = new WebAssembly.Instance(new WebAssembly.Module(new Uint8Array(buffer)));
  const peak = instance.exports.peak as (n: number) => number;
  const iterations = 1_000_000;
  const seconds = time(() => void peak(iterations), { minSeconds: quick ? 0.5 : 1.5, runs: 3 });
  // Per iteration: ACCUMULATORS × 4 lanes × (one multiply + one add).
  return (iterations * ACCUMULATORS * 4 * 2) / seconds / 1e9;
}
