;; Max pooling over windows that share one shape (window l of a plane reads start[l] + offset[k],
;; all inside the input): for each of `planes` planes of `plane` floats at x, each window's value
;; and flat position within its plane go to values[] and at[] (planes × L entries each).
;;
;; The same comparisons in the same order as the TypeScript kernel: the first entry starts the
;; window; a later one takes over when larger, or when it is NaN and the window holds no NaN yet
;; (the first NaN wins, as in PyTorch). The choice is a select, not a branch: activations' order
;; is a coin flip for a branch predictor.
;;
;; unpool: the backward, for `planes` planes of L window gradients at g and their positions at
;; at (int32): out (planes × plane floats) is zeroed, then each gradient added at its position,
;; window by window in order — the TypeScript kernel's additions, so the same values.
;;
;; pool2x2: the same for 2×2 windows with stride 2 and no padding over planes of h × w floats
;; (w even, h even: the caller checks), four windows at a time with SIMD.
;; variant: shared (build-wasm.mjs also emits it importing a shared memory: the arena, arena.ts)
(module
  (memory (export "memory") 1)

  (func (export "pool")
    (param $x i32) (param $start i32) (param $offset i32) (param $L i32) (param $K i32)
    (param $planes i32) (param $plane i32) (param $values i32) (param $at i32)
    (local $p i32) (local $l i32) (local $k i32) (local $base i32) (local $s0 i32) (local $s i32)
    (local $where i32) (local $best f32) (local $v f32) (local $take i32) (local $o i32)
    (block $planes_done (loop $planes_loop
      (br_if $planes_done (i32.ge_u (local.get $p) (local.get $planes)))
      (local.set $base (i32.add (local.get $x) (i32.shl (i32.mul (local.get $p) (local.get $plane)) (i32.const 2))))
      (local.set $l (i32.const 0))
      (block $windows_done (loop $windows
        (br_if $windows_done (i32.ge_u (local.get $l) (local.get $L)))
        (local.set $s0 (i32.load (i32.add (local.get $start) (i32.shl (local.get $l) (i32.const 2)))))
        (local.set $where (local.get $s0))
        (local.set $best (f32.load (i32.add (local.get $base) (i32.shl (local.get $s0) (i32.const 2)))))
        (local.set $k (i32.const 1))
        (block $entries_done (loop $entries
          (br_if $entries_done (i32.ge_u (local.get $k) (local.get $K)))
          (local.set $s (i32.add (local.get $s0)
            (i32.load (i32.add (local.get $offset) (i32.shl (local.get $k) (i32.const 2))))))
          (local.set $v (f32.load (i32.add (local.get $base) (i32.shl (local.get $s) (i32.const 2)))))
          (local.set $take (i32.or (f32.gt (local.get $v) (local.get $best))
            (i32.and (f32.ne (local.get $v) (local.get $v)) (f32.eq (local.get $best) (local.get $best)))))
          (local.set $best (select (local.get $v) (local.get $best) (local.get $take)))
          (local.set $where (select (local.get $s) (local.get $where) (local.get $take)))
          (local.set $k (i32.add (local.get $k) (i32.const 1)))
          (br $entries)))
        (f32.store (i32.add (local.get $values) (i32.shl (local.get $o) (i32.const 2))) (local.get $best))
        (i32.store (i32.add (local.get $at) (i32.shl (local.get $o) (i32.const 2))) (local.get $where))
        (local.set $o (i32.add (local.get $o) (i32.const 1)))
        (local.set $l (i32.add (local.get $l) (i32.const 1)))
        (br $windows)))
      (local.set $p (i32.add (local.get $p) (i32.const 1)))
      (br $planes_loop))))

  ;; pool2x2's step for one entry of four windows: v (at positions s) takes over where it is
  ;; larger, or is NaN while the best so far is not (written out in place: no call per step).
  (func (export "pool2x2")
    (param $x i32) (param $planes i32) (param $h i32) (param $w i32) (param $values i32) (param $at i32)
    (local $p i32) (local $r i32) (local $c i32) (local $row0 i32) (local $row1 i32) (local $pos i32)
    (local $ow i32) (local $o i32) (local $oh i32)
    (local $a0 v128) (local $a1 v128) (local $b0 v128) (local $b1 v128)
    (local $best v128) (local $where v128) (local $v v128) (local $t v128) (local $s v128)
    (local $vw v128)
    (local.set $ow (i32.shr_u (local.get $w) (i32.const 1)))
    (local.set $oh (i32.shr_u (local.get $h) (i32.const 1)))
    (local.set $vw (i32x4.splat (local.get $w)))
    (block $planes_done (loop $planes_loop
      (br_if $planes_done (i32.ge_u (local.get $p) (local.get $planes)))
      (local.set $r (i32.const 0))
      (block $rows_done (loop $rows
        (br_if $rows_done (i32.ge_u (local.get $r) (local.get $oh)))
        ;; Flat positions (within the plane) of the two input rows of output row r.
        (local.set $pos (i32.mul (i32.shl (local.get $r) (i32.const 1)) (local.get $w)))
        (local.set $row0 (i32.add (local.get $x)
          (i32.shl (i32.add (i32.mul (local.get $p) (i32.mul (local.get $h) (local.get $w))) (local.get $pos)) (i32.const 2))))
        (local.set $row1 (i32.add (local.get $row0) (i32.shl (local.get $w) (i32.const 2))))
        (local.set $c (i32.const 0))
        ;; Four windows (eight input columns) at a time. A row of four or more takes its last
        ;; four windows as the last step (those before them computed again, the same values), so
        ;; no store passes the row's end: the planes can be shared out between threads. A
        ;; narrower row's lanes past it read the next row (or the slack after the planes) and
        ;; their stores are overwritten by the next row's (or land in the slack after values and
        ;; at).
        (block $vec_done (loop $vec
          (br_if $vec_done (i32.ge_u (local.get $c) (local.get $ow)))
          (if (i32.and (i32.gt_u (i32.add (local.get $c) (i32.const 4)) (local.get $ow)) (i32.ge_u (local.get $ow) (i32.const 4)))
            (then (local.set $c (i32.sub (local.get $ow) (i32.const 4)))))
          (local.set $a0 (v128.load (i32.add (local.get $row0) (i32.shl (local.get $c) (i32.const 3)))))
          (local.set $a1 (v128.load offset=16 (i32.add (local.get $row0) (i32.shl (local.get $c) (i32.const 3)))))
          (local.set $b0 (v128.load (i32.add (local.get $row1) (i32.shl (local.get $c) (i32.const 3)))))
          (local.set $b1 (v128.load offset=16 (i32.add (local.get $row1) (i32.shl (local.get $c) (i32.const 3)))))
          ;; Entry 0 (top left) of windows c..c+3: positions pos + 2c + {0, 2, 4, 6}.
          (local.set $s (i32x4.add (i32x4.splat (i32.add (local.get $pos) (i32.shl (local.get $c) (i32.const 1))))
            (v128.const i32x4 0 2 4 6)))
          (local.set $best (i8x16.shuffle 0 1 2 3 8 9 10 11 16 17 18 19 24 25 26 27 (local.get $a0) (local.get $a1)))
          (local.set $where (local.get $s))
          ;; Entry 1: top right.
          (local.set $v (i8x16.shuffle 4 5 6 7 12 13 14 15 20 21 22 23 28 29 30 31 (local.get $a0) (local.get $a1)))
          (local.set $t (v128.or (f32x4.gt (local.get $v) (local.get $best))
            (v128.and (f32x4.ne (local.get $v) (local.get $v)) (f32x4.eq (local.get $best) (local.get $best)))))
          (local.set $best (v128.bitselect (local.get $v) (local.get $best) (local.get $t)))
          (local.set $where (v128.bitselect (i32x4.add (local.get $s) (v128.const i32x4 1 1 1 1)) (local.get $where) (local.get $t)))
          ;; Entry 2: bottom left.
          (local.set $v (i8x16.shuffle 0 1 2 3 8 9 10 11 16 17 18 19 24 25 26 27 (local.get $b0) (local.get $b1)))
          (local.set $t (v128.or (f32x4.gt (local.get $v) (local.get $best))
            (v128.and (f32x4.ne (local.get $v) (local.get $v)) (f32x4.eq (local.get $best) (local.get $best)))))
          (local.set $best (v128.bitselect (local.get $v) (local.get $best) (local.get $t)))
          (local.set $where (v128.bitselect (i32x4.add (local.get $s) (local.get $vw)) (local.get $where) (local.get $t)))
          ;; Entry 3: bottom right.
          (local.set $v (i8x16.shuffle 4 5 6 7 12 13 14 15 20 21 22 23 28 29 30 31 (local.get $b0) (local.get $b1)))
          (local.set $t (v128.or (f32x4.gt (local.get $v) (local.get $best))
            (v128.and (f32x4.ne (local.get $v) (local.get $v)) (f32x4.eq (local.get $best) (local.get $best)))))
          (local.set $best (v128.bitselect (local.get $v) (local.get $best) (local.get $t)))
          (local.set $where (v128.bitselect
            (i32x4.add (local.get $s) (i32x4.add (local.get $vw) (v128.const i32x4 1 1 1 1))) (local.get $where) (local.get $t)))
          (v128.store (i32.add (local.get $values) (i32.shl (i32.add (local.get $o) (local.get $c)) (i32.const 2))) (local.get $best))
          (v128.store (i32.add (local.get $at) (i32.shl (i32.add (local.get $o) (local.get $c)) (i32.const 2))) (local.get $where))
          (local.set $c (i32.add (local.get $c) (i32.const 4)))
          (br $vec)))
        (local.set $o (i32.add (local.get $o) (local.get $ow)))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $rows)))
      (local.set $p (i32.add (local.get $p) (i32.const 1)))
      (br $planes_loop))))

  (func (export "unpool")
    (param $g i32) (param $at i32) (param $planes i32) (param $L i32) (param $plane i32) (param $out i32)
    (local $p i32) (local $l i32) (local $base i32) (local $t i32)
    (memory.fill (local.get $out) (i32.const 0)
      (i32.shl (i32.mul (local.get $planes) (local.get $plane)) (i32.const 2)))
    (block $planes_done (loop $planes_loop
      (br_if $planes_done (i32.ge_u (local.get $p) (local.get $planes)))
      (local.set $base (i32.add (local.get $out) (i32.shl (i32.mul (local.get $p) (local.get $plane)) (i32.const 2))))
      (local.set $l (i32.const 0))
      (block $windows_done (loop $windows
        (br_if $windows_done (i32.ge_u (local.get $l) (local.get $L)))
        ;; A window of padding only (position −1) has nowhere to send its gradient.
        (local.set $t (i32.load (local.get $at)))
        (if (i32.ge_s (local.get $t) (i32.const 0)) (then
          (local.set $t (i32.add (local.get $base) (i32.shl (local.get $t) (i32.const 2))))
          (f32.store (local.get $t) (f32.add (f32.load (local.get $t)) (f32.load (local.get $g))))))
        (local.set $at (i32.add (local.get $at) (i32.const 4)))
        (local.set $g (i32.add (local.get $g) (i32.const 4)))
        (local.set $l (i32.add (local.get $l) (i32.const 1)))
        (br $windows)))
      (local.set $p (i32.add (local.get $p) (i32.const 1)))
      (br $planes_loop)))))
