;; float32 tanh and sigmoid with WebAssembly SIMD128, equal bit for bit to the TypeScript kernels
;; (Math.fround(Math.tanh(x)), Math.fround(1 / (1 + Math.exp(−x)))) at several times their speed.
;; tanh first; sigmoid (at the end) works the same way.
;;
;; Each value is computed in float64 to about 2^-40 relative (well inside float64 but far from
;; exact), then rounded to float32. That rounding is the same as Math.tanh's whenever the
;; result is not within 2^-36 (relative) of a point halfway between two float32 values: both
;; lie inside [r·(1 − 2^-36), r·(1 + 2^-36)], and round-to-nearest is monotonic, so if both ends
;; of that interval round to the same float32 so does every value inside it. When they do not
;; (about 1 value in 27,000 over all float32 inputs), or the input is NaN, the two values of that
;; step are recomputed with the imported Math.tanh. Without this check 40 float32 inputs would
;; round the other way; engine/scripts/check-kernels.mjs checks every float32 input.
;;
;; tanh|x| = E / (E + 2) with E = e^{2|x|} − 1 (no cancellation at any |x|, so no separate
;; series for small ones), |x| clamped to 20 (tanh is 1 in float64 from 19.06). E = 2^k·(e^r − 1)
;; + (2^k − 1) with k = round(2|x|/ln 2), r = 2|x| − k·ln 2 (ln 2 in two parts, as fdlibm),
;; |r| ≤ 0.347, and e^r − 1 = r·(1 + r/2! + … + r⁹/10!) (the first term left out is below 2^-40
;; of it). For k ≥ 1 the sum 2^k·(e^r − 1) + (2^k − 1) cancels at most a factor of 2.4.
;;
;; tanh: o[i] = tanh(x[i]) for i < n, n even (the caller pads; o may equal x). The memory is
;; imported: its own for the tanh op, the product's for an RNN's time loop (recurrent.ts).
(module
  (import "m" "tanh" (func $exact (param f64) (result f64)))
  (import "m" "sigmoid" (func $sigmoid (param f64) (result f64)))
  (import "env" "memory" (memory 1))
  (export "memory" (memory 0))

  ;; Two values per step (the loop is tested at the bottom: V8 keeps a top test plus a jump back
  ;; as written; and it is not a call per vector, which would spill every v128 around it).
  (func (export "tanh") (param $x i32) (param $o i32) (param $n i32)
    (local $end i32) (local $a v128) (local $y v128) (local $k v128) (local $r v128)
    (local $p v128) (local $e v128) (local $r2 v128) (local $r4 v128) (local $t v128)
    (local $v v128) (local $lo v128) (local $hi v128)
    (if (i32.eqz (local.get $n)) (then (return)))
    (local.set $end (i32.add (local.get $x) (i32.shl (local.get $n) (i32.const 2))))
    ;; o walks as x + (o − x).
    (local.set $o (i32.sub (local.get $o) (local.get $x)))
    (loop $loop
      (local.set $v (f64x2.promote_low_f32x4 (v128.load64_zero (local.get $x))))
      (local.set $a (f64x2.abs (local.get $v)))
      ;; y = 2|x|, k and r. (NaN stays NaN through pmin and is caught by the check below.)
      (local.set $y (f64x2.mul (v128.const f64x2 2 2) (f64x2.pmin (local.get $a) (v128.const f64x2 20 20))))
      (local.set $k (f64x2.nearest (f64x2.mul (local.get $y) (v128.const f64x2 0x1.71547652b82fep0 0x1.71547652b82fep0))))
      (local.set $r
        (f64x2.sub
          (f64x2.sub (local.get $y) (f64x2.mul (local.get $k) (v128.const f64x2 0x1.62e42feep-1 0x1.62e42feep-1)))
          (f64x2.mul (local.get $k) (v128.const f64x2 0x1.a39ef35793c76p-33 0x1.a39ef35793c76p-33))))
      ;; e^r − 1 = r·P(r), P by Estrin's scheme (pairs, then pairs of pairs, so the
      ;; multiply-adds do not wait on one another as Horner's do).
      (local.set $r2 (f64x2.mul (local.get $r) (local.get $r)))
      (local.set $r4 (f64x2.mul (local.get $r2) (local.get $r2)))
      (local.set $e
        (f64x2.mul (local.get $r)
          (f64x2.add
            (f64x2.add (f64x2.add (v128.const f64x2 1 1) (f64x2.mul (local.get $r) (v128.const f64x2 0.5 0.5))) (f64x2.mul (f64x2.add (v128.const f64x2 0x1.5555555555555p-3 0x1.5555555555555p-3) (f64x2.mul (local.get $r) (v128.const f64x2 0x1.5555555555555p-5 0x1.5555555555555p-5))) (local.get $r2)))
            (f64x2.mul (local.get $r4)
              (f64x2.add
                (f64x2.add (f64x2.add (v128.const f64x2 0x1.1111111111111p-7 0x1.1111111111111p-7) (f64x2.mul (local.get $r) (v128.const f64x2 0x1.6c16c16c16c17p-10 0x1.6c16c16c16c17p-10))) (f64x2.mul (f64x2.add (v128.const f64x2 0x1.a01a01a01a01ap-13 0x1.a01a01a01a01ap-13) (f64x2.mul (local.get $r) (v128.const f64x2 0x1.a01a01a01a01ap-16 0x1.a01a01a01a01ap-16))) (local.get $r2)))
                (f64x2.mul (local.get $r4) (f64x2.add (v128.const f64x2 0x1.71de3a556c734p-19 0x1.71de3a556c734p-19) (f64x2.mul (local.get $r) (v128.const f64x2 0x1.27e4fb7789f5cp-22 0x1.27e4fb7789f5cp-22)))))))))
      ;; e^y − 1 = 2^k·(e^r − 1) + (2^k − 1); 2^k from k + 1.5·2^52, which holds k in its low
      ;; mantissa bits: (k + 1023) << 52 is 2^k's bits.
      (local.set $p
        (i64x2.shl
          (i64x2.add (f64x2.add (local.get $k) (v128.const f64x2 0x1.8p52 0x1.8p52)) (v128.const i64x2 1023 1023))
          (i32.const 52)))
      (local.set $e
        (f64x2.add (f64x2.mul (local.get $p) (local.get $e)) (f64x2.sub (local.get $p) (v128.const f64x2 1 1))))
      ;; tanh|x| = E / (E + 2), then x's sign (so tanh(−0) is −0).
      (local.set $t
        (v128.or
          (f64x2.div (local.get $e) (f64x2.add (local.get $e) (v128.const f64x2 2 2)))
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
      (br_if $loop (i32.lt_u (local.get $x) (local.get $end)))))
  ;; sigmoid: o[i] = 1 / (1 + e^{−x[i]}) for i < n, n even, as the TypeScript kernel computes it
  ;; (in float64, then rounded to float32) and with the same check as tanh above: e^y for
  ;; y = −x clamped to [−40, 110] (beyond it the float32 result is 1 or 0), 2^k·e^r with e^r by
  ;; its Taylor series to r¹⁰ (the first term left out is below 2^-42 of it); 1/(1 + E) adds no
  ;; more than rounding to that relative error.
  (func (export "sigmoid") (param $x i32) (param $o i32) (param $n i32)
    (local $end i32) (local $v v128) (local $k v128) (local $r v128) (local $r2 v128) (local $r4 v128)
    (local $e v128) (local $t v128) (local $lo v128) (local $hi v128)
    (if (i32.eqz (local.get $n)) (then (return)))
    (local.set $end (i32.add (local.get $x) (i32.shl (local.get $n) (i32.const 2))))
    (local.set $o (i32.sub (local.get $o) (local.get $x)))
    (loop $loop
      ;; y = −x, clamped (pmin and pmax keep NaN, which the check below catches).
      (local.set $v
        (f64x2.pmax
          (f64x2.pmin (f64x2.neg (f64x2.promote_low_f32x4 (v128.load64_zero (local.get $x)))) (v128.const f64x2 110 110))
          (v128.const f64x2 -40 -40)))
      (local.set $k (f64x2.nearest (f64x2.mul (local.get $v) (v128.const f64x2 0x1.71547652b82fep0 0x1.71547652b82fep0))))
      (local.set $r
        (f64x2.sub
          (f64x2.sub (local.get $v) (f64x2.mul (local.get $k) (v128.const f64x2 0x1.62e42feep-1 0x1.62e42feep-1)))
          (f64x2.mul (local.get $k) (v128.const f64x2 0x1.a39ef35793c76p-33 0x1.a39ef35793c76p-33))))
      (local.set $r2 (f64x2.mul (local.get $r) (local.get $r)))
      (local.set $r4 (f64x2.mul (local.get $r2) (local.get $r2)))
      (local.set $e
        (f64x2.add
          (f64x2.add (f64x2.add (v128.const f64x2 1 1) (f64x2.mul (local.get $r) (v128.const f64x2 1 1))) (f64x2.mul (f64x2.add (v128.const f64x2 0.5 0.5) (f64x2.mul (local.get $r) (v128.const f64x2 0x1.5555555555555p-3 0x1.5555555555555p-3))) (local.get $r2)))
          (f64x2.mul (local.get $r4)
            (f64x2.add
              (f64x2.add (f64x2.add (v128.const f64x2 0x1.5555555555555p-5 0x1.5555555555555p-5) (f64x2.mul (local.get $r) (v128.const f64x2 0x1.1111111111111p-7 0x1.1111111111111p-7))) (f64x2.mul (f64x2.add (v128.const f64x2 0x1.6c16c16c16c17p-10 0x1.6c16c16c16c17p-10) (f64x2.mul (local.get $r) (v128.const f64x2 0x1.a01a01a01a01ap-13 0x1.a01a01a01a01ap-13))) (local.get $r2)))
              (f64x2.mul (local.get $r4) (f64x2.add (f64x2.add (v128.const f64x2 0x1.a01a01a01a01ap-16 0x1.a01a01a01a01ap-16) (f64x2.mul (local.get $r) (v128.const f64x2 0x1.71de3a556c734p-19 0x1.71de3a556c734p-19))) (f64x2.mul (local.get $r2) (v128.const f64x2 0x1.27e4fb7789f5cp-22 0x1.27e4fb7789f5cp-22))))))))
      (local.set $e
        (f64x2.mul (local.get $e)
          (i64x2.shl
            (i64x2.add (f64x2.add (local.get $k) (v128.const f64x2 0x1.8p52 0x1.8p52)) (v128.const i64x2 1023 1023))
            (i32.const 52))))
      (local.set $t (f64x2.div (v128.const f64x2 1 1) (f64x2.add (v128.const f64x2 1 1) (local.get $e))))
      (local.set $lo (f32x4.demote_f64x2_zero (f64x2.mul (local.get $t) (v128.const f64x2 0x1.ffffffffep-1 0x1.ffffffffep-1))))
      (local.set $hi (f32x4.demote_f64x2_zero (f64x2.mul (local.get $t) (v128.const f64x2 0x1.000000001p0 0x1.000000001p0))))
      (if (i32.eq (i32.and (i8x16.bitmask (f32x4.eq (local.get $lo) (local.get $hi))) (i32.const 0xff)) (i32.const 0xff))
        (then (v128.store64_lane 0 (i32.add (local.get $x) (local.get $o)) (local.get $lo)))
        (else
          (f32.store (i32.add (local.get $x) (local.get $o))
            (f32.demote_f64 (call $sigmoid (f64.promote_f32 (f32.load (local.get $x))))))
          (f32.store offset=4 (i32.add (local.get $x) (local.get $o))
            (f32.demote_f64 (call $sigmoid (f64.promote_f32 (f32.load offset=4 (local.get $x))))))))
      (local.set $x (i32.add (local.get $x) (i32.const 8)))
      (br_if $loop (i32.lt_u (local.get $x) (local.get $end))))))
