;; Dense float32 elementwise ops with WebAssembly SIMD128, four lanes at a time, then one lane for
;; the tail. Every op here is one IEEE operation (or a select), so results are bit-identical to
;; the TypeScript kernels, which compute in double and round once to float32.
;;
;; binary: o[r, j] = a[r, j] op b[r, j] for r < rows, j < n. a and b start at byte offsets a and
;; b and advance aRow / bRow bytes per row (0: the same row broadcast to every row). Flags: 1, a
;; holds one value per row (broadcast along the row); 2, the same for b. Ops: 0 add, 1 sub, 2 mul,
;; 3 div. o is dense: rows × n.
;; unary: o[i] = op(x[i]) for i < n. Ops: 0 neg, 1 abs, 2 sqrt, 3 relu (NaN stays NaN), 4 square,
;; 5 reciprocal.
(module
  (memory (export "memory") 1)

  (func $vop (param $op i32) (param $x v128) (param $y v128) (result v128)
    (if (i32.eq (local.get $op) (i32.const 0)) (then (return (f32x4.add (local.get $x) (local.get $y)))))
    (if (i32.eq (local.get $op) (i32.const 1)) (then (return (f32x4.sub (local.get $x) (local.get $y)))))
    (if (i32.eq (local.get $op) (i32.const 2)) (then (return (f32x4.mul (local.get $x) (local.get $y)))))
    (f32x4.div (local.get $x) (local.get $y)))

  (func $sop (param $op i32) (param $x f32) (param $y f32) (result f32)
    (if (i32.eq (local.get $op) (i32.const 0)) (then (return (f32.add (local.get $x) (local.get $y)))))
    (if (i32.eq (local.get $op) (i32.const 1)) (then (return (f32.sub (local.get $x) (local.get $y)))))
    (if (i32.eq (local.get $op) (i32.const 2)) (then (return (f32.mul (local.get $x) (local.get $y)))))
    (f32.div (local.get $x) (local.get $y)))

  (func (export "binary")
    (param $op i32) (param $a i32) (param $b i32) (param $o i32) (param $rows i32) (param $n i32)
    (param $aRow i32) (param $bRow i32) (param $flags i32)
    (local $r i32) (local $j i32) (local $pa i32) (local $pb i32) (local $po i32) (local $vec i32)
    (local $va v128) (local $vb v128)
    (local.set $vec (i32.and (local.get $n) (i32.const -4)))
    (block $rows_done (loop $row
      (br_if $rows_done (i32.ge_u (local.get $r) (local.get $rows)))
      (local.set $pa (i32.add (local.get $a) (i32.mul (local.get $r) (local.get $aRow))))
      (local.set $pb (i32.add (local.get $b) (i32.mul (local.get $r) (local.get $bRow))))
      (local.set $po (i32.add (local.get $o) (i32.mul (i32.mul (local.get $r) (local.get $n)) (i32.const 4))))
      (local.set $va (f32x4.splat (f32.load (local.get $pa))))
      (local.set $vb (f32x4.splat (f32.load (local.get $pb))))
      (local.set $j (i32.const 0))
      (block $vec_done (loop $vloop
        (br_if $vec_done (i32.ge_u (local.get $j) (local.get $vec)))
        (v128.store
          (i32.add (local.get $po) (i32.shl (local.get $j) (i32.const 2)))
          (call $vop (local.get $op)
            (if (result v128) (i32.and (local.get $flags) (i32.const 1))
              (then (local.get $va))
              (else (v128.load (i32.add (local.get $pa) (i32.shl (local.get $j) (i32.const 2))))))
            (if (result v128) (i32.and (local.get $flags) (i32.const 2))
              (then (local.get $vb))
              (else (v128.load (i32.add (local.get $pb) (i32.shl (local.get $j) (i32.const 2))))))))
        (local.set $j (i32.add (local.get $j) (i32.const 4)))
        (br $vloop)))
      (block $tail_done (loop $tloop
        (br_if $tail_done (i32.ge_u (local.get $j) (local.get $n)))
        (f32.store
          (i32.add (local.get $po) (i32.shl (local.get $j) (i32.const 2)))
          (call $sop (local.get $op)
            (if (result f32) (i32.and (local.get $flags) (i32.const 1))
              (then (f32.load (local.get $pa)))
              (else (f32.load (i32.add (local.get $pa) (i32.shl (local.get $j) (i32.const 2))))))
            (if (result f32) (i32.and (local.get $flags) (i32.const 2))
              (then (f32.load (local.get $pb)))
              (else (f32.load (i32.add (local.get $pb) (i32.shl (local.get $j) (i32.const 2))))))))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br $tloop)))
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

  ;; n is padded to a multiple of 4 by the caller (the lanes past the end are ignored).
  (func (export "unary") (param $op i32) (param $x i32) (param $o i32) (param $n i32)
    (local $i i32)
    (block $done (loop $loop
      (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
      (v128.store (i32.add (local.get $o) (i32.shl (local.get $i) (i32.const 2)))
        (call $uop (local.get $op) (v128.load (i32.add (local.get $x) (i32.shl (local.get $i) (i32.const 2))))))
      (local.set $i (i32.add (local.get $i) (i32.const 4)))
      (br $loop)))))
