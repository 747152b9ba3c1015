;; float32 matrix multiply with WebAssembly SIMD128: C[Mp, Np] = A[Mp, K] · B[K, Np].
;; The caller packs the operands: A row-major with Mp a multiple of 4 (zero rows added); B in
;; panels of 8 columns, panel p holding B[0..K, 8p..8p+8] row after row, so the inner loop reads
;; 32 contiguous bytes per step; C comes out row-major with Np a multiple of 8.
;; The micro-kernel keeps a 4×8 block of C in 8 vector registers: per step of k it loads two
;; vectors of B, splats four values of A, and does 8 multiplies and 8 adds (16 FLOP per lane group).
(module
  (memory (export "memory") 1)
  (func (export "sgemm")
    (param $a i32) (param $b i32) (param $c i32) (param $m i32) (param $n i32) (param $k i32)
    (local $i i32) (local $j i32) (local $t i32) (local $kb i32) (local $nb i32)
    (local $a0 i32) (local $a1 i32) (local $a2 i32) (local $a3 i32) (local $bp i32) (local $cp i32)
    (local $x v128) (local $b0 v128) (local $b1 v128)
    (local $c00 v128) (local $c01 v128) (local $c10 v128) (local $c11 v128)
    (local $c20 v128) (local $c21 v128) (local $c30 v128) (local $c31 v128)
    (local.set $kb (i32.shl (local.get $k) (i32.const 2)))
    (local.set $nb (i32.shl (local.get $n) (i32.const 2)))
    (block $rows_done
      (loop $rows
        (br_if $rows_done (i32.ge_u (local.get $i) (local.get $m)))
        (local.set $a0 (i32.add (local.get $a) (i32.mul (local.get $i) (local.get $kb))))
        (local.set $a1 (i32.add (local.get $a0) (local.get $kb)))
        (local.set $a2 (i32.add (local.get $a1) (local.get $kb)))
        (local.set $a3 (i32.add (local.get $a2) (local.get $kb)))
        (local.set $j (i32.const 0))
        (block $cols_done
          (loop $cols
            (br_if $cols_done (i32.ge_u (local.get $j) (local.get $n)))
            (local.set $c00 (v128.const i32x4 0 0 0 0))
            (local.set $c01 (v128.const i32x4 0 0 0 0))
            (local.set $c10 (v128.const i32x4 0 0 0 0))
            (local.set $c11 (v128.const i32x4 0 0 0 0))
            (local.set $c20 (v128.const i32x4 0 0 0 0))
            (local.set $c21 (v128.const i32x4 0 0 0 0))
            (local.set $c30 (v128.const i32x4 0 0 0 0))
            (local.set $c31 (v128.const i32x4 0 0 0 0))
            ;; Panel j/8 of B starts at b + (j/8)·K·32 bytes = b + j·kb.
            (local.set $bp (i32.add (local.get $b) (i32.mul (local.get $j) (local.get $kb))))
            (local.set $t (i32.const 0))
            (block $k_done
              (loop $steps
                (br_if $k_done (i32.ge_u (local.get $t) (local.get $kb)))
                (local.set $b0 (v128.load (local.get $bp)))
                (local.set $b1 (v128.load offset=16 (local.get $bp)))
                (local.set $x (v128.load32_splat (i32.add (local.get $a0) (local.get $t))))
                (local.set $c00 (f32x4.add (local.get $c00) (f32x4.mul (local.get $x) (local.get $b0))))
                (local.set $c01 (f32x4.add (local.get $c01) (f32x4.mul (local.get $x) (local.get $b1))))
                (local.set $x (v128.load32_splat (i32.add (local.get $a1) (local.get $t))))
                (local.set $c10 (f32x4.add (local.get $c10) (f32x4.mul (local.get $x) (local.get $b0))))
                (local.set $c11 (f32x4.add (local.get $c11) (f32x4.mul (local.get $x) (local.get $b1))))
                (local.set $x (v128.load32_splat (i32.add (local.get $a2) (local.get $t))))
                (local.set $c20 (f32x4.add (local.get $c20) (f32x4.mul (local.get $x) (local.get $b0))))
                (local.set $c21 (f32x4.add (local.get $c21) (f32x4.mul (local.get $x) (local.get $b1))))
                (local.set $x (v128.load32_splat (i32.add (local.get $a3) (local.get $t))))
                (local.set $c30 (f32x4.add (local.get $c30) (f32x4.mul (local.get $x) (local.get $b0))))
                (local.set $c31 (f32x4.add (local.get $c31) (f32x4.mul (local.get $x) (local.get $b1))))
                (local.set $bp (i32.add (local.get $bp) (i32.const 32)))
                (local.set $t (i32.add (local.get $t) (i32.const 4)))
                (br $steps)))
            (local.set $cp
              (i32.add (local.get $c)
                (i32.add (i32.mul (local.get $i) (local.get $nb)) (i32.shl (local.get $j) (i32.const 2)))))
            (v128.store (local.get $cp) (local.get $c00))
            (v128.store offset=16 (local.get $cp) (local.get $c01))
            (local.set $cp (i32.add (local.get $cp) (local.get $nb)))
            (v128.store (local.get $cp) (local.get $c10))
            (v128.store offset=16 (local.get $cp) (local.get $c11))
            (local.set $cp (i32.add (local.get $cp) (local.get $nb)))
            (v128.store (local.get $cp) (local.get $c20))
            (v128.store offset=16 (local.get $cp) (local.get $c21))
            (local.set $cp (i32.add (local.get $cp) (local.get $nb)))
            (v128.store (local.get $cp) (local.get $c30))
            (v128.store offset=16 (local.get $cp) (local.get $c31))
            (local.set $j (i32.add (local.get $j) (i32.const 8)))
            (br $cols)))
        (local.set $i (i32.add (local.get $i) (i32.const 4)))
        (br $rows)))))
