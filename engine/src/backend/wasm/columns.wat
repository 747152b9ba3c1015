;; Convolution's columns over a table of runs (see ops/im2col.ts): each run [e, s, len] copies
;; len consecutive input values from plane position s to column entry e. Four values at a time
;; with SIMD, then one at a time.
;;
;; im2col: for each of `planes` planes of `plane` floats at x, its K·L column entries at out (out
;; is zero where no run writes: the caller clears it).
;; col2im: the adjoint: each column entry added onto its input position, run after run in the
;; table's order (as the TypeScript kernel adds them; out starts at zero). Within a run the
;; positions are distinct, so adding four at a time rounds as adding one at a time does.
(module
  (memory (export "memory") 1)

  (func (export "im2col")
    (param $x i32) (param $runs i32) (param $nruns i32) (param $planes i32) (param $plane i32)
    (param $KL i32) (param $out i32)
    (local $p i32) (local $r i32) (local $from i32) (local $to i32) (local $d i32) (local $s i32)
    (local $end i32) (local $run i32)
    (block $planes_done (loop $planes_loop
      (br_if $planes_done (i32.ge_u (local.get $p) (local.get $planes)))
      (local.set $from (i32.add (local.get $x) (i32.shl (i32.mul (local.get $p) (local.get $plane)) (i32.const 2))))
      (local.set $to (i32.add (local.get $out) (i32.shl (i32.mul (local.get $p) (local.get $KL)) (i32.const 2))))
      (local.set $r (i32.const 0))
      (block $runs_done (loop $runs_loop
        (br_if $runs_done (i32.ge_u (local.get $r) (local.get $nruns)))
        (local.set $run (i32.add (local.get $runs) (i32.mul (local.get $r) (i32.const 12))))
        (local.set $d (i32.add (local.get $to) (i32.shl (i32.load (local.get $run)) (i32.const 2))))
        (local.set $s (i32.add (local.get $from) (i32.shl (i32.load offset=4 (local.get $run)) (i32.const 2))))
        (local.set $end (i32.add (local.get $d) (i32.shl (i32.load offset=8 (local.get $run)) (i32.const 2))))
        (block $vec_done (loop $vec
          (br_if $vec_done (i32.gt_u (i32.add (local.get $d) (i32.const 16)) (local.get $end)))
          (v128.store (local.get $d) (v128.load (local.get $s)))
          (local.set $d (i32.add (local.get $d) (i32.const 16)))
          (local.set $s (i32.add (local.get $s) (i32.const 16)))
          (br $vec)))
        (block $tail_done (loop $tail
          (br_if $tail_done (i32.ge_u (local.get $d) (local.get $end)))
          (f32.store (local.get $d) (f32.load (local.get $s)))
          (local.set $d (i32.add (local.get $d) (i32.const 4)))
          (local.set $s (i32.add (local.get $s) (i32.const 4)))
          (br $tail)))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $runs_loop)))
      (local.set $p (i32.add (local.get $p) (i32.const 1)))
      (br $planes_loop))))

  (func (export "col2im")
    (param $cols i32) (param $runs i32) (param $nruns i32) (param $planes i32) (param $plane i32)
    (param $KL i32) (param $out i32)
    (local $p i32) (local $r i32) (local $from i32) (local $to i32) (local $d i32) (local $s i32)
    (local $end i32) (local $run i32)
    (block $planes_done (loop $planes_loop
      (br_if $planes_done (i32.ge_u (local.get $p) (local.get $planes)))
      (local.set $from (i32.add (local.get $cols) (i32.shl (i32.mul (local.get $p) (local.get $KL)) (i32.const 2))))
      (local.set $to (i32.add (local.get $out) (i32.shl (i32.mul (local.get $p) (local.get $plane)) (i32.const 2))))
      (local.set $r (i32.const 0))
      (block $runs_done (loop $runs_loop
        (br_if $runs_done (i32.ge_u (local.get $r) (local.get $nruns)))
        (local.set $run (i32.add (local.get $runs) (i32.mul (local.get $r) (i32.const 12))))
        (local.set $s (i32.add (local.get $from) (i32.shl (i32.load (local.get $run)) (i32.const 2))))
        (local.set $d (i32.add (local.get $to) (i32.shl (i32.load offset=4 (local.get $run)) (i32.const 2))))
        (local.set $end (i32.add (local.get $d) (i32.shl (i32.load offset=8 (local.get $run)) (i32.const 2))))
        (block $vec_done (loop $vec
          (br_if $vec_done (i32.gt_u (i32.add (local.get $d) (i32.const 16)) (local.get $end)))
          (v128.store (local.get $d) (f32x4.add (v128.load (local.get $d)) (v128.load (local.get $s))))
          (local.set $d (i32.add (local.get $d) (i32.const 16)))
          (local.set $s (i32.add (local.get $s) (i32.const 16)))
          (br $vec)))
        (block $tail_done (loop $tail
          (br_if $tail_done (i32.ge_u (local.get $d) (local.get $end)))
          (f32.store (local.get $d) (f32.add (f32.load (local.get $d)) (f32.load (local.get $s))))
          (local.set $d (i32.add (local.get $d) (i32.const 4)))
          (local.set $s (i32.add (local.get $s) (i32.const 4)))
          (br $tail)))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $runs_loop)))
      (local.set $p (i32.add (local.get $p) (i32.const 1)))
      (br $planes_loop))))
)
