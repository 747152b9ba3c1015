;; Softmax and log-softmax over the rows of a dense float32 matrix, with the exact roundings of
;; the composed tensor ops (shift = x − max rounded to float32, e = exp(shift) rounded, the sum in
;; float64 in row order and rounded), so results are bit-identical to them. exp is fdlibm's
;; (e_exp.c), the algorithm V8's Math.exp uses, computed in float64 step for step.
;;
;; rows(x, o, sums, rows, n, log): for each row, o gets e / sum (softmax) or the shifted values
;; (log = 1; the caller then subtracts log(sum), which WebAssembly cannot compute, with shift).
;; sums receives each row's float32 sum. shift(o, l, rows, n): o[r, j] −= l[r].
(module
  (memory (export "memory") 1)

  (func $exp (param $x f64) (result f64)
    (local $hx i32) (local $xsb i32) (local $k i32) (local $hi f64) (local $lo f64)
    (local $t f64) (local $c f64) (local $y f64) (local $twopk f64)
    (local.set $hx (i32.wrap_i64 (i64.shr_u (i64.reinterpret_f64 (local.get $x)) (i64.const 32))))
    (local.set $xsb (i32.shr_u (local.get $hx) (i32.const 31)))
    (local.set $hx (i32.and (local.get $hx) (i32.const 0x7fffffff)))
    ;; |x| >= 709.78: NaN, ±inf, overflow, underflow.
    (if (i32.ge_u (local.get $hx) (i32.const 0x40862E42)) (then
      (if (i32.ge_u (local.get $hx) (i32.const 0x7ff00000)) (then
        (if (f64.ne (local.get $x) (local.get $x)) (then (return (f64.add (local.get $x) (local.get $x)))))
        (return (select (local.get $x) (f64.const 0) (i32.eqz (local.get $xsb))))))
      (if (f64.gt (local.get $x) (f64.const 7.09782712893383973096e+02)) (then (return (f64.const inf))))
      (if (f64.lt (local.get $x) (f64.const -7.45133219101941108420e+02)) (then (return (f64.const 0))))))
    (if (i32.gt_u (local.get $hx) (i32.const 0x3fd62e42))
      (then
        (if (i32.lt_u (local.get $hx) (i32.const 0x3FF0A2B2))
          (then
            (if (f64.eq (local.get $x) (f64.const 1)) (then (return (f64.const 2.718281828459045))))
            (if (local.get $xsb)
              (then
                (local.set $hi (f64.add (local.get $x) (f64.const 6.93147180369123816490e-01)))
                (local.set $lo (f64.const -1.90821492927058770002e-10))
                (local.set $k (i32.const -1)))
              (else
                (local.set $hi (f64.sub (local.get $x) (f64.const 6.93147180369123816490e-01)))
                (local.set $lo (f64.const 1.90821492927058770002e-10))
                (local.set $k (i32.const 1)))))
          (else
            (local.set $k (i32.trunc_sat_f64_s
              (f64.add (f64.mul (f64.const 1.44269504088896338700e+00) (local.get $x))
                (select (f64.const -0.5) (f64.const 0.5) (local.get $xsb)))))
            (local.set $t (f64.convert_i32_s (local.get $k)))
            (local.set $hi (f64.sub (local.get $x) (f64.mul (local.get $t) (f64.const 6.93147180369123816490e-01))))
            (local.set $lo (f64.mul (local.get $t) (f64.const 1.90821492927058770002e-10)))))
        (local.set $x (f64.sub (local.get $hi) (local.get $lo))))
      (else
        (if (i32.lt_u (local.get $hx) (i32.const 0x3e300000)) (then (return (f64.add (f64.const 1) (local.get $x)))))
        (local.set $k (i32.const 0))))
    (local.set $t (f64.mul (local.get $x) (local.get $x)))
    (local.set $c (f64.sub (local.get $x)
      (f64.mul (local.get $t)
        (f64.add (f64.const 1.66666666666666019037e-01) (f64.mul (local.get $t)
        (f64.add (f64.const -2.77777777770155933842e-03) (f64.mul (local.get $t)
        (f64.add (f64.const 6.61375632143793436117e-05) (f64.mul (local.get $t)
        (f64.add (f64.const -1.65339022054652515390e-06) (f64.mul (local.get $t) (f64.const 4.13813679705723846039e-08))))))))))))
    (if (i32.eqz (local.get $k))
      (then (return (f64.sub (f64.const 1)
        (f64.sub (f64.div (f64.mul (local.get $x) (local.get $c)) (f64.sub (local.get $c) (f64.const 2))) (local.get $x))))))
    (local.set $y (f64.sub (f64.const 1)
      (f64.sub (f64.sub (local.get $lo) (f64.div (f64.mul (local.get $x) (local.get $c)) (f64.sub (f64.const 2) (local.get $c))))
        (local.get $hi))))
    (if (i32.ge_s (local.get $k) (i32.const -1021))
      (then
        (if (i32.eq (local.get $k) (i32.const 1024))
          (then (return (f64.mul (f64.mul (local.get $y) (f64.const 2)) (f64.const 8.98846567431158e307)))))
        (local.set $twopk (f64.reinterpret_i64 (i64.shl
          (i64.extend_i32_u (i32.add (i32.const 0x3ff00000) (i32.shl (local.get $k) (i32.const 20)))) (i64.const 32))))
        (return (f64.mul (local.get $y) (local.get $twopk)))))
    (local.set $twopk (f64.reinterpret_i64 (i64.shl
      (i64.extend_i32_u (i32.add (i32.const 0x3ff00000) (i32.shl (i32.add (local.get $k) (i32.const 1000)) (i32.const 20)))) (i64.const 32))))
    (f64.mul (f64.mul (local.get $y) (local.get $twopk)) (f64.const 9.33263618503218878990e-302)))

  (func (export "exp") (param $x f64) (result f64) (call $exp (local.get $x)))

  (func (export "rows") (param $x i32) (param $o i32) (param $sums i32) (param $rows i32) (param $n i32) (param $log i32)
    (local $r i32) (local $j i32) (local $px i32) (local $po i32) (local $m f32) (local $v f32)
    (local $s f32) (local $e f32) (local $sum f64) (local $total f32)
    (block $rows_done (loop $row
      (br_if $rows_done (i32.ge_u (local.get $r) (local.get $rows)))
      (local.set $px (i32.add (local.get $x) (i32.shl (i32.mul (local.get $r) (local.get $n)) (i32.const 2))))
      (local.set $po (i32.add (local.get $o) (i32.shl (i32.mul (local.get $r) (local.get $n)) (i32.const 2))))
      ;; The row's max as amax takes it: the first NaN wins.
      (local.set $m (f32.const -inf))
      (local.set $j (i32.const 0))
      (block $m_done (loop $ml
        (br_if $m_done (i32.ge_u (local.get $j) (local.get $n)))
        (local.set $v (f32.load (i32.add (local.get $px) (i32.shl (local.get $j) (i32.const 2)))))
        (if (i32.or (f32.gt (local.get $v) (local.get $m)) (f32.ne (local.get $v) (local.get $v)))
          (then (local.set $m (local.get $v))))
        (br_if $m_done (f32.ne (local.get $m) (local.get $m)))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br $ml)))
      ;; An infinite max shifts by 0 (stableShift), so no inf − inf NaN appears.
      (if (f32.eq (f32.abs (local.get $m)) (f32.const inf)) (then (local.set $m (f32.const 0))))
      (local.set $sum (f64.const 0))
      (local.set $j (i32.const 0))
      (block $e_done (loop $el
        (br_if $e_done (i32.ge_u (local.get $j) (local.get $n)))
        (local.set $s (f32.sub (f32.load (i32.add (local.get $px) (i32.shl (local.get $j) (i32.const 2)))) (local.get $m)))
        (local.set $e (f32.demote_f64 (call $exp (f64.promote_f32 (local.get $s)))))
        (local.set $sum (f64.add (local.get $sum) (f64.promote_f32 (local.get $e))))
        (f32.store (i32.add (local.get $po) (i32.shl (local.get $j) (i32.const 2)))
          (select (local.get $s) (local.get $e) (local.get $log)))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br $el)))
      (local.set $total (f32.demote_f64 (local.get $sum)))
      (f32.store (i32.add (local.get $sums) (i32.shl (local.get $r) (i32.const 2))) (local.get $total))
      (if (i32.eqz (local.get $log)) (then
        (local.set $j (i32.const 0))
        (block $d_done (loop $dl
          (br_if $d_done (i32.ge_u (local.get $j) (local.get $n)))
          (f32.store (i32.add (local.get $po) (i32.shl (local.get $j) (i32.const 2)))
            (f32.div (f32.load (i32.add (local.get $po) (i32.shl (local.get $j) (i32.const 2)))) (local.get $total)))
          (local.set $j (i32.add (local.get $j) (i32.const 1)))
          (br $dl)))))
      (local.set $r (i32.add (local.get $r) (i32.const 1)))
      (br $row))))

  (func (export "shift") (param $o i32) (param $l i32) (param $rows i32) (param $n i32)
    (local $r i32) (local $j i32) (local $po i32) (local $lv v128) (local $lf f32) (local $p i32)
    (block $rows_done (loop $row
      (br_if $rows_done (i32.ge_u (local.get $r) (local.get $rows)))
      (local.set $po (i32.add (local.get $o) (i32.shl (i32.mul (local.get $r) (local.get $n)) (i32.const 2))))
      (local.set $lf (f32.load (i32.add (local.get $l) (i32.shl (local.get $r) (i32.const 2)))))
      (local.set $lv (f32x4.splat (local.get $lf)))
      (local.set $j (i32.const 0))
      (block $v_done (loop $vl
        (br_if $v_done (i32.gt_u (i32.add (local.get $j) (i32.const 4)) (local.get $n)))
        (local.set $p (i32.add (local.get $po) (i32.shl (local.get $j) (i32.const 2))))
        (v128.store (local.get $p) (f32x4.sub (v128.load (local.get $p)) (local.get $lv)))
        (local.set $j (i32.add (local.get $j) (i32.const 4)))
        (br $vl)))
      (block $t_done (loop $tl
        (br_if $t_done (i32.ge_u (local.get $j) (local.get $n)))
        (local.set $p (i32.add (local.get $po) (i32.shl (local.get $j) (i32.const 2))))
        (f32.store (local.get $p) (f32.sub (f32.load (local.get $p)) (local.get $lf)))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br $tl)))
      (local.set $r (i32.add (local.get $r) (i32.const 1)))
      (br $row)))))
