;; Softmax and log-softmax over the rows of a dense float32 matrix, with the exact roundings of
;; the composed tensor ops (shift = x − max rounded to float32, e = exp(shift) rounded, the sum in
;; float64 in row order and rounded), so results are bit-identical to them. exp is $expf below
;; (SIMD, equal to the rounded exact exp) backed by $exp, fdlibm's (e_exp.c), the algorithm V8's
;; Math.exp uses, computed in float64 step for step.
;;
;; rows(x, o, sums, rows, n, log, scratch): for each row, o gets e / sum (softmax) or the shifted
;; values (log = 1; the caller then subtracts log(sum), which WebAssembly cannot compute, with
;; shift). sums receives each row's float32 sum; scratch holds every e (rows·n + 2 floats), and o
;; needs one float of room past its end. shift(o, l, rows, n): o[r, j] −= l[r].
;;
;; Pass by pass over the whole matrix, so that each is one loop the processor can overlap: the
;; rows' maxima and shifts (four values a step), exp of everything at once, then the sums two rows
;; at a time (each row's own float64 sum in its own lane, in row order as the op adds: a sum's
;; additions wait on one another, two rows' do not).
;; variant: shared (build-wasm.mjs also emits it importing a shared memory: the arena, arena.ts)
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

  ;; expf(x, o, n): o[i] = exp(x[i]) rounded to float32, for i < n rounded up to even (the caller
  ;; leaves room for one more value each side), bit for bit Math.fround(Math.exp(x[i])). Each
  ;; value is computed in float64 to about 2^-40 relative: x clamped to [−110, 90] (beyond it
  ;; float32 holds 0 or inf), e^x = 2^k·e^r with k = round(x/ln 2), r = x − k·ln 2 (ln 2 in
  ;; fdlibm's two parts), |r| ≤ 0.347, e^r by the degree-8 polynomial closest to it there in
  ;; relative error (2^-40.2; engine/scripts/fit-exp.py). Rounded to float32 that equals the exact
  ;; exp's rounding unless the value lies within 2^-36 of a point halfway between two float32
  ;; values (both ends of [v·(1 − 2^-36), v·(1 + 2^-36)] round alike, and rounding is monotonic);
  ;; such a step, or NaN, takes $exp above instead, outside the loop (a call inside it would make
  ;; V8 reload every constant on every pass). Four values a step as two float64 pairs (the lines
  ;; between `;; twice {` and `;; }` are written out for pair 0 and pair 1, engine/scripts/wat.mjs).
  ;; engine/scripts/check-kernels.mjs checks every float32 input.
    (func $expf (export "expf") (param $x i32) (param $o i32) (param $n i32)
      (local $end i32) (local $in v128) (local $lo v128) (local $hi v128) (local $i i32)
      ;; twice {
      (local $v@ v128) (local $k@ v128) (local $r@ v128) (local $r2@ v128) (local $r4@ v128) (local $e@ v128)
      ;; }
      (if (i32.eqz (local.get $n)) (then (return)))
      (local.set $end (i32.add (local.get $x) (i32.shl (i32.and (i32.add (local.get $n) (i32.const 1)) (i32.const -2)) (i32.const 2))))
      ;; o walks as x + (o − x).
      (local.set $o (i32.sub (local.get $o) (local.get $x)))
      (loop $next
        (block $exact
          (loop $fast
            ;; Four values, or the last two (then two zeros, whose exp is 1: the check passes).
            (local.set $in
              (if (result v128) (i32.le_u (i32.add (local.get $x) (i32.const 16)) (local.get $end))
                (then (v128.load (local.get $x)))
                (else (v128.load64_zero (local.get $x)))))
            (local.set $v0 (f64x2.promote_low_f32x4 (local.get $in)))
            (local.set $v1 (f64x2.promote_low_f32x4
              (i8x16.shuffle 8 9 10 11 12 13 14 15 8 9 10 11 12 13 14 15 (local.get $in) (local.get $in))))
            ;; twice {
            ;; Clamped (pmin and pmax keep NaN, which the check below catches).
            (local.set $v@
              (f64x2.pmax (f64x2.pmin (local.get $v@) (v128.const f64x2 90 90)) (v128.const f64x2 -110 -110)))
            (local.set $k@ (f64x2.nearest (f64x2.mul (local.get $v@) (v128.const f64x2 0x1.71547652b82fep0 0x1.71547652b82fep0))))
            (local.set $r@
              (f64x2.sub
                (f64x2.sub (local.get $v@) (f64x2.mul (local.get $k@) (v128.const f64x2 0x1.62e42feep-1 0x1.62e42feep-1)))
                (f64x2.mul (local.get $k@) (v128.const f64x2 0x1.a39ef35793c76p-33 0x1.a39ef35793c76p-33))))
            ;; Estrin's scheme: pairs, then pairs of pairs, so the multiply-adds do not wait in a chain;
            ;; then × 2^k: k + 1.5·2^52 holds k in its low mantissa bits; (k + 1023) << 52 is 2^k's bits.
            (local.set $r2@ (f64x2.mul (local.get $r@) (local.get $r@)))
            (local.set $r4@ (f64x2.mul (local.get $r2@) (local.get $r2@)))
            (local.set $e@
              (f64x2.mul
                (f64x2.add
                  (f64x2.add
                    (f64x2.add (v128.const f64x2 0x1.ffffffffff7a2p-1 0x1.ffffffffff7a2p-1) (f64x2.mul (local.get $r@) (v128.const f64x2 0x1.ffffffffd562ep-1 0x1.ffffffffd562ep-1)))
                    (f64x2.mul (local.get $r2@)
                      (f64x2.add (v128.const f64x2 0x1.0000000087f1fp-1 0x1.0000000087f1fp-1) (f64x2.mul (local.get $r@) (v128.const f64x2 0x1.555555a081b21p-3 0x1.555555a081b21p-3)))))
                  (f64x2.mul (local.get $r4@)
                    (f64x2.add
                      (f64x2.add
                        (f64x2.add (v128.const f64x2 0x1.55555405148f8p-5 0x1.55555405148f8p-5) (f64x2.mul (local.get $r@) (v128.const f64x2 0x1.111082af58370p-7 0x1.111082af58370p-7)))
                        (f64x2.mul (local.get $r2@)
                          (f64x2.add (v128.const f64x2 0x1.6c18b336950c5p-10 0x1.6c18b336950c5p-10) (f64x2.mul (local.get $r@) (v128.const f64x2 0x1.a1a81bb52f30dp-13 0x1.a1a81bb52f30dp-13)))))
                      (f64x2.mul (local.get $r4@) (v128.const f64x2 0x1.9eda954602f12p-16 0x1.9eda954602f12p-16)))))
                (i64x2.shl
                  (i64x2.add (f64x2.add (local.get $k@) (v128.const f64x2 0x1.8p52 0x1.8p52)) (v128.const i64x2 1023 1023))
                  (i32.const 52))))
            ;; }
            (local.set $lo
              (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23
                (f32x4.demote_f64x2_zero (f64x2.mul (local.get $e0) (v128.const f64x2 0x1.ffffffffep-1 0x1.ffffffffep-1)))
                (f32x4.demote_f64x2_zero (f64x2.mul (local.get $e1) (v128.const f64x2 0x1.ffffffffep-1 0x1.ffffffffep-1)))))
            (local.set $hi
              (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23
                (f32x4.demote_f64x2_zero (f64x2.mul (local.get $e0) (v128.const f64x2 0x1.000000001p0 0x1.000000001p0)))
                (f32x4.demote_f64x2_zero (f64x2.mul (local.get $e1) (v128.const f64x2 0x1.000000001p0 0x1.000000001p0)))))
            (br_if $exact (i32.ne (i8x16.bitmask (f32x4.eq (local.get $lo) (local.get $hi))) (i32.const 0xffff)))
            (if (i32.le_u (i32.add (local.get $x) (i32.const 16)) (local.get $end))
              (then (v128.store (i32.add (local.get $x) (local.get $o)) (local.get $lo)))
              (else (v128.store64_lane 0 (i32.add (local.get $x) (local.get $o)) (local.get $lo))))
            (local.set $x (i32.add (local.get $x) (i32.const 16)))
            (br_if $fast (i32.lt_u (local.get $x) (local.get $end)))
            (return)))
        ;; Near a rounding boundary, or NaN: fdlibm's exp itself, for this step's values.
        (local.set $i (i32.const 0))
        (loop $each
          (f32.store (i32.add (i32.add (local.get $x) (local.get $o)) (local.get $i))
            (f32.demote_f64 (call $exp (f64.promote_f32 (f32.load (i32.add (local.get $x) (local.get $i)))))))
          (local.set $i (i32.add (local.get $i) (i32.const 4)))
          (br_if $each (i32.and (i32.lt_u (local.get $i) (i32.const 16))
            (i32.lt_u (i32.add (local.get $x) (local.get $i)) (local.get $end)))))
        (local.set $x (i32.add (local.get $x) (i32.const 16)))
        (br_if $next (i32.lt_u (local.get $x) (local.get $end)))))

  ;; The largest of n values from p, four at a time. NaN is passed over: a row holding one sums
  ;; to NaN, so every result in it is NaN as when the max itself is NaN. Which zero is taken when
  ;; +0 and −0 tie does not show either: a zero max means a sum of at least 2 with two zeros in
  ;; the row, so no result is x − max alone.
  (func $rowMax (param $p i32) (param $n i32) (result f32)
    (local $j i32) (local $mv v128) (local $m f32) (local $f f32)
    (local.set $mv (v128.const f32x4 -inf -inf -inf -inf))
    (block $v_done (loop $vl
      (br_if $v_done (i32.gt_u (i32.add (local.get $j) (i32.const 4)) (local.get $n)))
      (local.set $mv (f32x4.pmax (local.get $mv) (v128.load (i32.add (local.get $p) (i32.shl (local.get $j) (i32.const 2))))))
      (local.set $j (i32.add (local.get $j) (i32.const 4)))
      (br $vl)))
    (local.set $m (f32x4.extract_lane 0 (local.get $mv)))
    (if (f32.gt (f32x4.extract_lane 1 (local.get $mv)) (local.get $m)) (then (local.set $m (f32x4.extract_lane 1 (local.get $mv)))))
    (if (f32.gt (f32x4.extract_lane 2 (local.get $mv)) (local.get $m)) (then (local.set $m (f32x4.extract_lane 2 (local.get $mv)))))
    (if (f32.gt (f32x4.extract_lane 3 (local.get $mv)) (local.get $m)) (then (local.set $m (f32x4.extract_lane 3 (local.get $mv)))))
    (block $t_done (loop $tl
      (br_if $t_done (i32.ge_u (local.get $j) (local.get $n)))
      (local.set $f (f32.load (i32.add (local.get $p) (i32.shl (local.get $j) (i32.const 2)))))
      (if (f32.gt (local.get $f) (local.get $m)) (then (local.set $m (local.get $f))))
      (local.set $j (i32.add (local.get $j) (i32.const 1)))
      (br $tl)))
    (local.get $m))

  ;; sums[r] = the float32 rounding of row r's n values from v summed in float64 in row order,
  ;; for each of `rows` rows: two rows at a time, one in each lane.
  (func $rowSums (param $v i32) (param $sums i32) (param $rows i32) (param $n i32)
    (local $r i32) (local $j i32) (local $a i32) (local $b i32) (local $end i32) (local $acc v128)
    (local $s f64) (local $pitch i32)
    (local.set $pitch (i32.shl (local.get $n) (i32.const 2)))
    (block $pairs_done (loop $pair
      (br_if $pairs_done (i32.gt_u (i32.add (local.get $r) (i32.const 2)) (local.get $rows)))
      (local.set $a (i32.add (local.get $v) (i32.mul (local.get $r) (local.get $pitch))))
      (local.set $end (i32.add (local.get $a) (local.get $pitch)))
      (local.set $acc (v128.const f64x2 0 0))
      (if (local.get $n) (then (loop $l
        ;; (a + pitch is the same column of the next row.)
        (local.set $acc (f64x2.add (local.get $acc) (f64x2.promote_low_f32x4
          (v128.load32_lane 1 (i32.add (local.get $a) (local.get $pitch)) (v128.load32_zero (local.get $a))))))
        (local.set $a (i32.add (local.get $a) (i32.const 4)))
        (br_if $l (i32.lt_u (local.get $a) (local.get $end))))))
      (f32.store (i32.add (local.get $sums) (i32.shl (local.get $r) (i32.const 2)))
        (f32.demote_f64 (f64x2.extract_lane 0 (local.get $acc))))
      (f32.store offset=4 (i32.add (local.get $sums) (i32.shl (local.get $r) (i32.const 2)))
        (f32.demote_f64 (f64x2.extract_lane 1 (local.get $acc))))
      (local.set $r (i32.add (local.get $r) (i32.const 2)))
      (br $pair)))
    (if (i32.lt_u (local.get $r) (local.get $rows)) (then
      (local.set $a (i32.add (local.get $v) (i32.mul (local.get $r) (local.get $pitch))))
      (local.set $s (f64.const 0))
      (block $done (loop $l
        (br_if $done (i32.ge_u (local.get $j) (local.get $n)))
        (local.set $s (f64.add (local.get $s)
          (f64.promote_f32 (f32.load (i32.add (local.get $a) (i32.shl (local.get $j) (i32.const 2)))))))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br $l)))
      (f32.store (i32.add (local.get $sums) (i32.shl (local.get $r) (i32.const 2))) (f32.demote_f64 (local.get $s))))))

  (func (export "rows") (param $x i32) (param $o i32) (param $sums i32) (param $rows i32) (param $n i32) (param $log i32)
    (param $scratch i32)
    (local $r i32) (local $j i32) (local $px i32) (local $po i32) (local $m f32) (local $mv v128)
    (local $total f32) (local $tv v128) (local $at i32)
    ;; o = x − the row's max.
    (block $rows_done (loop $row
      (br_if $rows_done (i32.ge_u (local.get $r) (local.get $rows)))
      (local.set $px (i32.add (local.get $x) (i32.shl (i32.mul (local.get $r) (local.get $n)) (i32.const 2))))
      (local.set $po (i32.add (local.get $o) (i32.shl (i32.mul (local.get $r) (local.get $n)) (i32.const 2))))
      (local.set $m (call $rowMax (local.get $px) (local.get $n)))
      ;; An infinite max shifts by 0 (stableShift), so no inf − inf NaN appears.
      (if (f32.eq (f32.abs (local.get $m)) (f32.const inf)) (then (local.set $m (f32.const 0))))
      (local.set $mv (f32x4.splat (local.get $m)))
      (local.set $j (i32.const 0))
      (block $v_done (loop $vl
        (br_if $v_done (i32.gt_u (i32.add (local.get $j) (i32.const 4)) (local.get $n)))
        (local.set $at (i32.shl (local.get $j) (i32.const 2)))
        (v128.store (i32.add (local.get $po) (local.get $at))
          (f32x4.sub (v128.load (i32.add (local.get $px) (local.get $at))) (local.get $mv)))
        (local.set $j (i32.add (local.get $j) (i32.const 4)))
        (br $vl)))
      (block $s_done (loop $sl
        (br_if $s_done (i32.ge_u (local.get $j) (local.get $n)))
        (local.set $at (i32.shl (local.get $j) (i32.const 2)))
        (f32.store (i32.add (local.get $po) (local.get $at))
          (f32.sub (f32.load (i32.add (local.get $px) (local.get $at))) (local.get $m)))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br $sl)))
      (local.set $r (i32.add (local.get $r) (i32.const 1)))
      (br $row)))
    ;; e = exp(o) for every value (a pair at a time: one value past the matrix is read and
    ;; written, for which the caller leaves room), then each row's sum.
    (call $expf (local.get $o) (local.get $scratch) (i32.mul (local.get $rows) (local.get $n)))
    (call $rowSums (local.get $scratch) (local.get $sums) (local.get $rows) (local.get $n))
    (if (local.get $log) (then (return)))
    (local.set $r (i32.const 0))
    (block $d_rows (loop $drow
      (br_if $d_rows (i32.ge_u (local.get $r) (local.get $rows)))
      (local.set $total (f32.load (i32.add (local.get $sums) (i32.shl (local.get $r) (i32.const 2)))))
      (local.set $tv (f32x4.splat (local.get $total)))
      (local.set $px (i32.add (local.get $scratch) (i32.shl (i32.mul (local.get $r) (local.get $n)) (i32.const 2))))
      (local.set $po (i32.add (local.get $o) (i32.shl (i32.mul (local.get $r) (local.get $n)) (i32.const 2))))
      (local.set $j (i32.const 0))
      (block $v_done (loop $vl
        (br_if $v_done (i32.gt_u (i32.add (local.get $j) (i32.const 4)) (local.get $n)))
        (local.set $at (i32.shl (local.get $j) (i32.const 2)))
        (v128.store (i32.add (local.get $po) (local.get $at))
          (f32x4.div (v128.load (i32.add (local.get $px) (local.get $at))) (local.get $tv)))
        (local.set $j (i32.add (local.get $j) (i32.const 4)))
        (br $vl)))
      (block $d_done (loop $dl
        (br_if $d_done (i32.ge_u (local.get $j) (local.get $n)))
        (local.set $at (i32.shl (local.get $j) (i32.const 2)))
        (f32.store (i32.add (local.get $po) (local.get $at))
          (f32.div (f32.load (i32.add (local.get $px) (local.get $at))) (local.get $total)))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br $dl)))
      (local.set $r (i32.add (local.get $r) (i32.const 1)))
      (br $drow))))

  ;; logBackward(g, y, o, rows, n, scratch, sums): log-softmax's backward from its output y, per
  ;; row o = g − exp(y)·Σg, rounded as the one-pass TypeScript kernel rounds it (the sum in
  ;; float64 in row order, then float32; exp(y) rounded; the product and the difference in
  ;; float32). scratch holds every exp (rows·n + 2 floats), sums a float per row; y needs one
  ;; float of room past its end.
  (func (export "logBackward") (param $g i32) (param $y i32) (param $o i32) (param $rows i32) (param $n i32)
    (param $scratch i32) (param $sums i32)
    (local $r i32) (local $j i32) (local $at i32) (local $s f32) (local $sv v128) (local $vec i32) (local $e i32)
    (call $expf (local.get $y) (local.get $scratch) (i32.mul (local.get $rows) (local.get $n)))
    (call $rowSums (local.get $g) (local.get $sums) (local.get $rows) (local.get $n))
    (local.set $vec (i32.and (local.get $n) (i32.const -4)))
    (local.set $e (local.get $scratch))
    (block $rows_done (loop $row
      (br_if $rows_done (i32.ge_u (local.get $r) (local.get $rows)))
      (local.set $s (f32.load (i32.add (local.get $sums) (i32.shl (local.get $r) (i32.const 2)))))
      (local.set $sv (f32x4.splat (local.get $s)))
      (local.set $j (i32.const 0))
      (block $v_done (loop $vl
        (br_if $v_done (i32.ge_u (local.get $j) (local.get $vec)))
        (local.set $at (i32.shl (local.get $j) (i32.const 2)))
        (v128.store (i32.add (local.get $o) (local.get $at))
          (f32x4.sub (v128.load (i32.add (local.get $g) (local.get $at)))
            (f32x4.mul (v128.load (i32.add (local.get $e) (local.get $at))) (local.get $sv))))
        (local.set $j (i32.add (local.get $j) (i32.const 4)))
        (br $vl)))
      (block $t_done (loop $tl
        (br_if $t_done (i32.ge_u (local.get $j) (local.get $n)))
        (local.set $at (i32.shl (local.get $j) (i32.const 2)))
        (f32.store (i32.add (local.get $o) (local.get $at))
          (f32.sub (f32.load (i32.add (local.get $g) (local.get $at)))
            (f32.mul (f32.load (i32.add (local.get $e) (local.get $at))) (local.get $s))))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br $tl)))
      (local.set $at (i32.shl (local.get $n) (i32.const 2)))
      (local.set $g (i32.add (local.get $g) (local.get $at)))
      (local.set $e (i32.add (local.get $e) (local.get $at)))
      (local.set $o (i32.add (local.get $o) (local.get $at)))
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
