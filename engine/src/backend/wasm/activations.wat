;; float32 tanh and sigmoid with WebAssembly SIMD128, equal bit for bit to the TypeScript kernels
;; (Math.fround(Math.tanh(x)), Math.fround(1 / (1 + Math.exp(−x)))) at several times their speed.
;; tanh first; sigmoid (at the end) works the same way.
;;
;; Each value is computed in float64 to about 2^-36 relative (well inside float64 but far from
;; exact), then rounded to float32. That rounding is the same as Math.tanh's whenever the
;; result is not within 2^-34 (relative) of a point halfway between two float32 values: both
;; lie inside [r·(1 − 2^-34), r·(1 + 2^-34)], and round-to-nearest is monotonic, so if both ends
;; of that interval round to the same float32 so does every value inside it. When they do not
;; (about 1 value in 7,000 over all float32 inputs), or the input is NaN, the four values of that
;; step are recomputed with the imported Math.tanh, outside the loop (a call inside it would make
;; V8 reload every constant on every pass). engine/scripts/check-kernels.mjs checks every float32
;; input; without the check 200 of them would round the other way.
;;
;; tanh|x| = E / (E + 2) with E = e^{2|x|} − 1 (no cancellation at any |x|, so no separate
;; series for small ones), |x| clamped to 20 (tanh is 1 in float64 from 19.06). E = 2^k·(e^r − 1)
;; + (2^k − 1) with k = round(2|x|/ln 2), r = 2|x| − k·ln 2 (ln 2 in two parts, as fdlibm),
;; |r| ≤ 0.347, and e^r − 1 = r·P(r), P the degree-7 polynomial closest to (e^r − 1)/r over that
;; range in relative error (2^-37.7; fitted by Lawson's iterations, engine/scripts/fit-exp.py).
;; For k ≥ 1 the sum 2^k·(e^r − 1) + (2^k − 1) cancels at most a factor of 2.4: 2^-36.4.
;;
;; Each step takes four float32 values as two float64 pairs, written once between `;; twice {`
;; and `;; }` (engine/scripts/wat.mjs writes them out for pair 0 and pair 1): one pair's
;; multiply-adds run while the other's wait.
;;
;; tanh: o[i] = tanh(x[i]) for i < n, n even (the caller pads; o may equal x). The memory is
;; imported: its own for the tanh op, the product's for an RNN's time loop (recurrent.ts).
;; variant: shared (build-wasm.mjs also emits it importing a shared memory: the arena, arena.ts)
(module
  (import "m" "tanh" (func $exact (param f64) (result f64)))
  (import "m" "sigmoid" (func $sigmoid (param f64) (result f64)))
  (import "env" "memory" (memory 1))
  (export "memory" (memory 0))

  (func $tanhRange (export "tanh") (param $x i32) (param $o i32) (param $n i32)
    (local $end i32) (local $in v128) (local $lo v128) (local $hi v128) (local $i i32)
    ;; twice {
    (local $v@ v128) (local $y@ v128) (local $k@ v128) (local $r@ v128) (local $r2@ v128)
    (local $r4@ v128) (local $e@ v128) (local $p@ v128) (local $t@ v128)
    ;; }
    (if (i32.eqz (local.get $n)) (then (return)))
    (local.set $end (i32.add (local.get $x) (i32.shl (local.get $n) (i32.const 2))))
    ;; o walks as x + (o − x).
    (local.set $o (i32.sub (local.get $o) (local.get $x)))
    (loop $next
      (block $exact
        ;; The loop is tested at the bottom: V8 keeps a top test plus a jump back as written.
        (loop $fast
          ;; Four values, or the last two (then two zeros, whose tanh passes the check).
          (local.set $in
            (if (result v128) (i32.le_u (i32.add (local.get $x) (i32.const 16)) (local.get $end))
              (then (v128.load (local.get $x)))
              (else (v128.load64_zero (local.get $x)))))
          (local.set $v0 (f64x2.promote_low_f32x4 (local.get $in)))
          (local.set $v1 (f64x2.promote_low_f32x4
            (i8x16.shuffle 8 9 10 11 12 13 14 15 8 9 10 11 12 13 14 15 (local.get $in) (local.get $in))))
          ;; twice {
          ;; y = 2|x|, k and r. (NaN stays NaN through pmin and is caught by the check below.)
          (local.set $y@ (f64x2.mul (v128.const f64x2 2 2) (f64x2.pmin (f64x2.abs (local.get $v@)) (v128.const f64x2 20 20))))
          (local.set $k@ (f64x2.nearest (f64x2.mul (local.get $y@) (v128.const f64x2 0x1.71547652b82fep0 0x1.71547652b82fep0))))
          (local.set $r@
            (f64x2.sub
              (f64x2.sub (local.get $y@) (f64x2.mul (local.get $k@) (v128.const f64x2 0x1.62e42feep-1 0x1.62e42feep-1)))
              (f64x2.mul (local.get $k@) (v128.const f64x2 0x1.a39ef35793c76p-33 0x1.a39ef35793c76p-33))))
          ;; e^r − 1 = r·P(r), P by Estrin's scheme (pairs, then pairs of pairs, so the
          ;; multiply-adds do not wait on one another as Horner's do).
          (local.set $r2@ (f64x2.mul (local.get $r@) (local.get $r@)))
          (local.set $r4@ (f64x2.mul (local.get $r2@) (local.get $r2@)))
          (local.set $e@
            (f64x2.mul (local.get $r@)
              (f64x2.add
                (f64x2.add
                  (f64x2.add (v128.const f64x2 0x1.fffffffff6430p-1 0x1.fffffffff6430p-1) (f64x2.mul (local.get $r@) (v128.const f64x2 0x1.000000001a819p-1 0x1.000000001a819p-1)))
                  (f64x2.mul (local.get $r2@)
                    (f64x2.add (v128.const f64x2 0x1.5555557e1cf4ep-3 0x1.5555557e1cf4ep-3) (f64x2.mul (local.get $r@) (v128.const f64x2 0x1.555554f306a22p-5 0x1.555554f306a22p-5)))))
                (f64x2.mul (local.get $r4@)
                  (f64x2.add
                    (f64x2.add (v128.const f64x2 0x1.1110a69729459p-7 0x1.1110a69729459p-7) (f64x2.mul (local.get $r@) (v128.const f64x2 0x1.6c175b1a0f916p-10 0x1.6c175b1a0f916p-10)))
                    (f64x2.mul (local.get $r2@)
                      (f64x2.add (v128.const f64x2 0x1.a17d5079a38e9p-13 0x1.a17d5079a38e9p-13) (f64x2.mul (local.get $r@) (v128.const f64x2 0x1.a019e6f397e18p-16 0x1.a019e6f397e18p-16)))))))))
          ;; e^y − 1 = 2^k·(e^r − 1) + (2^k − 1); 2^k from k + 1.5·2^52, which holds k in its low
          ;; mantissa bits: (k + 1023) << 52 is 2^k's bits.
          (local.set $p@
            (i64x2.shl
              (i64x2.add (f64x2.add (local.get $k@) (v128.const f64x2 0x1.8p52 0x1.8p52)) (v128.const i64x2 1023 1023))
              (i32.const 52)))
          (local.set $e@
            (f64x2.add (f64x2.mul (local.get $p@) (local.get $e@)) (f64x2.sub (local.get $p@) (v128.const f64x2 1 1))))
          ;; tanh|x| = E / (E + 2), then x's sign (so tanh(−0) is −0).
          (local.set $t@
            (v128.or
              (f64x2.div (local.get $e@) (f64x2.add (local.get $e@) (v128.const f64x2 2 2)))
              (v128.and (local.get $v@) (v128.const i64x2 0x8000000000000000 0x8000000000000000))))
          ;; }
          ;; Both ends of the interval, rounded: four float32s each.
          (local.set $lo
            (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23
              (f32x4.demote_f64x2_zero (f64x2.mul (local.get $t0) (v128.const f64x2 0x1.ffffffff8p-1 0x1.ffffffff8p-1)))
              (f32x4.demote_f64x2_zero (f64x2.mul (local.get $t1) (v128.const f64x2 0x1.ffffffff8p-1 0x1.ffffffff8p-1)))))
          (local.set $hi
            (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23
              (f32x4.demote_f64x2_zero (f64x2.mul (local.get $t0) (v128.const f64x2 0x1.000000004p0 0x1.000000004p0)))
              (f32x4.demote_f64x2_zero (f64x2.mul (local.get $t1) (v128.const f64x2 0x1.000000004p0 0x1.000000004p0)))))
          (br_if $exact (i32.ne (i8x16.bitmask (f32x4.eq (local.get $lo) (local.get $hi))) (i32.const 0xffff)))
          (if (i32.le_u (i32.add (local.get $x) (i32.const 16)) (local.get $end))
            (then (v128.store (i32.add (local.get $x) (local.get $o)) (local.get $lo)))
            (else (v128.store64_lane 0 (i32.add (local.get $x) (local.get $o)) (local.get $lo))))
          (local.set $x (i32.add (local.get $x) (i32.const 16)))
          (br_if $fast (i32.lt_u (local.get $x) (local.get $end)))
          (return)))
      ;; Near a rounding boundary, or NaN: Math.tanh itself, for this step's values.
      (local.set $i (i32.const 0))
      (loop $each
        (f32.store (i32.add (i32.add (local.get $x) (local.get $o)) (local.get $i))
          (f32.demote_f64 (call $exact (f64.promote_f32 (f32.load (i32.add (local.get $x) (local.get $i)))))))
        (local.set $i (i32.add (local.get $i) (i32.const 4)))
        (br_if $each (i32.and (i32.lt_u (local.get $i) (i32.const 16))
          (i32.lt_u (i32.add (local.get $x) (local.get $i)) (local.get $end)))))
      (local.set $x (i32.add (local.get $x) (i32.const 16)))
      (br_if $next (i32.lt_u (local.get $x) (local.get $end)))))

  ;; sigmoid: o[i] = 1 / (1 + e^{−x[i]}) for i < n, n even, as the TypeScript kernel computes it
  ;; (in float64, then rounded to float32), four values a step as tanh above, with the check at
  ;; 2^-36: e^y for y = −x clamped to [−40, 110] (beyond it the float32 result is 1 or 0), 2^k·e^r
  ;; with e^r by the degree-8 polynomial closest to it over |r| ≤ 0.347 in relative error
  ;; (2^-40.2; engine/scripts/fit-exp.py); 1/(1 + E) adds no more than rounding to that error.
  (func $sigmoidRange (export "sigmoid") (param $x i32) (param $o i32) (param $n i32)
    (local $end i32) (local $in v128) (local $lo v128) (local $hi v128) (local $i i32)
    ;; twice {
    (local $v@ v128) (local $k@ v128) (local $r@ v128) (local $r2@ v128) (local $r4@ v128)
    (local $e@ v128) (local $t@ v128)
    ;; }
    (if (i32.eqz (local.get $n)) (then (return)))
    (local.set $end (i32.add (local.get $x) (i32.shl (local.get $n) (i32.const 2))))
    (local.set $o (i32.sub (local.get $o) (local.get $x)))
    (loop $next
      (block $exact
        (loop $fast
          ;; Four values, or the last two (then two zeros: σ(0) = 0.5 passes the check).
          (local.set $in
            (if (result v128) (i32.le_u (i32.add (local.get $x) (i32.const 16)) (local.get $end))
              (then (v128.load (local.get $x)))
              (else (v128.load64_zero (local.get $x)))))
          (local.set $v0 (f64x2.promote_low_f32x4 (local.get $in)))
          (local.set $v1 (f64x2.promote_low_f32x4
            (i8x16.shuffle 8 9 10 11 12 13 14 15 8 9 10 11 12 13 14 15 (local.get $in) (local.get $in))))
          ;; twice {
          ;; y = −x, clamped (pmin and pmax keep NaN, which the check below catches).
          (local.set $v@
            (f64x2.pmax (f64x2.pmin (f64x2.neg (local.get $v@)) (v128.const f64x2 110 110)) (v128.const f64x2 -40 -40)))
          (local.set $k@ (f64x2.nearest (f64x2.mul (local.get $v@) (v128.const f64x2 0x1.71547652b82fep0 0x1.71547652b82fep0))))
          (local.set $r@
            (f64x2.sub
              (f64x2.sub (local.get $v@) (f64x2.mul (local.get $k@) (v128.const f64x2 0x1.62e42feep-1 0x1.62e42feep-1)))
              (f64x2.mul (local.get $k@) (v128.const f64x2 0x1.a39ef35793c76p-33 0x1.a39ef35793c76p-33))))
          (local.set $r2@ (f64x2.mul (local.get $r@) (local.get $r@)))
          (local.set $r4@ (f64x2.mul (local.get $r2@) (local.get $r2@)))
          ;; e^r (Estrin's scheme), times 2^k (its bits: (k + 1023) << 52, k from k + 1.5·2^52).
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
          (local.set $t@ (f64x2.div (v128.const f64x2 1 1) (f64x2.add (v128.const f64x2 1 1) (local.get $e@))))
          ;; }
          (local.set $lo
            (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23
              (f32x4.demote_f64x2_zero (f64x2.mul (local.get $t0) (v128.const f64x2 0x1.ffffffffep-1 0x1.ffffffffep-1)))
              (f32x4.demote_f64x2_zero (f64x2.mul (local.get $t1) (v128.const f64x2 0x1.ffffffffep-1 0x1.ffffffffep-1)))))
          (local.set $hi
            (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23
              (f32x4.demote_f64x2_zero (f64x2.mul (local.get $t0) (v128.const f64x2 0x1.000000001p0 0x1.000000001p0)))
              (f32x4.demote_f64x2_zero (f64x2.mul (local.get $t1) (v128.const f64x2 0x1.000000001p0 0x1.000000001p0)))))
          (br_if $exact (i32.ne (i8x16.bitmask (f32x4.eq (local.get $lo) (local.get $hi))) (i32.const 0xffff)))
          (if (i32.le_u (i32.add (local.get $x) (i32.const 16)) (local.get $end))
            (then (v128.store (i32.add (local.get $x) (local.get $o)) (local.get $lo)))
            (else (v128.store64_lane 0 (i32.add (local.get $x) (local.get $o)) (local.get $lo))))
          (local.set $x (i32.add (local.get $x) (i32.const 16)))
          (br_if $fast (i32.lt_u (local.get $x) (local.get $end)))
          (return)))
      (local.set $i (i32.const 0))
      (loop $each
        (f32.store (i32.add (i32.add (local.get $x) (local.get $o)) (local.get $i))
          (f32.demote_f64 (call $sigmoid (f64.promote_f32 (f32.load (i32.add (local.get $x) (local.get $i)))))))
        (local.set $i (i32.add (local.get $i) (i32.const 4)))
        (br_if $each (i32.and (i32.lt_u (local.get $i) (i32.const 16))
          (i32.lt_u (i32.add (local.get $x) (local.get $i)) (local.get $end)))))
      (local.set $x (i32.add (local.get $x) (i32.const 16)))
      (br_if $next (i32.lt_u (local.get $x) (local.get $end)))))

  ;; A GRU cell's pointwise part (ops/gru-cell.ts), every value rounded to float32 where the
  ;; composed ops round it: from x = xi [rows, 3H] and g = gh [rows, 3H] (gates r, z, n) and
  ;; h [rows, H], all dense, with S = rows·H:
  ;;   p = [xr + hr | xz + hz] (2S), rz = σ(p), hn = gh's n part, a = xn + r·hn, n = tanh(a),
  ;;   out = (n − z·n) + z·h.
  ;; p, rz, a and n have room for one value more (the activations work in pairs).
  (func (export "gruForward")
    (param $x i32) (param $g i32) (param $h i32) (param $rows i32) (param $H i32)
    (param $p i32) (param $rz i32) (param $a i32) (param $n i32) (param $hn i32) (param $out i32)
    (local $b i32) (local $j i32) (local $i i32) (local $S i32) (local $row i32) (local $z f32) (local $v f32)
    (local.set $S (i32.mul (local.get $rows) (local.get $H)))
    (local.set $b (i32.const 0))
    (block $b1_done (loop $b1
      (br_if $b1_done (i32.ge_u (local.get $b) (local.get $rows)))
      (local.set $row (i32.shl (i32.mul (i32.mul (local.get $b) (local.get $H)) (i32.const 3)) (i32.const 2)))
      (local.set $j (i32.const 0))
      (block $j1_done (loop $j1
        (br_if $j1_done (i32.ge_u (local.get $j) (local.get $H)))
        (local.set $i (i32.shl (i32.add (i32.mul (local.get $b) (local.get $H)) (local.get $j)) (i32.const 2)))
        (f32.store (i32.add (local.get $p) (local.get $i))
          (f32.add
            (f32.load (i32.add (i32.add (local.get $x) (local.get $row)) (i32.shl (local.get $j) (i32.const 2))))
            (f32.load (i32.add (i32.add (local.get $g) (local.get $row)) (i32.shl (local.get $j) (i32.const 2))))))
        (f32.store (i32.add (i32.add (local.get $p) (i32.shl (local.get $S) (i32.const 2))) (local.get $i))
          (f32.add
            (f32.load (i32.add (i32.add (local.get $x) (local.get $row)) (i32.shl (i32.add (local.get $H) (local.get $j)) (i32.const 2))))
            (f32.load (i32.add (i32.add (local.get $g) (local.get $row)) (i32.shl (i32.add (local.get $H) (local.get $j)) (i32.const 2))))))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br $j1)))
      (local.set $b (i32.add (local.get $b) (i32.const 1)))
      (br $b1)))
    (call $sigmoidRange (local.get $p) (local.get $rz) (i32.shl (local.get $S) (i32.const 1)))
    (local.set $b (i32.const 0))
    (block $b2_done (loop $b2
      (br_if $b2_done (i32.ge_u (local.get $b) (local.get $rows)))
      (local.set $row
        (i32.shl (i32.add (i32.mul (i32.mul (local.get $b) (local.get $H)) (i32.const 3)) (i32.shl (local.get $H) (i32.const 1))) (i32.const 2)))
      (local.set $j (i32.const 0))
      (block $j2_done (loop $j2
        (br_if $j2_done (i32.ge_u (local.get $j) (local.get $H)))
        (local.set $i (i32.shl (i32.add (i32.mul (local.get $b) (local.get $H)) (local.get $j)) (i32.const 2)))
        (local.set $v (f32.load (i32.add (i32.add (local.get $g) (local.get $row)) (i32.shl (local.get $j) (i32.const 2)))))
        (f32.store (i32.add (local.get $hn) (local.get $i)) (local.get $v))
        (f32.store (i32.add (local.get $a) (local.get $i))
          (f32.add
            (f32.load (i32.add (i32.add (local.get $x) (local.get $row)) (i32.shl (local.get $j) (i32.const 2))))
            (f32.mul (f32.load (i32.add (local.get $rz) (local.get $i))) (local.get $v))))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br $j2)))
      (local.set $b (i32.add (local.get $b) (i32.const 1)))
      (br $b2)))
    (call $tanhRange (local.get $a) (local.get $n) (i32.and (i32.add (local.get $S) (i32.const 1)) (i32.const -2)))
    (local.set $i (i32.const 0))
    (block $o_done (loop $ol
      (br_if $o_done (i32.ge_u (local.get $i) (i32.shl (local.get $S) (i32.const 2))))
      (local.set $z (f32.load (i32.add (i32.add (local.get $rz) (i32.shl (local.get $S) (i32.const 2))) (local.get $i))))
      (local.set $v (f32.load (i32.add (local.get $n) (local.get $i))))
      (f32.store (i32.add (local.get $out) (local.get $i))
        (f32.add
          (f32.sub (local.get $v) (f32.mul (local.get $z) (local.get $v)))
          (f32.mul (local.get $z) (f32.load (i32.add (local.get $h) (local.get $i))))))
      (local.set $i (i32.add (local.get $i) (i32.const 4)))
      (br $ol))))

  ;; Its backward from the output's gradient gg [rows, H] and what the forward kept (r, z, n, hn,
  ;; h: each [rows, H], dense): dxi = [dpr | dpz | da] and dgh = [dpr | dpz | da·r] ([rows, 3H]),
  ;; dh = gg·z, where dn = gg − gg·z, dz = gg·h − gg·n, da = dn·(1 − n·n), dpz = dz·(z·(1 − z)),
  ;; dpr = (da·hn)·(r·(1 − r)): the composed ops' backward, each product and sum rounded as theirs.
  (func (export "gruBackward")
    (param $gg i32) (param $h i32) (param $r i32) (param $z i32) (param $n i32) (param $hn i32)
    (param $rows i32) (param $H i32) (param $dxi i32) (param $dgh i32) (param $dh i32)
    (local $b i32) (local $j i32) (local $i i32) (local $row i32)
    (local $gv f32) (local $zv f32) (local $nv f32) (local $rv f32) (local $da f32) (local $dz f32)
    (local $dpz f32) (local $dpr f32)
    (block $b_done (loop $bl
      (br_if $b_done (i32.ge_u (local.get $b) (local.get $rows)))
      (local.set $j (i32.const 0))
      (block $j_done (loop $jl
        (br_if $j_done (i32.ge_u (local.get $j) (local.get $H)))
        (local.set $i (i32.shl (i32.add (i32.mul (local.get $b) (local.get $H)) (local.get $j)) (i32.const 2)))
        (local.set $row
          (i32.shl (i32.add (i32.mul (i32.mul (local.get $b) (local.get $H)) (i32.const 3)) (local.get $j)) (i32.const 2)))
        (local.set $gv (f32.load (i32.add (local.get $gg) (local.get $i))))
        (local.set $zv (f32.load (i32.add (local.get $z) (local.get $i))))
        (local.set $nv (f32.load (i32.add (local.get $n) (local.get $i))))
        (local.set $rv (f32.load (i32.add (local.get $r) (local.get $i))))
        (local.set $dz
          (f32.add
            (f32.mul (local.get $gv) (f32.load (i32.add (local.get $h) (local.get $i))))
            (f32.mul (f32.neg (local.get $gv)) (local.get $nv))))
        (local.set $da
          (f32.mul
            (f32.add (local.get $gv) (f32.mul (f32.neg (local.get $gv)) (local.get $zv)))
            (f32.sub (f32.const 1) (f32.mul (local.get $nv) (local.get $nv)))))
        (local.set $dpz
          (f32.mul (local.get $dz) (f32.mul (local.get $zv) (f32.sub (f32.const 1) (local.get $zv)))))
        (local.set $dpr
          (f32.mul
            (f32.mul (local.get $da) (f32.load (i32.add (local.get $hn) (local.get $i))))
            (f32.mul (local.get $rv) (f32.sub (f32.const 1) (local.get $rv)))))
        (f32.store (i32.add (local.get $dxi) (local.get $row)) (local.get $dpr))
        (f32.store (i32.add (i32.add (local.get $dxi) (local.get $row)) (i32.shl (local.get $H) (i32.const 2))) (local.get $dpz))
        (f32.store (i32.add (i32.add (local.get $dxi) (local.get $row)) (i32.shl (local.get $H) (i32.const 3))) (local.get $da))
        (f32.store (i32.add (local.get $dgh) (local.get $row)) (local.get $dpr))
        (f32.store (i32.add (i32.add (local.get $dgh) (local.get $row)) (i32.shl (local.get $H) (i32.const 2))) (local.get $dpz))
        (f32.store (i32.add (i32.add (local.get $dgh) (local.get $row)) (i32.shl (local.get $H) (i32.const 3)))
          (f32.mul (local.get $da) (local.get $rv)))
        (f32.store (i32.add (local.get $dh) (local.get $i)) (f32.mul (local.get $gv) (local.get $zv)))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br $jl)))
      (local.set $b (i32.add (local.get $b) (i32.const 1)))
      (br $bl))))

  ;; An LSTM cell's pointwise part (ops/lstm-cell.ts), rounded as the composed ops round: from
  ;; x = xi [rows, 4H] and g = gh [rows, 4H] (gates i, f, g, o) and c [rows, H], dense, S = rows·H:
  ;;   p = x + g, laid out by gate ([i | f | g | o], S each), act = [σ(i) | σ(f) | tanh(g) | σ(o)],
  ;;   c' = σ(f)·c + σ(i)·tanh(g), tc = tanh(c'), h' = σ(o)·tc;
  ;; out [rows, 2H] holds [h' | c'] per row. p, act and tc have room for one value more.
  (func (export "lstmForward")
    (param $x i32) (param $g i32) (param $c i32) (param $rows i32) (param $H i32)
    (param $p i32) (param $act i32) (param $tc i32) (param $out i32)
    (local $b i32) (local $j i32) (local $k i32) (local $i i32) (local $S4 i32) (local $src i32)
    (local $cn f32)
    (local.set $S4 (i32.shl (i32.mul (local.get $rows) (local.get $H)) (i32.const 2)))
    ;; p, gate by gate: p[k·S + b·H + j] = x[b, k·H + j] + g[b, k·H + j].
    (block $b1_done (loop $b1
      (br_if $b1_done (i32.ge_u (local.get $b) (local.get $rows)))
      (local.set $k (i32.const 0))
      (block $k_done (loop $kl
        (br_if $k_done (i32.ge_u (local.get $k) (i32.const 4)))
        (local.set $j (i32.const 0))
        (block $j1_done (loop $j1
          (br_if $j1_done (i32.ge_u (local.get $j) (local.get $H)))
          (local.set $src
            (i32.shl
              (i32.add (i32.mul (i32.add (i32.shl (local.get $b) (i32.const 2)) (local.get $k)) (local.get $H)) (local.get $j))
              (i32.const 2)))
          (f32.store
            (i32.add (local.get $p)
              (i32.add (i32.mul (local.get $k) (local.get $S4))
                (i32.shl (i32.add (i32.mul (local.get $b) (local.get $H)) (local.get $j)) (i32.const 2))))
            (f32.add (f32.load (i32.add (local.get $x) (local.get $src))) (f32.load (i32.add (local.get $g) (local.get $src)))))
          (local.set $j (i32.add (local.get $j) (i32.const 1)))
          (br $j1)))
        (local.set $k (i32.add (local.get $k) (i32.const 1)))
        (br $kl)))
      (local.set $b (i32.add (local.get $b) (i32.const 1)))
      (br $b1)))
    ;; σ over i and f, tanh over g, σ over o (each call works in pairs: an odd S computes one
    ;; value past its gate, which the next call overwrites, or into the slack).
    (call $sigmoidRange (local.get $p) (local.get $act) (i32.shr_u (local.get $S4) (i32.const 1)))
    (call $tanhRange
      (i32.add (local.get $p) (i32.shl (local.get $S4) (i32.const 1)))
      (i32.add (local.get $act) (i32.shl (local.get $S4) (i32.const 1)))
      (i32.and (i32.add (i32.shr_u (local.get $S4) (i32.const 2)) (i32.const 1)) (i32.const -2)))
    (call $sigmoidRange
      (i32.add (local.get $p) (i32.mul (local.get $S4) (i32.const 3)))
      (i32.add (local.get $act) (i32.mul (local.get $S4) (i32.const 3)))
      (i32.and (i32.add (i32.shr_u (local.get $S4) (i32.const 2)) (i32.const 1)) (i32.const -2)))
    ;; c' = σ(f)·c + σ(i)·tanh(g), written to out's c half.
    (local.set $b (i32.const 0))
    (block $b2_done (loop $b2
      (br_if $b2_done (i32.ge_u (local.get $b) (local.get $rows)))
      (local.set $j (i32.const 0))
      (block $j2_done (loop $j2
        (br_if $j2_done (i32.ge_u (local.get $j) (local.get $H)))
        (local.set $i (i32.shl (i32.add (i32.mul (local.get $b) (local.get $H)) (local.get $j)) (i32.const 2)))
        (local.set $cn
          (f32.add
            (f32.mul (f32.load (i32.add (i32.add (local.get $act) (local.get $S4)) (local.get $i)))
              (f32.load (i32.add (local.get $c) (local.get $i))))
            (f32.mul (f32.load (i32.add (local.get $act) (local.get $i)))
              (f32.load (i32.add (i32.add (local.get $act) (i32.shl (local.get $S4) (i32.const 1))) (local.get $i))))))
        (f32.store (i32.add (local.get $tc) (local.get $i)) (local.get $cn))
        (f32.store
          (i32.add (local.get $out)
            (i32.shl (i32.add (i32.mul (i32.shl (local.get $b) (i32.const 1)) (local.get $H)) (i32.add (local.get $H) (local.get $j))) (i32.const 2)))
          (local.get $cn))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br $j2)))
      (local.set $b (i32.add (local.get $b) (i32.const 1)))
      (br $b2)))
    ;; tc = tanh(c') in place, then h' = σ(o)·tc into out's h half.
    (call $tanhRange (local.get $tc) (local.get $tc)
      (i32.and (i32.add (i32.shr_u (local.get $S4) (i32.const 2)) (i32.const 1)) (i32.const -2)))
    (local.set $b (i32.const 0))
    (block $b3_done (loop $b3
      (br_if $b3_done (i32.ge_u (local.get $b) (local.get $rows)))
      (local.set $j (i32.const 0))
      (block $j3_done (loop $j3
        (br_if $j3_done (i32.ge_u (local.get $j) (local.get $H)))
        (local.set $i (i32.shl (i32.add (i32.mul (local.get $b) (local.get $H)) (local.get $j)) (i32.const 2)))
        (f32.store
          (i32.add (local.get $out)
            (i32.shl (i32.add (i32.mul (i32.shl (local.get $b) (i32.const 1)) (local.get $H)) (local.get $j)) (i32.const 2)))
          (f32.mul
            (f32.load (i32.add (i32.add (local.get $act) (i32.mul (local.get $S4) (i32.const 3))) (local.get $i)))
            (f32.load (i32.add (local.get $tc) (local.get $i)))))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br $j3)))
      (local.set $b (i32.add (local.get $b) (i32.const 1)))
      (br $b3))))

  ;; Its backward from gg = [dh | dc] ([rows, 2H]), c, act and tc as the forward left them:
  ;; dgates [rows, 4H] (the gradient of xi and of gh alike) and dc_prev [rows, H], where
  ;; do = dh·tc, dc' = dc + (dh·σo)·(1 − tc·tc), then σf's, σi's, tanh(g)'s and σo's derivatives.
  (func (export "lstmBackward")
    (param $gg i32) (param $c i32) (param $act i32) (param $tc i32) (param $rows i32) (param $H i32)
    (param $dg i32) (param $dc i32)
    (local $b i32) (local $j i32) (local $i i32) (local $S4 i32) (local $row i32)
    (local $dh f32) (local $t f32) (local $si f32) (local $sf f32) (local $tg f32) (local $so f32)
    (local $dcn f32)
    (local.set $S4 (i32.shl (i32.mul (local.get $rows) (local.get $H)) (i32.const 2)))
    (block $b_done (loop $bl
      (br_if $b_done (i32.ge_u (local.get $b) (local.get $rows)))
      (local.set $j (i32.const 0))
      (block $j_done (loop $jl
        (br_if $j_done (i32.ge_u (local.get $j) (local.get $H)))
        (local.set $i (i32.shl (i32.add (i32.mul (local.get $b) (local.get $H)) (local.get $j)) (i32.const 2)))
        (local.set $row (i32.shl (i32.add (i32.mul (i32.shl (local.get $b) (i32.const 1)) (local.get $H)) (local.get $j)) (i32.const 2)))
        (local.set $dh (f32.load (i32.add (local.get $gg) (local.get $row))))
        (local.set $t (f32.load (i32.add (local.get $tc) (local.get $i))))
        (local.set $si (f32.load (i32.add (local.get $act) (local.get $i))))
        (local.set $sf (f32.load (i32.add (i32.add (local.get $act) (local.get $S4)) (local.get $i))))
        (local.set $tg (f32.load (i32.add (i32.add (local.get $act) (i32.shl (local.get $S4) (i32.const 1))) (local.get $i))))
        (local.set $so (f32.load (i32.add (i32.add (local.get $act) (i32.mul (local.get $S4) (i32.const 3))) (local.get $i))))
        (local.set $dcn
          (f32.add
            (f32.load (i32.add (i32.add (local.get $gg) (local.get $row)) (i32.shl (local.get $H) (i32.const 2))))
            (f32.mul (f32.mul (local.get $dh) (local.get $so))
              (f32.sub (f32.const 1) (f32.mul (local.get $t) (local.get $t))))))
        (local.set $row (i32.shl (i32.add (i32.mul (i32.shl (local.get $b) (i32.const 2)) (local.get $H)) (local.get $j)) (i32.const 2)))
        ;; i: (dc'·tanh g)·(σi·(1 − σi)); f: (dc'·c)·(σf·(1 − σf)); g: (dc'·σi)·(1 − tanh²); o: (dh·tc)·(σo·(1 − σo)).
        (f32.store (i32.add (local.get $dg) (local.get $row))
          (f32.mul (f32.mul (local.get $dcn) (local.get $tg))
            (f32.mul (local.get $si) (f32.sub (f32.const 1) (local.get $si)))))
        (f32.store (i32.add (i32.add (local.get $dg) (local.get $row)) (i32.shl (local.get $H) (i32.const 2)))
          (f32.mul (f32.mul (local.get $dcn) (f32.load (i32.add (local.get $c) (local.get $i))))
            (f32.mul (local.get $sf) (f32.sub (f32.const 1) (local.get $sf)))))
        (f32.store (i32.add (i32.add (local.get $dg) (local.get $row)) (i32.shl (local.get $H) (i32.const 3)))
          (f32.mul (f32.mul (local.get $dcn) (local.get $si))
            (f32.sub (f32.const 1) (f32.mul (local.get $tg) (local.get $tg)))))
        (f32.store (i32.add (i32.add (local.get $dg) (local.get $row)) (i32.mul (local.get $H) (i32.const 12)))
          (f32.mul (f32.mul (local.get $dh) (local.get $t))
            (f32.mul (local.get $so) (f32.sub (f32.const 1) (local.get $so)))))
        (f32.store (i32.add (local.get $dc) (local.get $i)) (f32.mul (local.get $dcn) (local.get $sf)))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br $jl)))
      (local.set $b (i32.add (local.get $b) (i32.const 1)))
      (br $bl))))
)
