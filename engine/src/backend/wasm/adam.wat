;; One Adam/AdamW step over n float32 values with WebAssembly SIMD128, four lanes at a time.
;; p, g, m, v are byte offsets of the parameter, gradient and the two moment buffers (n padded
;; to a multiple of 4). Each f32x4 operation rounds to float32 exactly as the composed tensor
;; ops do, so the result is bit-identical to them. Flags: 1 maximize, 2 decoupled weight decay
;; (AdamW: p ← p·decay first), 4 coupled weight decay (g ← g + p·wd). The memory is imported: one
;; for copies in and out, or a parameter's own that holds its moments for good (adam.ts).
;; variant: shared (build-wasm.mjs also emits it importing a shared memory: the arena, arena.ts)
(module
  (import "env" "memory" (memory 1))
  (export "memory" (memory 0))
  (func (export "adam")
    (param $p i32) (param $g i32) (param $m i32) (param $v i32) (param $n i32) (param $flags i32)
    (param $b1 f32) (param $c1 f32) (param $b2 f32) (param $c2 f32)
    (param $bc2 f32) (param $eps f32) (param $step f32) (param $decay f32) (param $wd f32)
    (local $i i32) (local $end i32)
    (local $vb1 v128) (local $vc1 v128) (local $vb2 v128) (local $vc2 v128)
    (local $vbc2 v128) (local $veps v128) (local $vstep v128) (local $vdecay v128) (local $vwd v128)
    (local $gv v128) (local $pv v128) (local $mv v128) (local $vv v128)
    (local.set $vb1 (f32x4.splat (local.get $b1)))
    (local.set $vc1 (f32x4.splat (local.get $c1)))
    (local.set $vb2 (f32x4.splat (local.get $b2)))
    (local.set $vc2 (f32x4.splat (local.get $c2)))
    (local.set $vbc2 (f32x4.splat (local.get $bc2)))
    (local.set $veps (f32x4.splat (local.get $eps)))
    (local.set $vstep (f32x4.splat (local.get $step)))
    (local.set $vdecay (f32x4.splat (local.get $decay)))
    (local.set $vwd (f32x4.splat (local.get $wd)))
    (local.set $end (i32.shl (local.get $n) (i32.const 2)))
    (block $done
      (loop $lanes
        (br_if $done (i32.ge_u (local.get $i) (local.get $end)))
        (local.set $gv (v128.load (i32.add (local.get $g) (local.get $i))))
        (local.set $pv (v128.load (i32.add (local.get $p) (local.get $i))))
        (if (i32.and (local.get $flags) (i32.const 1))
          (then (local.set $gv (f32x4.neg (local.get $gv)))))
        (if (i32.and (local.get $flags) (i32.const 2))
          (then (local.set $pv (f32x4.mul (local.get $pv) (local.get $vdecay)))))
        (if (i32.and (local.get $flags) (i32.const 4))
          (then (local.set $gv (f32x4.add (local.get $gv) (f32x4.mul (local.get $pv) (local.get $vwd))))))
        (local.set $mv
          (f32x4.add
            (f32x4.mul (v128.load (i32.add (local.get $m) (local.get $i))) (local.get $vb1))
            (f32x4.mul (local.get $gv) (local.get $vc1))))
        (local.set $vv
          (f32x4.add
            (f32x4.mul (v128.load (i32.add (local.get $v) (local.get $i))) (local.get $vb2))
            (f32x4.mul (f32x4.mul (local.get $gv) (local.get $gv)) (local.get $vc2))))
        (v128.store (i32.add (local.get $m) (local.get $i)) (local.get $mv))
        (v128.store (i32.add (local.get $v) (local.get $i)) (local.get $vv))
        (v128.store (i32.add (local.get $p) (local.get $i))
          (f32x4.add (local.get $pv)
            (f32x4.mul
              (f32x4.div (local.get $mv)
                (f32x4.add (f32x4.div (f32x4.sqrt (local.get $vv)) (local.get $vbc2)) (local.get $veps)))
              (local.get $vstep))))
        (local.set $i (i32.add (local.get $i) (i32.const 16)))
        (br $lanes)))))
