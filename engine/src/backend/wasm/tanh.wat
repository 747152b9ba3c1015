;; float32 tanh with WebAssembly SIMD128, equal bit for bit to Math.fround(Math.tanh(x)) — the
;; TypeScript kernel — at several times its speed.
;;
;; Each value is computed in float64 to about 2^-41 relative (well inside float64 but far from
;; exact), then rounded to float32. That rounding is the same as Math.tanh's whenever the
;; result is not within 2^-36 (relative) of a point halfway between two float32 values: both
;; lie inside [r·(1 − 2^-36), r·(1 + 2^-36)], and round-to-nearest is monotonic, so if both ends
;; of that interval round to the same float32 so does every value inside it. When they do not
;; (about 1 value in 20,000 over all float32 inputs; 1 in 2,000 in [−10, 10]), or the input is
;; NaN, the two values of that step are recomputed with the imported Math.tanh. Without this
;; check 36 float32 inputs would round the other way; engine/scripts/check-kernels.mjs checks
;; every float32 input.
;;
;; tanh(x) = x − x³/3 + 2x⁵/15 − 17x⁷/315 for |x| < 2^-10 (next term below 2^-70 relative);
;; otherwise sign(x)·(1 − 2/(e^{2|x|} + 1)), |x| clamped to 20 (tanh is 1 in float64 from
;; 19.06), e^y = 2^k·e^r with k = round(y/ln 2), r = y − k·ln 2 (ln 2 in two parts, as fdlibm),
;; |r| ≤ 0.347, e^r by its Taylor series to r¹² (remainder below 2^-52). The subtraction from 1
;; magnifies the relative error at most 2^10 times (tanh(x) ≥ 2^-10·0.99 on this branch).
;;
;; tanh: o[i] = tanh(x[i]) for i < n, n even (the caller pads; o may equal x). The memory is
;; imported: its own for the tanh op, the product's for an RNN's time loop (recurrent.ts).
(module
  (import "m" "tanh" (func $exact (param f64) (result f64)))
  (import "env" "memory" (memory 1))
  (export "memory" (memory 0))

  ;; Two values per step (the loop is tested at the bottom: V8 keeps a top test plus a jump back
  ;; as written; and it is not a call per vector, which would spill every v128 around it).
  (func (export "tanh") (param $x i32) (param $o i32) (param $n i32)
    (local $end i32) (local $a v128) (local $s v128) (local $y v128) (local $k v128) (local $r v128)
    (local $p v128) (local $e v128) (local $big v128) (local $r2 v128) (local $r4 v128) (local $t v128)
    (local $v v128) (local $lo v128) (local $hi v128)
    (if (i32.eqz (local.get $n)) (then (return)))
    (local.set $end (i32.add (local.get $x) (i32.shl (local.get $n) (i32.const 2))))
    ;; o walks as x + (o − x).
    (local.set $o (i32.sub (local.get $o) (local.get $x)))
    (loop $loop
      (local.set $v (f64x2.promote_low_f32x4 (v128.load64_zero (local.get $x))))
      (local.set $a (f64x2.abs (local.get $v)))
      ;; The series for small |x|, on |x| (the sign is put back at the end, so tanh(−0) is −0).
      (local.set $s (f64x2.mul (local.get $a) (local.get $a)))
      (local.set $p
        (f64x2.add (local.get $a)
          (f64x2.mul (f64x2.mul (local.get $a) (local.get $s))
            (f64x2.add (v128.const f64x2 -0x1.5555555555555p-2 -0x1.5555555555555p-2)
              (f64x2.mul (local.get $s)
                (f64x2.add (v128.const f64x2 0x1.1111111111111p-3 0x1.1111111111111p-3)
                  (f64x2.mul (local.get $s) (v128.const f64x2 -0x1.ba1ba1ba1ba1cp-5 -0x1.ba1ba1ba1ba1cp-5))))))))
      ;; e^{2|x|}: k and r. (NaN stays NaN through pmin and is caught by the check below.)
      (local.set $y (f64x2.mul (v128.const f64x2 2 2) (f64x2.pmin (local.get $a) (v128.const f64x2 20 20))))
      (local.set $k (f64x2.nearest (f64x2.mul (local.get $y) (v128.const f64x2 0x1.71547652b82fep0 0x1.71547652b82fep0))))
      (local.set $r
        (f64x2.sub
          (f64x2.sub (local.get $y) (f64x2.mul (local.get $k) (v128.const f64x2 0x1.62e42feep-1 0x1.62e42feep-1)))
          (f64x2.mul (local.get $k) (v128.const f64x2 0x1.a39ef35793c76p-33 0x1.a39ef35793c76p-33))))
      ;; e^r by its Taylor series to r¹², evaluated as Estrin's scheme (pairs, then pairs of
      ;; pairs) so that the multiply-adds do not wait on one another as Horner's do.
      (local.set $r2 (f64x2.mul (local.get $r) (local.get $r)))
      (local.set $r4 (f64x2.mul (local.get $r2) (local.get $r2)))
      (local.set $e
        (f64x2.add
          (f64x2.add
            (f64x2.add (f64x2.add (v128.const f64x2 1 1) (f64x2.mul (local.get $r) (v128.const f64x2 1 1))) (f64x2.mul (f64x2.add (v128.const f64x2 0.5 0.5) (f64x2.mul (local.get $r) (v128.const f64x2 0x1.5555555555555p-3 0x1.5555555555555p-3))) (local.get $r2)))
            (f64x2.mul (f64x2.add (f64x2.add (v128.const f64x2 0x1.5555555555555p-5 0x1.5555555555555p-5) (f64x2.mul (local.get $r) (v128.const f64x2 0x1.1111111111111p-7 0x1.1111111111111p-7))) (f64x2.mul (f64x2.add (v128.const f64x2 0x1.6c16c16c16c17p-10 0x1.6c16c16c16c17p-10) (f64x2.mul (local.get $r) (v128.const f64x2 0x1.a01a01a01a01ap-13 0x1.a01a01a01a01ap-13))) (local.get $r2))) (local.get $r4)))
          (f64x2.mul
            (f64x2.add
              (f64x2.add (f64x2.add (v128.const f64x2 0x1.a01a01a01a01ap-16 0x1.a01a01a01a01ap-16) (f64x2.mul (local.get $r) (v128.const f64x2 0x1.71de3a556c734p-19 0x1.71de3a556c734p-19))) (f64x2.mul (f64x2.add (v128.const f64x2 0x1.27e4fb7789f5cp-22 0x1.27e4fb7789f5cp-22) (f64x2.mul (local.get $r) (v128.const f64x2 0x1.ae64567f544e4p-26 0x1.ae64567f544e4p-26))) (local.get $r2)))
              (f64x2.mul (v128.const f64x2 0x1.1eed8eff8d898p-29 0x1.1eed8eff8d898p-29) (local.get $r4)))
            (f64x2.mul (local.get $r4) (local.get $r4)))))
      ;; × 2^k: k + 1.5·2^52 holds k in its low mantissa bits; (k + 1023) << 52 is 2^k's bits.
      (local.set $e
        (f64x2.mul (local.get $e)
          (i64x2.shl
            (i64x2.add (f64x2.add (local.get $k) (v128.const f64x2 0x1.8p52 0x1.8p52)) (v128.const i64x2 1023 1023))
            (i32.const 52))))
      (local.set $big
        (f64x2.sub (v128.const f64x2 1 1)
          (f64x2.div (v128.const f64x2 2 2) (f64x2.add (local.get $e) (v128.const f64x2 1 1)))))
      ;; The branch for |x|, then x's sign.
      (local.set $t
        (v128.or
          (v128.bitselect (local.get $p) (local.get $big)
            (f64x2.lt (local.get $a) (v128.const f64x2 0x1p-10 0x1p-10)))
          (v128.and (local.get $v) (v128.const i64x2 0x8000000000000000 0x8000000000000000))))
      (local.set $lo (f32x4.demote_f64x2_zero (f64x2.mul (local.get $t) (v128.const f64x2 0x1.ffffffffep-1 0x1.ffffffffep-1))))
      (local.set $hi (f32x4.demote_f64x2_zero (f64x2.mul (local.get $t) (v128.const f64x2 0x1.000000001p0 0x1.000000001p0))))
      (if (i32.eq (i32.and (i8x16.bitmask (f32x4.eq (local.get $lo) (local.get $hi))) (i32.const 0xff)) (i32.const 0xff))
        (then (v128.store64_lane 0 (i32.add (local.get $x) (local.get $o)) (local.get $lo)))
        (else
          ;; Near a rounding boundary, or NaN: Math.tanh itself, for both.
          (f32.store (i32.add (local.get $x) (local.get $o))
            (f32.demote_f64 (call $exact (f64.promote_f32 (f32.load (local.get $x))))))
          (f32.store offset=4 (i32.add (local.get $x) (local.get $o))
            (f32.demote_f64 (call $exact (f64.promote_f32 (f32.load offset=4 (local.get $x))))))))
      (local.set $x (i32.add (local.get $x) (i32.const 8)))
      (br_if $loop (i32.lt_u (local.get $x) (local.get $end))))))
