;; Dense float32 elementwise ops with WebAssembly SIMD128, four lanes at a time, then one lane for
;; the tail. Every op here is one IEEE operation (or a select), so results are bit-identical to
;; the TypeScript kernels, which compute in double and round once to float32.
;;
;; binary(opf, a, b, o, rows, n, aRow, bRow): o[r, j] = a[r, j] op b[r, j] for r < rows, j < n.
;; a and b start at byte offsets a and b and advance aRow / bRow bytes per row (0: the same row
;; broadcast to every row). opf = op | flags << 2; ops: 0 add, 1 sub, 2 mul, 3 div; flags: 1, a
;; holds one value per row (broadcast along the row); 2, the same for b. o is dense: rows × n, and
;; nothing past it is written.
;; unary: o[i] = op(x[i]) for i < n. Ops: 0 neg, 1 abs, 2 sqrt, 3 relu (NaN stays NaN), 4 square,
;; 5 reciprocal.
;; threshold: ReLU's backward, g where y > t else +0 (threshold_backward).
;; activationGrad(op, g, y, o, n): tanh's backward g·(1 − y·y) (op 0) or sigmoid's g·(y·(1 − y))
;; (op 1) from the activation's output y, each operation rounded to float32 as the composed ops
;; round it; n a multiple of 4.
;; colsum: o[j] = Σ_r x[r, j] over a dense rows × n block, each column summed in row order in
;; float64 and rounded once (exactly the TypeScript kernel's order and precision). acc is n
;; doubles of scratch.
;; variant: shared (build-wasm.mjs also emits it importing a shared memory: the arena, arena.ts)
(module
  (memory (export "memory") 1)

  (func $sop (param $op i32) (param $x f32) (param $y f32) (result f32)
    (if (i32.eq (local.get $op) (i32.const 0)) (then (return (f32.add (local.get $x) (local.get $y)))))
    (if (i32.eq (local.get $op) (i32.const 1)) (then (return (f32.sub (local.get $x) (local.get $y)))))
    (if (i32.eq (local.get $op) (i32.const 2)) (then (return (f32.mul (local.get $x) (local.get $y)))))
    (f32.div (local.get $x) (local.get $y)))

  ;; The vector part of one row (output bytes po..end, a multiple of 16, at least 16): one loop
  ;; per op and operand kind (opf = op | flags << 2), so that a loop holds no call and no branch
  ;; but its own. A broadcast operand is splatted once.
  (func $rowVec (param $opf i32) (param $pa i32) (param $pb i32) (param $po i32) (param $end i32)
    (local $va v128) (local $vb v128)
    (local.set $va (v128.load32_splat (local.get $pa)))
    (local.set $vb (v128.load32_splat (local.get $pb)))
    (block $c15
    (block $c14
    (block $c13
    (block $c12
    (block $c11
    (block $c10
    (block $c9
    (block $c8
    (block $c7
    (block $c6
    (block $c5
    (block $c4
    (block $c3
    (block $c2
    (block $c1
    (block $c0
    (br_table $c0 $c1 $c2 $c3 $c4 $c5 $c6 $c7 $c8 $c9 $c10 $c11 $c12 $c13 $c14 $c15 (local.get $opf)))
    ;; 0: add
      (loop $v
        (v128.store (local.get $po) (f32x4.add (v128.load (local.get $pa)) (v128.load (local.get $pb))))
        (local.set $pa (i32.add (local.get $pa) (i32.const 16)))
        (local.set $pb (i32.add (local.get $pb) (i32.const 16)))
        (local.set $po (i32.add (local.get $po) (i32.const 16)))
        (br_if $v (i32.lt_u (local.get $po) (local.get $end))))
      (return))
    ;; 1: sub
      (loop $v
        (v128.store (local.get $po) (f32x4.sub (v128.load (local.get $pa)) (v128.load (local.get $pb))))
        (local.set $pa (i32.add (local.get $pa) (i32.const 16)))
        (local.set $pb (i32.add (local.get $pb) (i32.const 16)))
        (local.set $po (i32.add (local.get $po) (i32.const 16)))
        (br_if $v (i32.lt_u (local.get $po) (local.get $end))))
      (return))
    ;; 2: mul
      (loop $v
        (v128.store (local.get $po) (f32x4.mul (v128.load (local.get $pa)) (v128.load (local.get $pb))))
        (local.set $pa (i32.add (local.get $pa) (i32.const 16)))
        (local.set $pb (i32.add (local.get $pb) (i32.const 16)))
        (local.set $po (i32.add (local.get $po) (i32.const 16)))
        (br_if $v (i32.lt_u (local.get $po) (local.get $end))))
      (return))
    ;; 3: div
      (loop $v
        (v128.store (local.get $po) (f32x4.div (v128.load (local.get $pa)) (v128.load (local.get $pb))))
        (local.set $pa (i32.add (local.get $pa) (i32.const 16)))
        (local.set $pb (i32.add (local.get $pb) (i32.const 16)))
        (local.set $po (i32.add (local.get $po) (i32.const 16)))
        (br_if $v (i32.lt_u (local.get $po) (local.get $end))))
      (return))
    ;; 4: add, a broadcast
      (loop $v
        (v128.store (local.get $po) (f32x4.add (local.get $va) (v128.load (local.get $pb))))
        (local.set $pb (i32.add (local.get $pb) (i32.const 16)))
        (local.set $po (i32.add (local.get $po) (i32.const 16)))
        (br_if $v (i32.lt_u (local.get $po) (local.get $end))))
      (return))
    ;; 5: sub, a broadcast
      (loop $v
        (v128.store (local.get $po) (f32x4.sub (local.get $va) (v128.load (local.get $pb))))
        (local.set $pb (i32.add (local.get $pb) (i32.const 16)))
        (local.set $po (i32.add (local.get $po) (i32.const 16)))
        (br_if $v (i32.lt_u (local.get $po) (local.get $end))))
      (return))
    ;; 6: mul, a broadcast
      (loop $v
        (v128.store (local.get $po) (f32x4.mul (local.get $va) (v128.load (local.get $pb))))
        (local.set $pb (i32.add (local.get $pb) (i32.const 16)))
        (local.set $po (i32.add (local.get $po) (i32.const 16)))
        (br_if $v (i32.lt_u (local.get $po) (local.get $end))))
      (return))
    ;; 7: div, a broadcast
      (loop $v
        (v128.store (local.get $po) (f32x4.div (local.get $va) (v128.load (local.get $pb))))
        (local.set $pb (i32.add (local.get $pb) (i32.const 16)))
        (local.set $po (i32.add (local.get $po) (i32.const 16)))
        (br_if $v (i32.lt_u (local.get $po) (local.get $end))))
      (return))
    ;; 8: add, b broadcast
      (loop $v
        (v128.store (local.get $po) (f32x4.add (v128.load (local.get $pa)) (local.get $vb)))
        (local.set $pa (i32.add (local.get $pa) (i32.const 16)))
        (local.set $po (i32.add (local.get $po) (i32.const 16)))
        (br_if $v (i32.lt_u (local.get $po) (local.get $end))))
      (return))
    ;; 9: sub, b broadcast
      (loop $v
        (v128.store (local.get $po) (f32x4.sub (v128.load (local.get $pa)) (local.get $vb)))
        (local.set $pa (i32.add (local.get $pa) (i32.const 16)))
        (local.set $po (i32.add (local.get $po) (i32.const 16)))
        (br_if $v (i32.lt_u (local.get $po) (local.get $end))))
      (return))
    ;; 10: mul, b broadcast
      (loop $v
        (v128.store (local.get $po) (f32x4.mul (v128.load (local.get $pa)) (local.get $vb)))
        (local.set $pa (i32.add (local.get $pa) (i32.const 16)))
        (local.set $po (i32.add (local.get $po) (i32.const 16)))
        (br_if $v (i32.lt_u (local.get $po) (local.get $end))))
      (return))
    ;; 11: div, b broadcast
      (loop $v
        (v128.store (local.get $po) (f32x4.div (v128.load (local.get $pa)) (local.get $vb)))
        (local.set $pa (i32.add (local.get $pa) (i32.const 16)))
        (local.set $po (i32.add (local.get $po) (i32.const 16)))
        (br_if $v (i32.lt_u (local.get $po) (local.get $end))))
      (return))
    ;; 12: add, a and b broadcast
      (loop $v
        (v128.store (local.get $po) (f32x4.add (local.get $va) (local.get $vb)))
        (local.set $po (i32.add (local.get $po) (i32.const 16)))
        (br_if $v (i32.lt_u (local.get $po) (local.get $end))))
      (return))
    ;; 13: sub, a and b broadcast
      (loop $v
        (v128.store (local.get $po) (f32x4.sub (local.get $va) (local.get $vb)))
        (local.set $po (i32.add (local.get $po) (i32.const 16)))
        (br_if $v (i32.lt_u (local.get $po) (local.get $end))))
      (return))
    ;; 14: mul, a and b broadcast
      (loop $v
        (v128.store (local.get $po) (f32x4.mul (local.get $va) (local.get $vb)))
        (local.set $po (i32.add (local.get $po) (i32.const 16)))
        (br_if $v (i32.lt_u (local.get $po) (local.get $end))))
      (return))
    ;; 15: div, a and b broadcast
      (loop $v
        (v128.store (local.get $po) (f32x4.div (local.get $va) (local.get $vb)))
        (local.set $po (i32.add (local.get $po) (i32.const 16)))
        (br_if $v (i32.lt_u (local.get $po) (local.get $end))))
      (return))

  (func (export "binary")
    (param $opf i32) (param $a i32) (param $b i32) (param $o i32) (param $rows i32) (param $n i32)
    (param $aRow i32) (param $bRow i32)
    (local $op i32) (local $r i32) (local $pa i32) (local $pb i32) (local $po i32) (local $vec i32)
    (local $end i32) (local $sa i32) (local $sb i32)
    (local.set $op (i32.and (local.get $opf) (i32.const 3)))
    ;; Bytes a lane of each operand advances (0: broadcast), and the vector part's bytes per row.
    (local.set $sa (select (i32.const 0) (i32.const 4) (i32.and (local.get $opf) (i32.const 4))))
    (local.set $sb (select (i32.const 0) (i32.const 4) (i32.and (local.get $opf) (i32.const 8))))
    (local.set $vec (i32.shl (i32.and (local.get $n) (i32.const -4)) (i32.const 2)))
    (local.set $po (local.get $o))
    (block $rows_done (loop $row
      (br_if $rows_done (i32.ge_u (local.get $r) (local.get $rows)))
      (local.set $pa (i32.add (local.get $a) (i32.mul (local.get $r) (local.get $aRow))))
      (local.set $pb (i32.add (local.get $b) (i32.mul (local.get $r) (local.get $bRow))))
      (if (local.get $vec)
        (then
          (call $rowVec (local.get $opf) (local.get $pa) (local.get $pb) (local.get $po)
            (i32.add (local.get $po) (local.get $vec)))
          (local.set $pa (i32.add (local.get $pa) (i32.mul (local.get $vec) (i32.shr_u (local.get $sa) (i32.const 2)))))
          (local.set $pb (i32.add (local.get $pb) (i32.mul (local.get $vec) (i32.shr_u (local.get $sb) (i32.const 2)))))
          (local.set $po (i32.add (local.get $po) (local.get $vec)))))
      ;; The row's tail, one lane at a time (o is dense: the row ends n floats after it began).
      (local.set $end (i32.add (local.get $o)
        (i32.shl (i32.mul (i32.add (local.get $r) (i32.const 1)) (local.get $n)) (i32.const 2))))
      (block $tail_done (loop $tail
        (br_if $tail_done (i32.ge_u (local.get $po) (local.get $end)))
        (f32.store (local.get $po)
          (call $sop (local.get $op) (f32.load (local.get $pa)) (f32.load (local.get $pb))))
        (local.set $pa (i32.add (local.get $pa) (local.get $sa)))
        (local.set $pb (i32.add (local.get $pb) (local.get $sb)))
        (local.set $po (i32.add (local.get $po) (i32.const 4)))
        (br $tail)))
      (local.set $r (i32.add (local.get $r) (i32.const 1)))
      (br $row))))

  (func $uop (param $op i32) (param $x v128) (result v128)
    (if (i32.eq (local.get $op) (i32.const 0)) (then (return (f32x4.neg (local.get $x)))))
    (if (i32.eq (local.get $op) (i32.const 1)) (then (return (f32x4.abs (local.get $x)))))
    (if (i32.eq (local.get $op) (i32.const 2)) (then (return (f32x4.sqrt (local.get $x)))))
    (if (i32.eq (local.get $op) (i32.const 3))
      (then (return (v128.bitselect (local.get $x) (v128.const i32x4 0 0 0 0)
        (v128.or (f32x4.gt (local.get $x) (v128.const f32x4 0 0 0 0))
                 (f32x4.ne (local.get $x) (local.get $x)))))))
    (if (i32.eq (local.get $op) (i32.const 4)) (then (return (f32x4.mul (local.get $x) (local.get $x)))))
    (f32x4.div (v128.const f32x4 1 1 1 1) (local.get $x)))

  ;; n is padded to a multiple of 4 by the caller (the lanes past the end are ignored). The loops
  ;; are tested at the bottom (one branch per vector; V8 keeps a top test plus a jump back as
  ;; written), and ReLU, the one in every training step, has its own loop with no call in it.
  (func (export "unary") (param $op i32) (param $x i32) (param $o i32) (param $n i32)
    (local $end i32) (local $v v128)
    (if (i32.eqz (local.get $n)) (then (return)))
    (local.set $end (i32.add (local.get $x) (i32.shl (local.get $n) (i32.const 2))))
    ;; o walks as x + (o − x).
    (local.set $o (i32.sub (local.get $o) (local.get $x)))
    (if (i32.eq (local.get $op) (i32.const 3))
      (then
        (loop $relu
          (local.set $v (v128.load (local.get $x)))
          (v128.store (i32.add (local.get $x) (local.get $o))
            (v128.bitselect (local.get $v) (v128.const i32x4 0 0 0 0)
              (v128.or (f32x4.gt (local.get $v) (v128.const f32x4 0 0 0 0))
                       (f32x4.ne (local.get $v) (local.get $v)))))
          (local.set $x (i32.add (local.get $x) (i32.const 16)))
          (br_if $relu (i32.lt_u (local.get $x) (local.get $end))))
        (return)))
    (loop $loop
      (v128.store (i32.add (local.get $x) (local.get $o))
        (call $uop (local.get $op) (v128.load (local.get $x))))
      (local.set $x (i32.add (local.get $x) (i32.const 16)))
      (br_if $loop (i32.lt_u (local.get $x) (local.get $end)))))

  ;; ReLU's backward (threshold_backward): o[i] = g[i] where y[i] > t, else +0, for i < n (a
  ;; multiple of 4). g's bits pass under the comparison's all-ones mask, so NaN and −0 in g come
  ;; through exactly, as the TypeScript kernel's integer mask does. t must be a float32 value.
  (func (export "threshold") (param $g i32) (param $y i32) (param $o i32) (param $n i32) (param $t f32)
    (local $end i32) (local $tv v128)
    (if (i32.eqz (local.get $n)) (then (return)))
    (local.set $tv (f32x4.splat (local.get $t)))
    (local.set $end (i32.add (local.get $g) (i32.shl (local.get $n) (i32.const 2))))
    (local.set $y (i32.sub (local.get $y) (local.get $g)))
    (local.set $o (i32.sub (local.get $o) (local.get $g)))
    (loop $vec
      (v128.store (i32.add (local.get $g) (local.get $o))
        (v128.and (v128.load (local.get $g))
          (f32x4.gt (v128.load (i32.add (local.get $g) (local.get $y))) (local.get $tv))))
      (local.set $g (i32.add (local.get $g) (i32.const 16)))
      (br_if $vec (i32.lt_u (local.get $g) (local.get $end)))))

  (func (export "activationGrad") (param $op i32) (param $g i32) (param $y i32) (param $o i32) (param $n i32)
    (local $end i32) (local $yv v128)
    (if (i32.eqz (local.get $n)) (then (return)))
    (local.set $end (i32.add (local.get $g) (i32.shl (local.get $n) (i32.const 2))))
    (local.set $y (i32.sub (local.get $y) (local.get $g)))
    (local.set $o (i32.sub (local.get $o) (local.get $g)))
    (if (i32.eqz (local.get $op))
      (then
        (loop $tanh
          (local.set $yv (v128.load (i32.add (local.get $g) (local.get $y))))
          (v128.store (i32.add (local.get $g) (local.get $o))
            (f32x4.mul (v128.load (local.get $g))
              (f32x4.sub (v128.const f32x4 1 1 1 1) (f32x4.mul (local.get $yv) (local.get $yv)))))
          (local.set $g (i32.add (local.get $g) (i32.const 16)))
          (br_if $tanh (i32.lt_u (local.get $g) (local.get $end))))
        (return)))
    (loop $sigmoid
      (local.set $yv (v128.load (i32.add (local.get $g) (local.get $y))))
      (v128.store (i32.add (local.get $g) (local.get $o))
        (f32x4.mul (v128.load (local.get $g))
          (f32x4.mul (local.get $yv) (f32x4.sub (v128.const f32x4 1 1 1 1) (local.get $yv)))))
      (local.set $g (i32.add (local.get $g) (i32.const 16)))
      (br_if $sigmoid (i32.lt_u (local.get $g) (local.get $end)))))

  (func (export "colsum") (param $x i32) (param $o i32) (param $acc i32) (param $rows i32) (param $n i32)
    (local $r i32) (local $j i32) (local $px i32) (local $pa i32) (local $v v128)
    ;; Zero the accumulators (n rounded up to even).
    (block $z_done (loop $z
      (br_if $z_done (i32.ge_u (local.get $j) (local.get $n)))
      (v128.store (i32.add (local.get $acc) (i32.shl (local.get $j) (i32.const 3))) (v128.const i64x2 0 0))
      (local.set $j (i32.add (local.get $j) (i32.const 2)))
      (br $z)))
    (block $rows_done (loop $row
      (br_if $rows_done (i32.ge_u (local.get $r) (local.get $rows)))
      (local.set $px (i32.add (local.get $x) (i32.shl (i32.mul (local.get $r) (local.get $n)) (i32.const 2))))
      (local.set $j (i32.const 0))
      ;; Four columns at a time: two f64x2 accumulators from one f32x4 load.
      (block $v_done (loop $vl
        (br_if $v_done (i32.gt_u (i32.add (local.get $j) (i32.const 4)) (local.get $n)))
        (local.set $v (v128.load (i32.add (local.get $px) (i32.shl (local.get $j) (i32.const 2)))))
        (local.set $pa (i32.add (local.get $acc) (i32.shl (local.get $j) (i32.const 3))))
        (v128.store (local.get $pa)
          (f64x2.add (v128.load (local.get $pa)) (f64x2.promote_low_f32x4 (local.get $v))))
        (v128.store offset=16 (local.get $pa)
          (f64x2.add (v128.load offset=16 (local.get $pa))
            (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $v) (local.get $v)))))
        (local.set $j (i32.add (local.get $j) (i32.const 4)))
        (br $vl)))
      (block $t_done (loop $tl
        (br_if $t_done (i32.ge_u (local.get $j) (local.get $n)))
        (local.set $pa (i32.add (local.get $acc) (i32.shl (local.get $j) (i32.const 3))))
        (f64.store (local.get $pa)
          (f64.add (f64.load (local.get $pa))
            (f64.promote_f32 (f32.load (i32.add (local.get $px) (i32.shl (local.get $j) (i32.const 2)))))))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br $tl)))
      (local.set $r (i32.add (local.get $r) (i32.const 1)))
      (br $row)))
    (local.set $j (i32.const 0))
    (block $s_done (loop $s
      (br_if $s_done (i32.ge_u (local.get $j) (local.get $n)))
      (f32.store (i32.add (local.get $o) (i32.shl (local.get $j) (i32.const 2)))
        (f32.demote_f64 (f64.load (i32.add (local.get $acc) (i32.shl (local.get $j) (i32.const 3))))))
      (local.set $j (i32.add (local.get $j) (i32.const 1)))
      (br $s))))
)