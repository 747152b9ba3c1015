import initWabt from 'wabt';
const wabt = await initWabt();
const N = Number(process.argv[3] ?? 12);
const mode = process.argv[2];
const locals = Array.from({ length: N }, (_, i) => `(local $a${i} v128)`).join(' ');
const init = Array.from({ length: N }, (_, i) => `(local.set $a${i} (f32x4.splat (f32.const ${i + 1})))`).join('\n');
const op = (i) => {
  const m = `(v128.load offset=${16 * i} (i32.const 0))`;
  if (mode === 'fma') return `(local.set $a${i} (f32x4.relaxed_madd ${m} (local.get $k) (local.get $a${i})))`;
  if (mode === 'load') return `(local.set $a${i} (f32x4.add (local.get $a${i}) (f32x4.mul ${m} (local.get $k))))`;
  return `(local.set $a${i} (f32x4.add (f32x4.mul (local.get $a${i}) (local.get $k)) (local.get $c)))`;
};
const body = Array.from({ length: N }, (_, i) => op(i)).join('\n');
const sum = Array.from({ length: N - 1 }).reduce((acc, _o, i) => `(f32x4.add ${acc} (local.get $a${i + 1}))`, '(local.get $a0)');
const wat = `(module (memory 1) (func (export "peak") (param $n i32) (result f32) (local $k v128) (local $c v128) ${locals}
 (local.set $k (f32x4.splat (f32.const 0.999))) (local.set $c (f32x4.splat (f32.const 0.001))) ${init}
 (block $done (loop $next ${body} (local.set $n (i32.sub (local.get $n) (i32.const 1))) (br_if $next (i32.gt_s (local.get $n) (i32.const 0)))))
 (f32x4.extract_lane 0 ${sum})))`;
const p = wabt.parseWat('p.wat', wat, { simd: true, relaxed_simd: true });
const { buffer } = p.toBinary({});
const inst = new WebAssembly.Instance(new WebAssembly.Module(buffer));
const f = inst.exports.peak;
f(1e6);
let best = Infinity;
for (let r = 0; r < 5; r++) { const t = performance.now(); f(1e7); best = Math.min(best, (performance.now() - t) / 1e3); }
console.log(mode, N, (1e7 * N * 8 / best / 1e9).toFixed(1), 'GFLOP/s');
