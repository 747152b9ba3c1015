;; The per-step work of an RNN layer's time loop around its product (recurrent.ts), in the
;; product's own memory (imported: the sgemm instance's), so that a step costs the product and
;; these passes, with no copies in or out. Every value is rounded as the composed tensor ops
;; round it: single float32 operations (float32 SIMD lanes round exactly as Math.fround of the
;; double operation does).
;;
;; forward(c, pitch, x, bias, o, rows, n, flags): o[i, j] = act(x[i, j] + (c[i, j] + bias[j]))
;; for i < rows, j < n; c's rows are `pitch` bytes apart, x and o are dense. flags: 1, there is a
;; bias (else x + c); 2, ReLU (NaN stays NaN), else no activation (the caller runs tanh).
;; backward(c, pitch, g, y, o, rows, n, flags): the gradient before the activation, from the
;; incoming gradient g plus (flags & 1) the next step's product c, and the state y:
;; tanh: (g + c)·(1 − y·y); ReLU (flags & 2): g + c where y > 0, else +0.
;; copyRows(src, dst, a, b, n, sa, sb, da, db): for i < a, j < b, the row of n floats at
;; src + i·sa + j·sb to dst + i·da + j·db (byte strides; a sequence between time-major and
;; batch-first, in either direction of time). n is a multiple of 4.
;; variant: shared (build-wasm.mjs also emits it importing a shared memory: the arena, arena.ts)
(module
  (import "env" "memory" (memory 1))
  (export "memory" (memory 0))

  (func (export "forward")
    (param $c i32) (param $pitch i32) (param $x i32) (param $bias i32) (param $o i32)
    (param $rows i32) (param $n i32) (param $flags i32)
    (local $i i32) (local $j i32) (local $vec i32) (local $cj i32) (local $xj i32) (local $oj i32)
    (local $v v128) (local $s f32)
    (local.set $vec (i32.and (local.get $n) (i32.const -4)))
    (block $rows_done (loop $row
      (br_if $rows_done (i32.ge_u (local.get $i) (local.get $rows)))
      (local.set $j (i32.const 0))
      (block $v_done (loop $vl
        (br_if $v_done (i32.ge_u (local.get $j) (local.get $vec)))
        (local.set $cj (i32.add (local.get $c) (i32.shl (local.get $j) (i32.const 2))))
        (local.set $xj (i32.add (local.get $x) (i32.shl (local.get $j) (i32.const 2))))
        (local.set $v (v128.load (local.get $cj)))
        (if (i32.and (local.get $flags) (i32.const 1))
          (then (local.set $v (f32x4.add (local.get $v)
            (v128.load (i32.add (local.get $bias) (i32.shl (local.get $j) (i32.const 2))))))))
        (local.set $v (f32x4.add (v128.load (local.get $xj)) (local.get $v)))
        (if (i32.and (local.get $flags) (i32.const 2))
          (then (local.set $v (v128.bitselect (local.get $v) (v128.const i32x4 0 0 0 0)
            (v128.or (f32x4.gt (local.get $v) (v128.const f32x4 0 0 0 0))
                     (f32x4.ne (local.get $v) (local.get $v)))))))
        (v128.store (i32.add (local.get $o) (i32.shl (local.get $j) (i32.const 2))) (local.get $v))
        (local.set $j (i32.add (local.get $j) (i32.const 4)))
        (br $vl)))
      (block $t_done (loop $tl
        (br_if $t_done (i32.ge_u (local.get $j) (local.get $n)))
        (local.set $s (f32.load (i32.add (local.get $c) (i32.shl (local.get $j) (i32.const 2)))))
        (if (i32.and (local.get $flags) (i32.const 1))
          (then (local.set $s (f32.add (local.get $s)
            (f32.load (i32.add (local.get $bias) (i32.shl (local.get $j) (i32.const 2))))))))
        (local.set $s (f32.add (f32.load (i32.add (local.get $x) (i32.shl (local.get $j) (i32.const 2)))) (local.get $s)))
        (if (i32.and (local.get $flags) (i32.const 2))
          (then (if (i32.eqz (i32.or (f32.gt (local.get $s) (f32.const 0)) (f32.ne (local.get $s) (local.get $s))))
            (then (local.set $s (f32.const 0))))))
        (f32.store (i32.add (local.get $o) (i32.shl (local.get $j) (i32.const 2))) (local.get $s))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br $tl)))
      (local.set $c (i32.add (local.get $c) (local.get $pitch)))
      (local.set $x (i32.add (local.get $x) (i32.shl (local.get $n) (i32.const 2))))
      (local.set $o (i32.add (local.get $o) (i32.shl (local.get $n) (i32.const 2))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $row))))

  (func (export "backward")
    (param $c i32) (param $pitch i32) (param $g i32) (param $y i32) (param $o i32)
    (param $rows i32) (param $n i32) (param $flags i32)
    (local $i i32) (local $j i32) (local $vec i32) (local $at i32)
    (local $v v128) (local $w v128) (local $s f32) (local $u f32)
    (local.set $vec (i32.and (local.get $n) (i32.const -4)))
    (block $rows_done (loop $row
      (br_if $rows_done (i32.ge_u (local.get $i) (local.get $rows)))
      (local.set $j (i32.const 0))
      (block $v_done (loop $vl
        (br_if $v_done (i32.ge_u (local.get $j) (local.get $vec)))
        (local.set $at (i32.shl (local.get $j) (i32.const 2)))
        (local.set $v (v128.load (i32.add (local.get $g) (local.get $at))))
        (if (i32.and (local.get $flags) (i32.const 1))
          (then (local.set $v (f32x4.add (local.get $v) (v128.load (i32.add (local.get $c) (local.get $at)))))))
        (local.set $w (v128.load (i32.add (local.get $y) (local.get $at))))
        (v128.store (i32.add (local.get $o) (local.get $at))
          (if (result v128) (i32.and (local.get $flags) (i32.const 2))
            (then (v128.and (local.get $v) (f32x4.gt (local.get $w) (v128.const f32x4 0 0 0 0))))
            (else (f32x4.mul (local.get $v)
              (f32x4.sub (v128.const f32x4 1 1 1 1) (f32x4.mul (local.get $w) (local.get $w)))))))
        (local.set $j (i32.add (local.get $j) (i32.const 4)))
        (br $vl)))
      (block $t_done (loop $tl
        (br_if $t_done (i32.ge_u (local.get $j) (local.get $n)))
        (local.set $at (i32.shl (local.get $j) (i32.const 2)))
        (local.set $s (f32.load (i32.add (local.get $g) (local.get $at))))
        (if (i32.and (local.get $flags) (i32.const 1))
          (then (local.set $s (f32.add (local.get $s) (f32.load (i32.add (local.get $c) (local.get $at)))))))
        (local.set $u (f32.load (i32.add (local.get $y) (local.get $at))))
        (f32.store (i32.add (local.get $o) (local.get $at))
          (if (result f32) (i32.and (local.get $flags) (i32.const 2))
            (then (select (local.get $s) (f32.const 0) (f32.gt (local.get $u) (f32.const 0))))
            (else (f32.mul (local.get $s)
              (f32.sub (f32.const 1) (f32.mul (local.get $u) (local.get $u)))))))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br $tl)))
      (local.set $c (i32.add (local.get $c) (local.get $pitch)))
      (local.set $g (i32.add (local.get $g) (i32.shl (local.get $n) (i32.const 2))))
      (local.set $y (i32.add (local.get $y) (i32.shl (local.get $n) (i32.const 2))))
      (local.set $o (i32.add (local.get $o) (i32.shl (local.get $n) (i32.const 2))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $row))))
  (func (export "copyRows")
    (param $src i32) (param $dst i32) (param $a i32) (param $b i32) (param $n i32)
    (param $sa i32) (param $sb i32) (param $da i32) (param $db i32)
    (local $i i32) (local $j i32) (local $from i32) (local $to i32) (local $end i32)
    (if (i32.eqz (local.get $n)) (then (return)))
    (block $a_done (loop $al
      (br_if $a_done (i32.ge_u (local.get $i) (local.get $a)))
      (local.set $j (i32.const 0))
      (block $b_done (loop $bl
        (br_if $b_done (i32.ge_u (local.get $j) (local.get $b)))
        (local.set $from (i32.add (local.get $src)
          (i32.add (i32.mul (local.get $i) (local.get $sa)) (i32.mul (local.get $j) (local.get $sb)))))
        (local.set $to (i32.add (local.get $dst)
          (i32.add (i32.mul (local.get $i) (local.get $da)) (i32.mul (local.get $j) (local.get $db)))))
        (local.set $end (i32.add (local.get $from) (i32.shl (local.get $n) (i32.const 2))))
        (loop $copy
          (v128.store (local.get $to) (v128.load (local.get $from)))
          (local.set $to (i32.add (local.get $to) (i32.const 16)))
          (local.set $from (i32.add (local.get $from) (i32.const 16)))
          (br_if $copy (i32.lt_u (local.get $from) (local.get $end))))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br $bl)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $al))))
)
