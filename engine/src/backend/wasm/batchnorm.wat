;; Batch normalisation in training mode (the batch's own statistics) over a dense float32 block
;; [n, C, L] (C channels; L positions: H·W for BatchNorm2d, 1 for BatchNorm1d on [n, C]), four
;; passes where the composed ops made about twenty-five. Each call covers `count` channels from
;; the channel its addresses point at (so that the threads can share channels out), and keeps
;; what it knows of a channel in that channel's row of a table: eight floats, 32 bytes,
;;   0 mean, 1 variance (biased), 2 std = sqrt(variance + eps), 3 weight (1 when none),
;;   4 bias (−0 when none: v + −0 is v, −0 included), 5 Σg, then ḡ, 6 Σg·x̂, then mean(g·x̂),
;;   7 weight / std.
;;
;; stats(x, n, C, L, count, table): mean and variance, rounded as the composed ops round them:
;;   each sum one float64 chain per channel in sample-then-position order (the TypeScript
;;   reduce's), rounded to float32 once; mean = sum / (n·L) and variance = Σ (x − mean)² / (n·L),
;;   each difference and square rounded to float32. So x.mean() and x.var() bit for bit.
;; normalize(x, o, n, C, L, count, table): o = ((x − mean) / std) · weight + bias, each step
;;   rounded to float32: the composed forward bit for bit. (std is the caller's: WebAssembly's
;;   sqrt is the same, but eps comes as a float.)
;; gradSums(g, x, n, C, L, count, table): Σg and Σg·x̂ with x̂ = (x − mean) / std rounded as the
;;   forward rounds it; the products exact in float64, four float64 chains per channel.
;; gradInput(g, x, o, n, C, L, count, table): o = ((g − ḡ) − x̂ · mean(g·x̂)) · (weight / std),
;;   PyTorch's formula for the input's gradient.
;;
;; Four channels at a time in stats (a lane each: one chain's additions wait on one another,
;; four chains' do not); the others go row by row, four positions a step, then one at a time
;; (no vector store past a row: the next row may be another thread's).
;; variant: shared (build-wasm.mjs also emits it importing a shared memory: the arena, arena.ts)
(module
  (memory (export "memory") 1)

  ;; Four adjacent channels' sums (a lane each) over n samples `step` bytes apart and rows of lb
  ;; bytes, of v − shift (v itself when shift is 0: v − 0 is v, −0 included), or of its square
  ;; where `square` is all ones; each lane one float64 chain, rounded to float32 at the end.
  (func $sums4 (param $x i32) (param $n i32) (param $step i32) (param $lb i32)
    (param $shift v128) (param $square v128) (result v128)
    (local $p i32) (local $row i32) (local $end i32) (local $v v128) (local $a0 v128) (local $a1 v128)
    (block $samples_done (loop $samples
      (br_if $samples_done (i32.ge_u (local.get $p) (local.get $n)))
      (local.set $row (i32.add (local.get $x) (i32.mul (local.get $p) (local.get $step))))
      (local.set $end (i32.add (local.get $row) (local.get $lb)))
      (block $row_done (loop $positions
        (br_if $row_done (i32.ge_u (local.get $row) (local.get $end)))
        (local.set $v (f32x4.sub
          (v128.load32_lane 3 (i32.add (local.get $row) (i32.mul (local.get $lb) (i32.const 3)))
            (v128.load32_lane 2 (i32.add (local.get $row) (i32.shl (local.get $lb) (i32.const 1)))
              (v128.load32_lane 1 (i32.add (local.get $row) (local.get $lb))
                (v128.load32_zero (local.get $row)))))
          (local.get $shift)))
        (local.set $v (v128.bitselect (f32x4.mul (local.get $v) (local.get $v)) (local.get $v) (local.get $square)))
        (local.set $a0 (f64x2.add (local.get $a0) (f64x2.promote_low_f32x4 (local.get $v))))
        (local.set $a1 (f64x2.add (local.get $a1) (f64x2.promote_low_f32x4
          (i8x16.shuffle 8 9 10 11 12 13 14 15 8 9 10 11 12 13 14 15 (local.get $v) (local.get $v)))))
        (local.set $row (i32.add (local.get $row) (i32.const 4)))
        (br $positions)))
      (local.set $p (i32.add (local.get $p) (i32.const 1)))
      (br $samples)))
    (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23
      (f32x4.demote_f64x2_zero (local.get $a0)) (f32x4.demote_f64x2_zero (local.get $a1))))

  ;; One channel's sum, the same way.
  (func $sums1 (param $x i32) (param $n i32) (param $step i32) (param $lb i32)
    (param $shift f32) (param $square i32) (result f32)
    (local $p i32) (local $row i32) (local $end i32) (local $v f32) (local $a f64)
    (block $samples_done (loop $samples
      (br_if $samples_done (i32.ge_u (local.get $p) (local.get $n)))
      (local.set $row (i32.add (local.get $x) (i32.mul (local.get $p) (local.get $step))))
      (local.set $end (i32.add (local.get $row) (local.get $lb)))
      (block $row_done (loop $positions
        (br_if $row_done (i32.ge_u (local.get $row) (local.get $end)))
        (local.set $v (f32.sub (f32.load (local.get $row)) (local.get $shift)))
        (local.set $v (select (f32.mul (local.get $v) (local.get $v)) (local.get $v) (local.get $square)))
        (local.set $a (f64.add (local.get $a) (f64.promote_f32 (local.get $v))))
        (local.set $row (i32.add (local.get $row) (i32.const 4)))
        (br $positions)))
      (local.set $p (i32.add (local.get $p) (i32.const 1)))
      (br $samples)))
    (f32.demote_f64 (local.get $a)))

  (func (export "stats")
    (param $x i32) (param $n i32) (param $C i32) (param $L i32) (param $count i32) (param $table i32)
    (local $j i32) (local $lb i32) (local $step i32) (local $at i32) (local $t i32)
    (local $k v128) (local $mean v128) (local $var v128) (local $m f32)
    (local.set $lb (i32.shl (local.get $L) (i32.const 2)))
    (local.set $step (i32.mul (local.get $lb) (local.get $C)))
    (local.set $k (f32x4.splat (f32.convert_i32_u (i32.mul (local.get $n) (local.get $L)))))
    (block $groups_done (loop $groups
      (br_if $groups_done (i32.gt_u (i32.add (local.get $j) (i32.const 4)) (local.get $count)))
      (local.set $at (i32.add (local.get $x) (i32.mul (local.get $j) (local.get $lb))))
      (local.set $mean (f32x4.div
        (call $sums4 (local.get $at) (local.get $n) (local.get $step) (local.get $lb)
          (v128.const i32x4 0 0 0 0) (v128.const i32x4 0 0 0 0))
        (local.get $k)))
      (local.set $var (f32x4.div
        (call $sums4 (local.get $at) (local.get $n) (local.get $step) (local.get $lb)
          (local.get $mean) (v128.const i32x4 -1 -1 -1 -1))
        (local.get $k)))
      (local.set $t (i32.add (local.get $table) (i32.shl (local.get $j) (i32.const 5))))
      (f32.store offset=0 (local.get $t) (f32x4.extract_lane 0 (local.get $mean)))
      (f32.store offset=4 (local.get $t) (f32x4.extract_lane 0 (local.get $var)))
      (f32.store offset=32 (local.get $t) (f32x4.extract_lane 1 (local.get $mean)))
      (f32.store offset=36 (local.get $t) (f32x4.extract_lane 1 (local.get $var)))
      (f32.store offset=64 (local.get $t) (f32x4.extract_lane 2 (local.get $mean)))
      (f32.store offset=68 (local.get $t) (f32x4.extract_lane 2 (local.get $var)))
      (f32.store offset=96 (local.get $t) (f32x4.extract_lane 3 (local.get $mean)))
      (f32.store offset=100 (local.get $t) (f32x4.extract_lane 3 (local.get $var)))
      (local.set $j (i32.add (local.get $j) (i32.const 4)))
      (br $groups)))
    (block $singles_done (loop $singles
      (br_if $singles_done (i32.ge_u (local.get $j) (local.get $count)))
      (local.set $at (i32.add (local.get $x) (i32.mul (local.get $j) (local.get $lb))))
      (local.set $m (f32.div
        (call $sums1 (local.get $at) (local.get $n) (local.get $step) (local.get $lb) (f32.const 0) (i32.const 0))
        (f32x4.extract_lane 0 (local.get $k))))
      (local.set $t (i32.add (local.get $table) (i32.shl (local.get $j) (i32.const 5))))
      (f32.store offset=0 (local.get $t) (local.get $m))
      (f32.store offset=4 (local.get $t) (f32.div
        (call $sums1 (local.get $at) (local.get $n) (local.get $step) (local.get $lb) (local.get $m) (i32.const 1))
        (f32x4.extract_lane 0 (local.get $k))))
      (local.set $j (i32.add (local.get $j) (i32.const 1)))
      (br $singles)))
  )

  (func (export "normalize")
    (param $x i32) (param $o i32) (param $n i32) (param $C i32) (param $L i32) (param $count i32)
    (param $table i32)
    (local $j i32) (local $p i32) (local $lb i32) (local $step i32) (local $vec i32) (local $t i32)
    (local $off i32) (local $end i32) (local $vend i32)
    (local $m f32) (local $s f32) (local $w f32) (local $b f32)
    (local $m4 v128) (local $s4 v128) (local $w4 v128) (local $b4 v128)
    (local.set $lb (i32.shl (local.get $L) (i32.const 2)))
    (local.set $step (i32.mul (local.get $lb) (local.get $C)))
    (local.set $vec (i32.shl (i32.and (local.get $L) (i32.const -4)) (i32.const 2)))
    (block $channels_done (loop $channels
      (br_if $channels_done (i32.ge_u (local.get $j) (local.get $count)))
      (local.set $t (i32.add (local.get $table) (i32.shl (local.get $j) (i32.const 5))))
      (local.set $m (f32.load offset=0 (local.get $t)))
      (local.set $s (f32.load offset=8 (local.get $t)))
      (local.set $w (f32.load offset=12 (local.get $t)))
      (local.set $b (f32.load offset=16 (local.get $t)))
      (local.set $m4 (f32x4.splat (local.get $m)))
      (local.set $s4 (f32x4.splat (local.get $s)))
      (local.set $w4 (f32x4.splat (local.get $w)))
      (local.set $b4 (f32x4.splat (local.get $b)))
      (local.set $p (i32.const 0))
      (block $samples_done (loop $samples
        (br_if $samples_done (i32.ge_u (local.get $p) (local.get $n)))
        ;; off: this row's first byte from x (and from o); vend and end: its vector part's end and its end.
        (local.set $off (i32.add (i32.mul (local.get $p) (local.get $step)) (i32.mul (local.get $j) (local.get $lb))))
        (local.set $vend (i32.add (local.get $off) (local.get $vec)))
        (local.set $end (i32.add (local.get $off) (local.get $lb)))
        (block $vectors_done (loop $vectors
          (br_if $vectors_done (i32.ge_u (local.get $off) (local.get $vend)))
          (v128.store (i32.add (local.get $o) (local.get $off))
            (f32x4.add
              (f32x4.mul
                (f32x4.div (f32x4.sub (v128.load (i32.add (local.get $x) (local.get $off))) (local.get $m4)) (local.get $s4))
                (local.get $w4))
              (local.get $b4)))
          (local.set $off (i32.add (local.get $off) (i32.const 16)))
          (br $vectors)))
        (block $rest_done (loop $rest
          (br_if $rest_done (i32.ge_u (local.get $off) (local.get $end)))
          (f32.store (i32.add (local.get $o) (local.get $off))
            (f32.add
              (f32.mul
                (f32.div (f32.sub (f32.load (i32.add (local.get $x) (local.get $off))) (local.get $m)) (local.get $s))
                (local.get $w))
              (local.get $b)))
          (local.set $off (i32.add (local.get $off) (i32.const 4)))
          (br $rest)))
        (local.set $p (i32.add (local.get $p) (i32.const 1)))
        (br $samples)))
      (local.set $j (i32.add (local.get $j) (i32.const 1)))
      (br $channels)))
  )

  (func (export "gradSums")
    (param $g i32) (param $x i32) (param $n i32) (param $C i32) (param $L i32) (param $count i32)
    (param $table i32)
    (local $j i32) (local $p i32) (local $lb i32) (local $step i32) (local $vec i32) (local $t i32)
    (local $off i32) (local $end i32) (local $vend i32)
    (local $m f32) (local $s f32) (local $gv f32) (local $sg f64) (local $sgx f64)
    (local $m4 v128) (local $s4 v128) (local $g4 v128) (local $h4 v128)
    (local $sg0 v128) (local $sg1 v128) (local $sx0 v128) (local $sx1 v128)
    (local.set $lb (i32.shl (local.get $L) (i32.const 2)))
    (local.set $step (i32.mul (local.get $lb) (local.get $C)))
    (local.set $vec (i32.shl (i32.and (local.get $L) (i32.const -4)) (i32.const 2)))
    (block $channels_done (loop $channels
      (br_if $channels_done (i32.ge_u (local.get $j) (local.get $count)))
      (local.set $t (i32.add (local.get $table) (i32.shl (local.get $j) (i32.const 5))))
      (local.set $m (f32.load offset=0 (local.get $t)))
      (local.set $s (f32.load offset=8 (local.get $t)))
      (local.set $m4 (f32x4.splat (local.get $m)))
      (local.set $s4 (f32x4.splat (local.get $s)))
      (local.set $sg0 (v128.const i64x2 0 0))
      (local.set $sg1 (v128.const i64x2 0 0))
      (local.set $sx0 (v128.const i64x2 0 0))
      (local.set $sx1 (v128.const i64x2 0 0))
      (local.set $sg (f64.const 0))
      (local.set $sgx (f64.const 0))
      (local.set $p (i32.const 0))
      (block $samples_done (loop $samples
        (br_if $samples_done (i32.ge_u (local.get $p) (local.get $n)))
        (local.set $off (i32.add (i32.mul (local.get $p) (local.get $step)) (i32.mul (local.get $j) (local.get $lb))))
        (local.set $vend (i32.add (local.get $off) (local.get $vec)))
        (local.set $end (i32.add (local.get $off) (local.get $lb)))
        (block $vectors_done (loop $vectors
          (br_if $vectors_done (i32.ge_u (local.get $off) (local.get $vend)))
          (local.set $g4 (v128.load (i32.add (local.get $g) (local.get $off))))
          (local.set $h4 (f32x4.div (f32x4.sub (v128.load (i32.add (local.get $x) (local.get $off))) (local.get $m4)) (local.get $s4)))
          (local.set $sg0 (f64x2.add (local.get $sg0) (f64x2.promote_low_f32x4 (local.get $g4))))
          (local.set $sx0 (f64x2.add (local.get $sx0)
            (f64x2.mul (f64x2.promote_low_f32x4 (local.get $g4)) (f64x2.promote_low_f32x4 (local.get $h4)))))
          (local.set $g4 (i8x16.shuffle 8 9 10 11 12 13 14 15 8 9 10 11 12 13 14 15 (local.get $g4) (local.get $g4)))
          (local.set $h4 (i8x16.shuffle 8 9 10 11 12 13 14 15 8 9 10 11 12 13 14 15 (local.get $h4) (local.get $h4)))
          (local.set $sg1 (f64x2.add (local.get $sg1) (f64x2.promote_low_f32x4 (local.get $g4))))
          (local.set $sx1 (f64x2.add (local.get $sx1)
            (f64x2.mul (f64x2.promote_low_f32x4 (local.get $g4)) (f64x2.promote_low_f32x4 (local.get $h4)))))
          (local.set $off (i32.add (local.get $off) (i32.const 16)))
          (br $vectors)))
        (block $rest_done (loop $rest
          (br_if $rest_done (i32.ge_u (local.get $off) (local.get $end)))
          (local.set $gv (f32.load (i32.add (local.get $g) (local.get $off))))
          (local.set $sg (f64.add (local.get $sg) (f64.promote_f32 (local.get $gv))))
          (local.set $sgx (f64.add (local.get $sgx)
            (f64.mul (f64.promote_f32 (local.get $gv))
              (f64.promote_f32 (f32.div (f32.sub (f32.load (i32.add (local.get $x) (local.get $off))) (local.get $m))
                (local.get $s))))))
          (local.set $off (i32.add (local.get $off) (i32.const 4)))
          (br $rest)))
        (local.set $p (i32.add (local.get $p) (i32.const 1)))
        (br $samples)))
      (local.set $sg0 (f64x2.add (local.get $sg0) (local.get $sg1)))
      (local.set $sx0 (f64x2.add (local.get $sx0) (local.get $sx1)))
      (f32.store offset=20 (local.get $t) (f32.demote_f64
        (f64.add (local.get $sg)
          (f64.add (f64x2.extract_lane 0 (local.get $sg0)) (f64x2.extract_lane 1 (local.get $sg0))))))
      (f32.store offset=24 (local.get $t) (f32.demote_f64
        (f64.add (local.get $sgx)
          (f64.add (f64x2.extract_lane 0 (local.get $sx0)) (f64x2.extract_lane 1 (local.get $sx0))))))
      (local.set $j (i32.add (local.get $j) (i32.const 1)))
      (br $channels)))
  )

  (func (export "gradInput")
    (param $g i32) (param $x i32) (param $o i32) (param $n i32) (param $C i32) (param $L i32)
    (param $count i32) (param $table i32)
    (local $j i32) (local $p i32) (local $lb i32) (local $step i32) (local $vec i32) (local $t i32)
    (local $off i32) (local $end i32) (local $vend i32)
    (local $m f32) (local $s f32) (local $mg f32) (local $mgx f32) (local $a f32)
    (local $m4 v128) (local $s4 v128) (local $mg4 v128) (local $mgx4 v128) (local $a4 v128)
    (local.set $lb (i32.shl (local.get $L) (i32.const 2)))
    (local.set $step (i32.mul (local.get $lb) (local.get $C)))
    (local.set $vec (i32.shl (i32.and (local.get $L) (i32.const -4)) (i32.const 2)))
    (block $channels_done (loop $channels
      (br_if $channels_done (i32.ge_u (local.get $j) (local.get $count)))
      (local.set $t (i32.add (local.get $table) (i32.shl (local.get $j) (i32.const 5))))
      (local.set $m (f32.load offset=0 (local.get $t)))
      (local.set $s (f32.load offset=8 (local.get $t)))
      (local.set $mg (f32.load offset=20 (local.get $t)))
      (local.set $mgx (f32.load offset=24 (local.get $t)))
      (local.set $a (f32.load offset=28 (local.get $t)))
      (local.set $m4 (f32x4.splat (local.get $m)))
      (local.set $s4 (f32x4.splat (local.get $s)))
      (local.set $mg4 (f32x4.splat (local.get $mg)))
      (local.set $mgx4 (f32x4.splat (local.get $mgx)))
      (local.set $a4 (f32x4.splat (local.get $a)))
      (local.set $p (i32.const 0))
      (block $samples_done (loop $samples
        (br_if $samples_done (i32.ge_u (local.get $p) (local.get $n)))
        (local.set $off (i32.add (i32.mul (local.get $p) (local.get $step)) (i32.mul (local.get $j) (local.get $lb))))
        (local.set $vend (i32.add (local.get $off) (local.get $vec)))
        (local.set $end (i32.add (local.get $off) (local.get $lb)))
        (block $vectors_done (loop $vectors
          (br_if $vectors_done (i32.ge_u (local.get $off) (local.get $vend)))
          (v128.store (i32.add (local.get $o) (local.get $off))
            (f32x4.mul
              (f32x4.sub
                (f32x4.sub (v128.load (i32.add (local.get $g) (local.get $off))) (local.get $mg4))
                (f32x4.mul
                  (f32x4.div (f32x4.sub (v128.load (i32.add (local.get $x) (local.get $off))) (local.get $m4)) (local.get $s4))
                  (local.get $mgx4)))
              (local.get $a4)))
          (local.set $off (i32.add (local.get $off) (i32.const 16)))
          (br $vectors)))
        (block $rest_done (loop $rest
          (br_if $rest_done (i32.ge_u (local.get $off) (local.get $end)))
          (f32.store (i32.add (local.get $o) (local.get $off))
            (f32.mul
              (f32.sub
                (f32.sub (f32.load (i32.add (local.get $g) (local.get $off))) (local.get $mg))
                (f32.mul
                  (f32.div (f32.sub (f32.load (i32.add (local.get $x) (local.get $off))) (local.get $m)) (local.get $s))
                  (local.get $mgx)))
              (local.get $a)))
          (local.set $off (i32.add (local.get $off) (i32.const 4)))
          (br $rest)))
        (local.set $p (i32.add (local.get $p) (i32.const 1)))
        (br $samples)))
      (local.set $j (i32.add (local.get $j) (i32.const 1)))
      (br $channels)))
  )
)
