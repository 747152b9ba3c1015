;; float32 matrix multiply with WebAssembly SIMD128: C[Mp, Np] = A[Mp, K] · B[K, Np].
;; sgemm: A is row-major in WASM memory with Mp a multiple of 4 (rows added to A); sgemmP (below,
;; what the matmul runs): A packed, four rows a step adjacent, ~5% faster. B comes as panels
;; (see "panels": each 8 columns of B stored k-major, 8 floats per step of k), Np a multiple of 8;
;; C comes out row-major [Mp, Np]. Rows and columns past the true sizes only feed entries of C
;; the caller drops, so what fills them does not matter, only that it is addressable.
;; The micro-kernel keeps a 4×8 block of C in 8 vector registers: per step of k it loads two
;; vectors of B, splats four values of A, and does 8 multiplies and 8 adds (16 FLOP per lane group).
;; For the caches, k is taken in blocks of KC = 256 steps and rows in blocks of MC = 64: a block's
;; B panel (KC × 8 floats) stays in L1 while the rows of A pass over it, and the rows' KC-wide
;; slab stays in L2 across panels. A C block carries its partial sums from one k block to the
;; next through memory (exact in float32), so every entry is summed in order of k, bit for bit as
;; one pass over k would.
;; The module also holds the layouts around the product (packA, packAT for A; panels, panelsT
;; for a transposed B; transpose) and a convolution's im2col, col2im, addRows and channelSums, so that a convolution
;; can lay its columns out in the memory the product reads them from (see conv.ts).
;; variant: shared (build-wasm.mjs also emits it importing a shared memory, for threads)
(module
  (memory (export "memory") 1)
  (func (export "sgemm")
    (param $a i32) (param $b i32) (param $c i32) (param $m i32) (param $n i32) (param $k i32)
    (local $i i32) (local $j i32) (local $t i32) (local $kb i32) (local $nb i32)
    (local $k0 i32) (local $kend i32) (local $panel i32) (local $i0 i32) (local $iend i32)
    (local $a0 i32) (local $a1 i32) (local $a2 i32) (local $a3 i32) (local $bp i32) (local $cp i32)
    (local $x v128) (local $b0 v128) (local $b1 v128)
    (local $c00 v128) (local $c01 v128) (local $c10 v128) (local $c11 v128)
    (local $c20 v128) (local $c21 v128) (local $c30 v128) (local $c31 v128)
    (local.set $kb (i32.shl (local.get $k) (i32.const 2)))
    (local.set $nb (i32.shl (local.get $n) (i32.const 2)))
    ;; k0, kend: this block's steps of k, in bytes along a row of A.
    (local.set $k0 (i32.const 0))
    (block $kblocks_done (loop $kblocks
      (br_if $kblocks_done (i32.ge_u (local.get $k0) (local.get $kb)))
      (local.set $kend (i32.add (local.get $k0) (i32.const 1024))) ;; KC = 256 steps
      (if (i32.gt_u (local.get $kend) (local.get $kb)) (then (local.set $kend (local.get $kb))))
      ;; Rows in blocks of MC = 64: a block's slab of A (MC × KC floats) stays in L2 while every
      ;; panel of B passes over it (one slab of a 1024-row A is 1 MB, past L2 here).
      (local.set $i0 (i32.const 0))
      (loop $rblocks
      (local.set $iend (i32.add (local.get $i0) (i32.const 64)))
      (if (i32.gt_u (local.get $iend) (local.get $m)) (then (local.set $iend (local.get $m))))
      (local.set $j (i32.const 0))
      (block $cols_done (loop $cols
        (br_if $cols_done (i32.ge_u (local.get $j) (local.get $n)))
        ;; Panel j/8 holds k steps of 8 floats (32 bytes each); this block starts k0/4 steps in.
        (local.set $panel
          (i32.add (local.get $b)
            (i32.add (i32.mul (local.get $j) (local.get $kb)) (i32.shl (local.get $k0) (i32.const 3)))))
        (local.set $i (local.get $i0))
        (block $rows_done (loop $rows
          (br_if $rows_done (i32.ge_u (local.get $i) (local.get $iend)))
          (local.set $cp
            (i32.add (local.get $c)
              (i32.add (i32.mul (local.get $i) (local.get $nb)) (i32.shl (local.get $j) (i32.const 2)))))
          (if (i32.eqz (local.get $k0))
            (then
              (local.set $c00 (v128.const i32x4 0 0 0 0))
              (local.set $c01 (v128.const i32x4 0 0 0 0))
              (local.set $c10 (v128.const i32x4 0 0 0 0))
              (local.set $c11 (v128.const i32x4 0 0 0 0))
              (local.set $c20 (v128.const i32x4 0 0 0 0))
              (local.set $c21 (v128.const i32x4 0 0 0 0))
              (local.set $c30 (v128.const i32x4 0 0 0 0))
              (local.set $c31 (v128.const i32x4 0 0 0 0)))
            (else
              (local.set $c00 (v128.load (local.get $cp)))
              (local.set $c01 (v128.load offset=16 (local.get $cp)))
              (local.set $c10 (v128.load (i32.add (local.get $cp) (local.get $nb))))
              (local.set $c11 (v128.load offset=16 (i32.add (local.get $cp) (local.get $nb))))
              (local.set $c20 (v128.load (i32.add (local.get $cp) (i32.shl (local.get $nb) (i32.const 1)))))
              (local.set $c21 (v128.load offset=16 (i32.add (local.get $cp) (i32.shl (local.get $nb) (i32.const 1)))))
              (local.set $c30 (v128.load (i32.add (local.get $cp) (i32.mul (local.get $nb) (i32.const 3)))))
              (local.set $c31 (v128.load offset=16 (i32.add (local.get $cp) (i32.mul (local.get $nb) (i32.const 3)))))))
          (local.set $a0 (i32.add (local.get $a) (i32.mul (local.get $i) (local.get $kb))))
          (local.set $a1 (i32.add (local.get $a0) (local.get $kb)))
          (local.set $a2 (i32.add (local.get $a1) (local.get $kb)))
          (local.set $a3 (i32.add (local.get $a2) (local.get $kb)))
          (local.set $bp (local.get $panel))
          (local.set $t (local.get $k0))
          ;; A bottom-tested loop (a block has at least one step): one branch per step, not the
          ;; exit test plus a jump back, which V8 keeps as written; 34 → 45 GFLOP/s here.
          (loop $steps
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
              (br_if $steps (i32.lt_u (local.get $t) (local.get $kend))))
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
          (local.set $i (i32.add (local.get $i) (i32.const 4)))
          (br $rows)))
        (local.set $j (i32.add (local.get $j) (i32.const 8)))
        (br $cols)))
      (local.set $i0 (local.get $iend))
      (br_if $rblocks (i32.lt_u (local.get $i0) (local.get $m))))
      (local.set $k0 (local.get $kend))
      (br $kblocks))))

  ;; storePart: the first `count` (< 8; none when ≤ 0) of the 8 floats v0, v1 to p, bit for bit.
  (func $storePart (param $p i32) (param $count i32) (param $v0 v128) (param $v1 v128)
    (if (i32.ge_s (local.get $count) (i32.const 4))
      (then
        (v128.store (local.get $p) (local.get $v0))
        (local.set $p (i32.add (local.get $p) (i32.const 16)))
        (local.set $count (i32.sub (local.get $count) (i32.const 4)))
        (local.set $v0 (local.get $v1))))
    (if (i32.gt_s (local.get $count) (i32.const 0))
      (then (i32.store (local.get $p) (i32x4.extract_lane 0 (local.get $v0)))))
    (if (i32.gt_s (local.get $count) (i32.const 1))
      (then (i32.store offset=4 (local.get $p) (i32x4.extract_lane 1 (local.get $v0)))))
    (if (i32.gt_s (local.get $count) (i32.const 2))
      (then (i32.store offset=8 (local.get $p) (i32x4.extract_lane 2 (local.get $v0))))))

  ;; sgemmP: the same product with A packed (packA, packAT: each 4 rows of A as k steps of 4
  ;; floats, block i/4 from i·k floats), into C with rows ldc floats apart (columns of a wider C:
  ;; a thread's share of them), storing only its first nc columns (a C whose width is not a
  ;; multiple of 8, written where it goes: the last panel's extra columns are computed but not
  ;; stored; from the second block of k on, that panel's partial sums are loaded as whole
  ;; vectors, reading up to 7 floats past a row — the next row's, or past the end of C, which the
  ;; caller leaves addressable; those lanes are never stored). The four values of a step are one
  ;; pointer and constant offsets, where sgemm's row-major A needs four addresses a step: 43 → 45
  ;; GFLOP/s here. (Aᵀ read as it lies, rows strided, was slower than packing it and this: 32
  ;; GFLOP/s at 1024×128·128×128.) The same multiplies and adds in the same order as sgemm's, so
  ;; the same bits. A copy of sgemm's loops but for A's addressing and C's stores: a shared loop
  ;; with A's strides as parameters ran at 28 GFLOP/s instead of 38 (three more adds per step in
  ;; the innermost loop).
  (func (export "sgemmP")
    (param $a i32) (param $b i32) (param $c i32) (param $m i32) (param $n i32) (param $k i32)
    (param $ldc i32) (param $nc i32)
    (local $i i32) (local $j i32) (local $t i32) (local $kb i32) (local $nb i32)
    (local $k0 i32) (local $kend i32) (local $panel i32) (local $i0 i32) (local $iend i32)
    (local $a0 i32) (local $bp i32) (local $bend i32) (local $cp i32)
    (local $x v128) (local $b0 v128) (local $b1 v128)
    (local $c00 v128) (local $c01 v128) (local $c10 v128) (local $c11 v128)
    (local $c20 v128) (local $c21 v128) (local $c30 v128) (local $c31 v128)
    (local.set $kb (i32.shl (local.get $k) (i32.const 2)))
    (local.set $nb (i32.shl (local.get $ldc) (i32.const 2)))
    ;; k0, kend: this block's steps of k, in bytes along a row of A.
    (local.set $k0 (i32.const 0))
    (block $kblocks_done (loop $kblocks
      (br_if $kblocks_done (i32.ge_u (local.get $k0) (local.get $kb)))
      (local.set $kend (i32.add (local.get $k0) (i32.const 1024))) ;; KC = 256 steps
      (if (i32.gt_u (local.get $kend) (local.get $kb)) (then (local.set $kend (local.get $kb))))
      ;; Rows in blocks of MC = 64: a block's slab of A (MC × KC floats) stays in L2 while every
      ;; panel of B passes over it (one slab of a 1024-row A is 1 MB, past L2 here).
      (local.set $i0 (i32.const 0))
      (loop $rblocks
      (local.set $iend (i32.add (local.get $i0) (i32.const 64)))
      (if (i32.gt_u (local.get $iend) (local.get $m)) (then (local.set $iend (local.get $m))))
      (local.set $j (i32.const 0))
      (block $cols_done (loop $cols
        (br_if $cols_done (i32.ge_u (local.get $j) (local.get $n)))
        ;; Panel j/8 holds k steps of 8 floats (32 bytes each); this block starts k0/4 steps in.
        (local.set $panel
          (i32.add (local.get $b)
            (i32.add (i32.mul (local.get $j) (local.get $kb)) (i32.shl (local.get $k0) (i32.const 3)))))
        (local.set $i (local.get $i0))
        (block $rows_done (loop $rows
          (br_if $rows_done (i32.ge_u (local.get $i) (local.get $iend)))
          (local.set $cp
            (i32.add (local.get $c)
              (i32.add (i32.mul (local.get $i) (local.get $nb)) (i32.shl (local.get $j) (i32.const 2)))))
          (if (i32.eqz (local.get $k0))
            (then
              (local.set $c00 (v128.const i32x4 0 0 0 0))
              (local.set $c01 (v128.const i32x4 0 0 0 0))
              (local.set $c10 (v128.const i32x4 0 0 0 0))
              (local.set $c11 (v128.const i32x4 0 0 0 0))
              (local.set $c20 (v128.const i32x4 0 0 0 0))
              (local.set $c21 (v128.const i32x4 0 0 0 0))
              (local.set $c30 (v128.const i32x4 0 0 0 0))
              (local.set $c31 (v128.const i32x4 0 0 0 0)))
            (else
              (local.set $c00 (v128.load (local.get $cp)))
              (local.set $c01 (v128.load offset=16 (local.get $cp)))
              (local.set $c10 (v128.load (i32.add (local.get $cp) (local.get $nb))))
              (local.set $c11 (v128.load offset=16 (i32.add (local.get $cp) (local.get $nb))))
              (local.set $c20 (v128.load (i32.add (local.get $cp) (i32.shl (local.get $nb) (i32.const 1)))))
              (local.set $c21 (v128.load offset=16 (i32.add (local.get $cp) (i32.shl (local.get $nb) (i32.const 1)))))
              (local.set $c30 (v128.load (i32.add (local.get $cp) (i32.mul (local.get $nb) (i32.const 3)))))
              (local.set $c31 (v128.load offset=16 (i32.add (local.get $cp) (i32.mul (local.get $nb) (i32.const 3)))))))
          ;; a0: rows i..i+3 (block i/4, from i·k floats) at this block's first step (16 bytes a
          ;; step, where k0 counts 4).
          (local.set $a0
            (i32.add (local.get $a)
              (i32.add (i32.mul (local.get $i) (local.get $kb)) (i32.shl (local.get $k0) (i32.const 2)))))
          (local.set $bp (local.get $panel))
          ;; The loop runs to the end of B's block (32 bytes a step, where k0 counts 4): one add a
          ;; step fewer than counting steps, 44.3 → 45.0 GFLOP/s here.
          (local.set $bend (i32.add (local.get $panel) (i32.shl (i32.sub (local.get $kend) (local.get $k0)) (i32.const 3))))
          ;; A bottom-tested loop (a block has at least one step): one branch per step, not the
          ;; exit test plus a jump back, which V8 keeps as written; 34 → 45 GFLOP/s here.
          (loop $steps
              (local.set $b0 (v128.load (local.get $bp)))
              (local.set $b1 (v128.load offset=16 (local.get $bp)))
              (local.set $x (v128.load32_splat (local.get $a0)))
              (local.set $c00 (f32x4.add (local.get $c00) (f32x4.mul (local.get $x) (local.get $b0))))
              (local.set $c01 (f32x4.add (local.get $c01) (f32x4.mul (local.get $x) (local.get $b1))))
              (local.set $x (v128.load32_splat offset=4 (local.get $a0)))
              (local.set $c10 (f32x4.add (local.get $c10) (f32x4.mul (local.get $x) (local.get $b0))))
              (local.set $c11 (f32x4.add (local.get $c11) (f32x4.mul (local.get $x) (local.get $b1))))
              (local.set $x (v128.load32_splat offset=8 (local.get $a0)))
              (local.set $c20 (f32x4.add (local.get $c20) (f32x4.mul (local.get $x) (local.get $b0))))
              (local.set $c21 (f32x4.add (local.get $c21) (f32x4.mul (local.get $x) (local.get $b1))))
              (local.set $x (v128.load32_splat offset=12 (local.get $a0)))
              (local.set $c30 (f32x4.add (local.get $c30) (f32x4.mul (local.get $x) (local.get $b0))))
              (local.set $c31 (f32x4.add (local.get $c31) (f32x4.mul (local.get $x) (local.get $b1))))
              (local.set $a0 (i32.add (local.get $a0) (i32.const 16)))
              (local.set $bp (i32.add (local.get $bp) (i32.const 32)))
              (br_if $steps (i32.lt_u (local.get $bp) (local.get $bend))))
          (if (i32.le_s (i32.add (local.get $j) (i32.const 8)) (local.get $nc))
            (then
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
              (v128.store offset=16 (local.get $cp) (local.get $c31)))
            (else
              (local.set $t (i32.sub (local.get $nc) (local.get $j)))
              (call $storePart (local.get $cp) (local.get $t) (local.get $c00) (local.get $c01))
              (local.set $cp (i32.add (local.get $cp) (local.get $nb)))
              (call $storePart (local.get $cp) (local.get $t) (local.get $c10) (local.get $c11))
              (local.set $cp (i32.add (local.get $cp) (local.get $nb)))
              (call $storePart (local.get $cp) (local.get $t) (local.get $c20) (local.get $c21))
              (local.set $cp (i32.add (local.get $cp) (local.get $nb)))
              (call $storePart (local.get $cp) (local.get $t) (local.get $c30) (local.get $c31))))
          (local.set $i (i32.add (local.get $i) (i32.const 4)))
          (br $rows)))
        (local.set $j (i32.add (local.get $j) (i32.const 8)))
        (br $cols)))
      (local.set $i0 (local.get $iend))
      (br_if $rblocks (i32.lt_u (local.get $i0) (local.get $m))))
      (local.set $k0 (local.get $kend))
      (br $kblocks))))


  ;; packA: A [m, k] (rows rs floats apart) → packed for sgemmP: rows i..i+3 as k steps of 4
  ;; floats from dst + i·k floats; rows m..Mp zeros. Four steps of four rows at a time: a 4 × 4
  ;; transpose in registers.
  (func (export "packA") (param $src i32) (param $dst i32) (param $m i32) (param $k i32) (param $rs i32)
    (local $i i32) (local $t i32) (local $r i32) (local $vec i32) (local $rb i32)
    (local $p0 i32) (local $p1 i32) (local $p2 i32) (local $p3 i32)
    (local $v0 v128) (local $v1 v128) (local $v2 v128) (local $v3 v128)
    (local $t0 v128) (local $t1 v128) (local $t2 v128) (local $t3 v128)
    (local.set $rb (i32.shl (local.get $rs) (i32.const 2)))
    (local.set $vec (i32.and (local.get $k) (i32.const -4)))
    (block $blocks_done (loop $blocks
      (br_if $blocks_done (i32.ge_u (local.get $i) (local.get $m)))
      (if (i32.le_u (i32.add (local.get $i) (i32.const 4)) (local.get $m))
        (then
          (local.set $p0 (i32.add (local.get $src) (i32.mul (local.get $i) (local.get $rb))))
          (local.set $p1 (i32.add (local.get $p0) (local.get $rb)))
          (local.set $p2 (i32.add (local.get $p1) (local.get $rb)))
          (local.set $p3 (i32.add (local.get $p2) (local.get $rb)))
          (local.set $t (i32.const 0))
          (block $v_done (loop $v
            (br_if $v_done (i32.ge_u (local.get $t) (local.get $vec)))
            (local.set $v0 (v128.load (local.get $p0)))
            (local.set $v1 (v128.load (local.get $p1)))
            (local.set $v2 (v128.load (local.get $p2)))
            (local.set $v3 (v128.load (local.get $p3)))
            ;; [a0 b0 a1 b1], [a2 b2 a3 b3], [c0 d0 c1 d1], [c2 d2 c3 d3]
            (local.set $t0 (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 (local.get $v0) (local.get $v1)))
            (local.set $t1 (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31 (local.get $v0) (local.get $v1)))
            (local.set $t2 (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 (local.get $v2) (local.get $v3)))
            (local.set $t3 (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31 (local.get $v2) (local.get $v3)))
            (v128.store (local.get $dst)
              (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $t0) (local.get $t2)))
            (v128.store offset=16 (local.get $dst)
              (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $t0) (local.get $t2)))
            (v128.store offset=32 (local.get $dst)
              (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $t1) (local.get $t3)))
            (v128.store offset=48 (local.get $dst)
              (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $t1) (local.get $t3)))
            (local.set $p0 (i32.add (local.get $p0) (i32.const 16)))
            (local.set $p1 (i32.add (local.get $p1) (i32.const 16)))
            (local.set $p2 (i32.add (local.get $p2) (i32.const 16)))
            (local.set $p3 (i32.add (local.get $p3) (i32.const 16)))
            (local.set $dst (i32.add (local.get $dst) (i32.const 64)))
            (local.set $t (i32.add (local.get $t) (i32.const 4)))
            (br $v)))
          (block $t_done (loop $tl
            (br_if $t_done (i32.ge_u (local.get $t) (local.get $k)))
            (i32.store (local.get $dst) (i32.load (local.get $p0)))
            (i32.store offset=4 (local.get $dst) (i32.load (local.get $p1)))
            (i32.store offset=8 (local.get $dst) (i32.load (local.get $p2)))
            (i32.store offset=12 (local.get $dst) (i32.load (local.get $p3)))
            (local.set $p0 (i32.add (local.get $p0) (i32.const 4)))
            (local.set $p1 (i32.add (local.get $p1) (i32.const 4)))
            (local.set $p2 (i32.add (local.get $p2) (i32.const 4)))
            (local.set $p3 (i32.add (local.get $p3) (i32.const 4)))
            (local.set $dst (i32.add (local.get $dst) (i32.const 16)))
            (local.set $t (i32.add (local.get $t) (i32.const 1)))
            (br $tl))))
        (else
          ;; The last block, with rows past m: value by value, zeros past m.
          (local.set $t (i32.const 0))
          (block $s_done (loop $s
            (br_if $s_done (i32.ge_u (local.get $t) (local.get $k)))
            (local.set $r (i32.const 0))
            (block $r_done (loop $rl
              (br_if $r_done (i32.ge_u (local.get $r) (i32.const 4)))
              (i32.store (local.get $dst)
                (if (result i32) (i32.lt_u (i32.add (local.get $i) (local.get $r)) (local.get $m))
                  (then (i32.load (i32.add (local.get $src)
                    (i32.add (i32.mul (i32.add (local.get $i) (local.get $r)) (local.get $rb))
                      (i32.shl (local.get $t) (i32.const 2))))))
                  (else (i32.const 0))))
              (local.set $dst (i32.add (local.get $dst) (i32.const 4)))
              (local.set $r (i32.add (local.get $r) (i32.const 1)))
              (br $rl)))
            (local.set $t (i32.add (local.get $t) (i32.const 1)))
            (br $s)))))
      (local.set $i (i32.add (local.get $i) (i32.const 4)))
      (br $blocks))))

  ;; packAT: A given as Aᵀ [k, ·] (rows lda floats apart) → packed for sgemmP, as packA: a step's
  ;; four rows of A are four adjacent floats of a row of Aᵀ; rows m..Mp zeros.
  (func (export "packAT") (param $src i32) (param $dst i32) (param $m i32) (param $k i32) (param $lda i32)
    (local $i i32) (local $t i32) (local $r i32) (local $p i32) (local $ldab i32)
    (local.set $ldab (i32.shl (local.get $lda) (i32.const 2)))
    (block $blocks_done (loop $blocks
      (br_if $blocks_done (i32.ge_u (local.get $i) (local.get $m)))
      (local.set $p (i32.add (local.get $src) (i32.shl (local.get $i) (i32.const 2))))
      (local.set $t (i32.const 0))
      (if (i32.le_u (i32.add (local.get $i) (i32.const 4)) (local.get $m))
        (then
          (block $v_done (loop $v
            (br_if $v_done (i32.ge_u (local.get $t) (local.get $k)))
            (v128.store (local.get $dst) (v128.load (local.get $p)))
            (local.set $p (i32.add (local.get $p) (local.get $ldab)))
            (local.set $dst (i32.add (local.get $dst) (i32.const 16)))
            (local.set $t (i32.add (local.get $t) (i32.const 1)))
            (br $v))))
        (else
          (block $s_done (loop $s
            (br_if $s_done (i32.ge_u (local.get $t) (local.get $k)))
            (local.set $r (i32.const 0))
            (block $r_done (loop $rl
              (br_if $r_done (i32.ge_u (local.get $r) (i32.const 4)))
              (i32.store (local.get $dst)
                (if (result i32) (i32.lt_u (i32.add (local.get $i) (local.get $r)) (local.get $m))
                  (then (i32.load (i32.add (local.get $p) (i32.shl (local.get $r) (i32.const 2)))))
                  (else (i32.const 0))))
              (local.set $dst (i32.add (local.get $dst) (i32.const 4)))
              (local.set $r (i32.add (local.get $r) (i32.const 1)))
              (br $rl)))
            (local.set $p (i32.add (local.get $p) (local.get $ldab)))
            (local.set $t (i32.add (local.get $t) (i32.const 1)))
            (br $s)))))
      (local.set $i (i32.add (local.get $i) (i32.const 4)))
      (br $blocks))))

  ;; B [k, ·] with rows ldb floats apart → panels: for each 8 columns j..j+7 (n a multiple of 8),
  ;; k steps of those 8 floats, one after the other (panel j/8 starts at dst + j·k floats). The
  ;; last panel may read past a row's true width (into the next row, or the caller's slack).
  (func (export "panels") (param $b i32) (param $dst i32) (param $k i32) (param $n i32) (param $ldb i32)
    (local $j i32) (local $t i32) (local $src i32) (local $o i32) (local $bs i32)
    (local.set $bs (i32.shl (local.get $ldb) (i32.const 2)))
    (local.set $o (local.get $dst))
    (block $cols_done (loop $cols
      (br_if $cols_done (i32.ge_u (local.get $j) (local.get $n)))
      (local.set $src (i32.add (local.get $b) (i32.shl (local.get $j) (i32.const 2))))
      (local.set $t (i32.const 0))
      (block $steps_done (loop $steps
        (br_if $steps_done (i32.ge_u (local.get $t) (local.get $k)))
        (v128.store (local.get $o) (v128.load (local.get $src)))
        (v128.store offset=16 (local.get $o) (v128.load offset=16 (local.get $src)))
        (local.set $src (i32.add (local.get $src) (local.get $bs)))
        (local.set $o (i32.add (local.get $o) (i32.const 32)))
        (local.set $t (i32.add (local.get $t) (i32.const 1)))
        (br $steps)))
      (local.set $j (i32.add (local.get $j) (i32.const 8)))
      (br $cols))))

;; The panels of B = Wᵀ straight from W [n, k] (rows ldw floats apart): panel j/8 holds, for
  ;; each step t, W[j..j+7, t] — what "panels" makes of a transposed copy, without making the
  ;; copy. Four steps at a time (two 4×4 blocks of W through registers), then one at a time.
  ;; Rows past n in the last panel are read (the caller leaves seven rows of slack) and only
  ;; feed columns of C that are dropped.
  (func (export "panelsT") (param $w i32) (param $dst i32) (param $k i32) (param $n i32) (param $ldw i32)
    (local $j i32) (local $t i32) (local $r0 i32) (local $rs i32) (local $o i32) (local $k4 i32)
    (local $src i32)
    (local $x0 v128) (local $x1 v128) (local $x2 v128) (local $x3 v128)
    (local $y0 v128) (local $y1 v128) (local $y2 v128) (local $y3 v128)
    (local $a0 v128) (local $a1 v128) (local $a2 v128) (local $a3 v128)
    (local.set $rs (i32.shl (local.get $ldw) (i32.const 2)))
    (local.set $k4 (i32.and (local.get $k) (i32.const -4)))
    (local.set $o (local.get $dst))
    (block $cols_done (loop $cols
      (br_if $cols_done (i32.ge_u (local.get $j) (local.get $n)))
      (local.set $r0 (i32.add (local.get $w) (i32.mul (local.get $j) (local.get $rs))))
      (local.set $t (i32.const 0))
      (block $steps_done (loop $steps
        (br_if $steps_done (i32.ge_u (local.get $t) (local.get $k4)))
        ;; x: rows j..j+3 at steps t..t+3; y: rows j+4..j+7. Transposed, x_i and y_i are step t+i.
        (local.set $src (i32.add (local.get $r0) (i32.shl (local.get $t) (i32.const 2))))
        (local.set $x0 (v128.load (local.get $src)))
        (local.set $x1 (v128.load (i32.add (local.get $src) (local.get $rs))))
        (local.set $x2 (v128.load (i32.add (local.get $src) (i32.shl (local.get $rs) (i32.const 1)))))
        (local.set $x3 (v128.load (i32.add (local.get $src) (i32.mul (local.get $rs) (i32.const 3)))))
        (local.set $src (i32.add (local.get $src) (i32.shl (local.get $rs) (i32.const 2))))
        (local.set $y0 (v128.load (local.get $src)))
        (local.set $y1 (v128.load (i32.add (local.get $src) (local.get $rs))))
        (local.set $y2 (v128.load (i32.add (local.get $src) (i32.shl (local.get $rs) (i32.const 1)))))
        (local.set $y3 (v128.load (i32.add (local.get $src) (i32.mul (local.get $rs) (i32.const 3)))))
        (local.set $a0 (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 (local.get $x0) (local.get $x1)))
        (local.set $a1 (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31 (local.get $x0) (local.get $x1)))
        (local.set $a2 (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 (local.get $x2) (local.get $x3)))
        (local.set $a3 (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31 (local.get $x2) (local.get $x3)))
        (local.set $x0 (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $a0) (local.get $a2)))
        (local.set $x1 (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $a0) (local.get $a2)))
        (local.set $x2 (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $a1) (local.get $a3)))
        (local.set $x3 (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $a1) (local.get $a3)))
        (local.set $a0 (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 (local.get $y0) (local.get $y1)))
        (local.set $a1 (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31 (local.get $y0) (local.get $y1)))
        (local.set $a2 (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 (local.get $y2) (local.get $y3)))
        (local.set $a3 (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31 (local.get $y2) (local.get $y3)))
        (local.set $y0 (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $a0) (local.get $a2)))
        (local.set $y1 (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $a0) (local.get $a2)))
        (local.set $y2 (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $a1) (local.get $a3)))
        (local.set $y3 (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $a1) (local.get $a3)))
        (v128.store offset=0 (local.get $o) (local.get $x0))
        (v128.store offset=16 (local.get $o) (local.get $y0))
        (v128.store offset=32 (local.get $o) (local.get $x1))
        (v128.store offset=48 (local.get $o) (local.get $y1))
        (v128.store offset=64 (local.get $o) (local.get $x2))
        (v128.store offset=80 (local.get $o) (local.get $y2))
        (v128.store offset=96 (local.get $o) (local.get $x3))
        (v128.store offset=112 (local.get $o) (local.get $y3))
        (local.set $o (i32.add (local.get $o) (i32.const 128)))
        (local.set $t (i32.add (local.get $t) (i32.const 4)))
        (br $steps)))
      (block $tail_done (loop $tail
        (br_if $tail_done (i32.ge_u (local.get $t) (local.get $k)))
        (local.set $src (i32.add (local.get $r0) (i32.shl (local.get $t) (i32.const 2))))
          (f32.store offset=0 (local.get $o) (f32.load (i32.add (local.get $src) (i32.mul (local.get $rs) (i32.const 0)))))
          (f32.store offset=4 (local.get $o) (f32.load (i32.add (local.get $src) (i32.mul (local.get $rs) (i32.const 1)))))
          (f32.store offset=8 (local.get $o) (f32.load (i32.add (local.get $src) (i32.mul (local.get $rs) (i32.const 2)))))
          (f32.store offset=12 (local.get $o) (f32.load (i32.add (local.get $src) (i32.mul (local.get $rs) (i32.const 3)))))
          (f32.store offset=16 (local.get $o) (f32.load (i32.add (local.get $src) (i32.mul (local.get $rs) (i32.const 4)))))
          (f32.store offset=20 (local.get $o) (f32.load (i32.add (local.get $src) (i32.mul (local.get $rs) (i32.const 5)))))
          (f32.store offset=24 (local.get $o) (f32.load (i32.add (local.get $src) (i32.mul (local.get $rs) (i32.const 6)))))
          (f32.store offset=28 (local.get $o) (f32.load (i32.add (local.get $src) (i32.mul (local.get $rs) (i32.const 7)))))
        (local.set $o (i32.add (local.get $o) (i32.const 32)))
        (local.set $t (i32.add (local.get $t) (i32.const 1)))
        (br $tail)))
      (local.set $j (i32.add (local.get $j) (i32.const 8)))
      (br $cols))))

  ;; dst[c, r] = src[r, c] for a dense rows × cols src; dst's rows are pitch floats apart.
  ;; Blocks of 4×4 go through registers (four loads, eight shuffles, four stores); the edges
  ;; one value at a time.
  (func (export "transpose")
    (param $src i32) (param $dst i32) (param $rows i32) (param $cols i32) (param $pitch i32)
    (local $r i32) (local $c i32) (local $rs i32) (local $ps i32) (local $p i32) (local $q i32)
    (local $r4 i32) (local $c4 i32)
    (local $x0 v128) (local $x1 v128) (local $x2 v128) (local $x3 v128)
    (local $t0 v128) (local $t1 v128) (local $t2 v128) (local $t3 v128)
    (local.set $rs (i32.shl (local.get $cols) (i32.const 2)))
    (local.set $ps (i32.shl (local.get $pitch) (i32.const 2)))
    (local.set $r4 (i32.and (local.get $rows) (i32.const -4)))
    (local.set $c4 (i32.and (local.get $cols) (i32.const -4)))
    (local.set $r (i32.const 0))
    (block $blocks_done (loop $block_rows
      (br_if $blocks_done (i32.ge_u (local.get $r) (local.get $r4)))
      (local.set $c (i32.const 0))
      (block $cols_done (loop $block_cols
        (br_if $cols_done (i32.ge_u (local.get $c) (local.get $c4)))
        ;; p: src[r, c]; q: dst[c, r]
        (local.set $p (i32.add (local.get $src)
          (i32.shl (i32.add (i32.mul (local.get $r) (local.get $cols)) (local.get $c)) (i32.const 2))))
        (local.set $x0 (v128.load (local.get $p)))
        (local.set $x1 (v128.load (i32.add (local.get $p) (local.get $rs))))
        (local.set $x2 (v128.load (i32.add (local.get $p) (i32.shl (local.get $rs) (i32.const 1)))))
        (local.set $x3 (v128.load (i32.add (local.get $p) (i32.mul (local.get $rs) (i32.const 3)))))
        (local.set $t0 (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 (local.get $x0) (local.get $x1)))
        (local.set $t1 (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31 (local.get $x0) (local.get $x1)))
        (local.set $t2 (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 (local.get $x2) (local.get $x3)))
        (local.set $t3 (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31 (local.get $x2) (local.get $x3)))
        (local.set $q (i32.add (local.get $dst)
          (i32.shl (i32.add (i32.mul (local.get $c) (local.get $pitch)) (local.get $r)) (i32.const 2))))
        (v128.store (local.get $q)
          (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $t0) (local.get $t2)))
        (v128.store (i32.add (local.get $q) (local.get $ps))
          (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $t0) (local.get $t2)))
        (v128.store (i32.add (local.get $q) (i32.shl (local.get $ps) (i32.const 1)))
          (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $t1) (local.get $t3)))
        (v128.store (i32.add (local.get $q) (i32.mul (local.get $ps) (i32.const 3)))
          (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $t1) (local.get $t3)))
        (local.set $c (i32.add (local.get $c) (i32.const 4)))
        (br $block_cols)))
      (local.set $r (i32.add (local.get $r) (i32.const 4)))
      (br $block_rows)))
    ;; The columns past the last block of 4, for the rows done in blocks.
    (local.set $r (i32.const 0))
    (block $edge_done (loop $edge_rows
      (br_if $edge_done (i32.ge_u (local.get $r) (local.get $r4)))
      (local.set $c (local.get $c4))
      (block $edge_cols_done (loop $edge_cols
        (br_if $edge_cols_done (i32.ge_u (local.get $c) (local.get $cols)))
        (f32.store
          (i32.add (local.get $dst)
            (i32.shl (i32.add (i32.mul (local.get $c) (local.get $pitch)) (local.get $r)) (i32.const 2)))
          (f32.load (i32.add (local.get $src)
            (i32.shl (i32.add (i32.mul (local.get $r) (local.get $cols)) (local.get $c)) (i32.const 2)))))
        (local.set $c (i32.add (local.get $c) (i32.const 1)))
        (br $edge_cols)))
      (local.set $r (i32.add (local.get $r) (i32.const 1)))
      (br $edge_rows)))
    ;; The rows past the last block of 4, every column.
    (local.set $r (local.get $r4))
    (block $tail_done (loop $tail_rows
      (br_if $tail_done (i32.ge_u (local.get $r) (local.get $rows)))
      (local.set $c (i32.const 0))
      (block $tail_cols_done (loop $tail_cols
        (br_if $tail_cols_done (i32.ge_u (local.get $c) (local.get $cols)))
        (f32.store
          (i32.add (local.get $dst)
            (i32.shl (i32.add (i32.mul (local.get $c) (local.get $pitch)) (local.get $r)) (i32.const 2)))
          (f32.load (i32.add (local.get $src)
            (i32.shl (i32.add (i32.mul (local.get $r) (local.get $cols)) (local.get $c)) (i32.const 2)))))
        (local.set $c (i32.add (local.get $c) (i32.const 1)))
        (br $tail_cols)))
      (local.set $r (i32.add (local.get $r) (i32.const 1)))
      (br $tail_rows))))

  ;; Convolution's columns over a table of runs (see ops/im2col.ts): each run [e, s, len] copies
  ;; len consecutive input values from plane position s to column entry e. Four values at a time
  ;; with SIMD, then one at a time.
  ;;
  ;; im2col: for each of `planes` planes of `plane` floats at x, its K·L column entries at out (out
  ;; is zero where no run writes: the caller clears it).
  ;; col2im: the adjoint: each column entry added onto its input position, run after run in the
  ;; table's order (as the TypeScript kernel adds them; out starts at zero). Within a run the
  ;; positions are distinct, so adding four at a time rounds as adding one at a time does.
  (func (export "im2col")
    (param $x i32) (param $runs i32) (param $nruns i32) (param $planes i32) (param $plane i32)
    (param $KL i32) (param $out i32)
    (local $p i32) (local $r i32) (local $from i32) (local $to i32) (local $d i32) (local $s i32)
    (local $end i32) (local $run i32)
    (block $planes_done (loop $planes_loop
      (br_if $planes_done (i32.ge_u (local.get $p) (local.get $planes)))
      (local.set $from (i32.add (local.get $x) (i32.shl (i32.mul (local.get $p) (local.get $plane)) (i32.const 2))))
      (local.set $to (i32.add (local.get $out) (i32.shl (i32.mul (local.get $p) (local.get $KL)) (i32.const 2))))
      (local.set $r (i32.const 0))
      (block $runs_done (loop $runs_loop
        (br_if $runs_done (i32.ge_u (local.get $r) (local.get $nruns)))
        (local.set $run (i32.add (local.get $runs) (i32.mul (local.get $r) (i32.const 12))))
        (local.set $d (i32.add (local.get $to) (i32.shl (i32.load (local.get $run)) (i32.const 2))))
        (local.set $s (i32.add (local.get $from) (i32.shl (i32.load offset=4 (local.get $run)) (i32.const 2))))
        (local.set $end (i32.add (local.get $d) (i32.shl (i32.load offset=8 (local.get $run)) (i32.const 2))))
        (block $vec_done (loop $vec
          (br_if $vec_done (i32.gt_u (i32.add (local.get $d) (i32.const 16)) (local.get $end)))
          (v128.store (local.get $d) (v128.load (local.get $s)))
          (local.set $d (i32.add (local.get $d) (i32.const 16)))
          (local.set $s (i32.add (local.get $s) (i32.const 16)))
          (br $vec)))
        (block $tail_done (loop $tail
          (br_if $tail_done (i32.ge_u (local.get $d) (local.get $end)))
          (f32.store (local.get $d) (f32.load (local.get $s)))
          (local.set $d (i32.add (local.get $d) (i32.const 4)))
          (local.set $s (i32.add (local.get $s) (i32.const 4)))
          (br $tail)))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $runs_loop)))
      (local.set $p (i32.add (local.get $p) (i32.const 1)))
      (br $planes_loop))))

  (func (export "col2im")
    (param $cols i32) (param $runs i32) (param $nruns i32) (param $planes i32) (param $plane i32)
    (param $KL i32) (param $out i32)
    (local $p i32) (local $r i32) (local $from i32) (local $to i32) (local $d i32) (local $s i32)
    (local $end i32) (local $run i32)
    (block $planes_done (loop $planes_loop
      (br_if $planes_done (i32.ge_u (local.get $p) (local.get $planes)))
      (local.set $from (i32.add (local.get $cols) (i32.shl (i32.mul (local.get $p) (local.get $KL)) (i32.const 2))))
      (local.set $to (i32.add (local.get $out) (i32.shl (i32.mul (local.get $p) (local.get $plane)) (i32.const 2))))
      (local.set $r (i32.const 0))
      (block $runs_done (loop $runs_loop
        (br_if $runs_done (i32.ge_u (local.get $r) (local.get $nruns)))
        (local.set $run (i32.add (local.get $runs) (i32.mul (local.get $r) (i32.const 12))))
        (local.set $s (i32.add (local.get $from) (i32.shl (i32.load (local.get $run)) (i32.const 2))))
        (local.set $d (i32.add (local.get $to) (i32.shl (i32.load offset=4 (local.get $run)) (i32.const 2))))
        (local.set $end (i32.add (local.get $d) (i32.shl (i32.load offset=8 (local.get $run)) (i32.const 2))))
        (block $vec_done (loop $vec
          (br_if $vec_done (i32.gt_u (i32.add (local.get $d) (i32.const 16)) (local.get $end)))
          (v128.store (local.get $d) (f32x4.add (v128.load (local.get $d)) (v128.load (local.get $s))))
          (local.set $d (i32.add (local.get $d) (i32.const 16)))
          (local.set $s (i32.add (local.get $s) (i32.const 16)))
          (br $vec)))
        (block $tail_done (loop $tail
          (br_if $tail_done (i32.ge_u (local.get $d) (local.get $end)))
          (f32.store (local.get $d) (f32.add (f32.load (local.get $d)) (f32.load (local.get $s))))
          (local.set $d (i32.add (local.get $d) (i32.const 4)))
          (local.set $s (i32.add (local.get $s) (i32.const 4)))
          (br $tail)))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $runs_loop)))
      (local.set $p (i32.add (local.get $p) (i32.const 1)))
      (br $planes_loop))))

  ;; x[i, j] += bias[j] for i < rows, j < n (rows pitch floats apart), one float32 addition per
  ;; value, as the add op's: a Linear layer's bias on its product before C leaves the memory, and
  ;; an RNN's input projection's own bias once for every step (recurrent.ts).
  (func (export "addColumns") (param $x i32) (param $bias i32) (param $rows i32) (param $n i32) (param $pitch i32)
    (local $i i32) (local $j i32) (local $vec i32) (local $at i32)
    (local.set $vec (i32.and (local.get $n) (i32.const -4)))
    (block $rows_done (loop $row
      (br_if $rows_done (i32.ge_u (local.get $i) (local.get $rows)))
      (local.set $j (i32.const 0))
      (block $v_done (loop $vl
        (br_if $v_done (i32.ge_u (local.get $j) (local.get $vec)))
        (local.set $at (i32.shl (local.get $j) (i32.const 2)))
        (v128.store (i32.add (local.get $x) (local.get $at))
          (f32x4.add (v128.load (i32.add (local.get $x) (local.get $at)))
            (v128.load (i32.add (local.get $bias) (local.get $at)))))
        (local.set $j (i32.add (local.get $j) (i32.const 4)))
        (br $vl)))
      (block $t_done (loop $tl
        (br_if $t_done (i32.ge_u (local.get $j) (local.get $n)))
        (local.set $at (i32.shl (local.get $j) (i32.const 2)))
        (f32.store (i32.add (local.get $x) (local.get $at))
          (f32.add (f32.load (i32.add (local.get $x) (local.get $at)))
            (f32.load (i32.add (local.get $bias) (local.get $at)))))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br $tl)))
      (local.set $x (i32.add (local.get $x) (i32.shl (local.get $pitch) (i32.const 2))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $row))))

  ;; c[r, j] += bias[r] for r < rows, j < n (n a multiple of 4; rows n floats apart): a
  ;; convolution's bias added to its product in place, one float32 addition per value.
  (func (export "addRows") (param $c i32) (param $bias i32) (param $rows i32) (param $n i32)
    (local $r i32) (local $p i32) (local $end i32) (local $v v128)
    (local.set $p (local.get $c))
    (block $rows_done (loop $rows_loop
      (br_if $rows_done (i32.ge_u (local.get $r) (local.get $rows)))
      (local.set $v (f32x4.splat (f32.load (i32.add (local.get $bias) (i32.shl (local.get $r) (i32.const 2))))))
      (local.set $end (i32.add (local.get $p) (i32.shl (local.get $n) (i32.const 2))))
      (block $done (loop $cols
        (br_if $done (i32.ge_u (local.get $p) (local.get $end)))
        (v128.store (local.get $p) (f32x4.add (v128.load (local.get $p)) (local.get $v)))
        (local.set $p (i32.add (local.get $p) (i32.const 16)))
        (br $cols)))
      (local.set $r (i32.add (local.get $r) (i32.const 1)))
      (br $rows_loop))))

  ;; Sums over samples and positions of g [n, o, L] per channel (a convolution's bias gradient):
  ;; out[j] = Σ_p Σ_l g[p, j, l], each channel one float64 chain in that order, rounded once to
  ;; float32, as the TypeScript sum over dims [0, 2] adds. Eight channels at a time (four f64x2
  ;; chains, so the additions overlap), then two, then one.
  (func (export "channelSums") (param $g i32) (param $n i32) (param $o i32) (param $L i32) (param $out i32)
    (local $j i32) (local $p i32) (local $row i32) (local $end i32) (local $lb i32) (local $step i32)
    (local $a0 v128) (local $a1 v128) (local $a2 v128) (local $a3 v128) (local $s f64)
    (local.set $lb (i32.shl (local.get $L) (i32.const 2)))
    (local.set $step (i32.mul (local.get $lb) (local.get $o)))
    (block $eights_done (loop $eights
      (br_if $eights_done (i32.gt_u (i32.add (local.get $j) (i32.const 8)) (local.get $o)))
      (local.set $a0 (v128.const i64x2 0 0))
      (local.set $a1 (v128.const i64x2 0 0))
      (local.set $a2 (v128.const i64x2 0 0))
      (local.set $a3 (v128.const i64x2 0 0))
      (local.set $p (i32.const 0))
      (block $samples_done (loop $samples
        (br_if $samples_done (i32.ge_u (local.get $p) (local.get $n)))
        ;; row: g[p, j, 0]; the eight rows lb bytes apart.
        (local.set $row (i32.add (local.get $g)
          (i32.add (i32.mul (local.get $p) (local.get $step)) (i32.mul (local.get $j) (local.get $lb)))))
        (local.set $end (i32.add (local.get $row) (local.get $lb)))
        (loop $positions
          (local.set $a0 (f64x2.add (local.get $a0) (f64x2.promote_low_f32x4
            (v128.load32_lane 1 (i32.add (local.get $row) (local.get $lb)) (v128.load32_zero (local.get $row))))))
          (local.set $a1 (f64x2.add (local.get $a1) (f64x2.promote_low_f32x4
            (v128.load32_lane 1 (i32.add (local.get $row) (i32.mul (local.get $lb) (i32.const 3)))
              (v128.load32_zero (i32.add (local.get $row) (i32.shl (local.get $lb) (i32.const 1))))))))
          (local.set $a2 (f64x2.add (local.get $a2) (f64x2.promote_low_f32x4
            (v128.load32_lane 1 (i32.add (local.get $row) (i32.mul (local.get $lb) (i32.const 5)))
              (v128.load32_zero (i32.add (local.get $row) (i32.shl (local.get $lb) (i32.const 2))))))))
          (local.set $a3 (f64x2.add (local.get $a3) (f64x2.promote_low_f32x4
            (v128.load32_lane 1 (i32.add (local.get $row) (i32.mul (local.get $lb) (i32.const 7)))
              (v128.load32_zero (i32.add (local.get $row) (i32.mul (local.get $lb) (i32.const 6))))))))
          (local.set $row (i32.add (local.get $row) (i32.const 4)))
          (br_if $positions (i32.lt_u (local.get $row) (local.get $end))))
        (local.set $p (i32.add (local.get $p) (i32.const 1)))
        (br $samples)))
      (local.set $row (i32.add (local.get $out) (i32.shl (local.get $j) (i32.const 2))))
      (v128.store64_lane 0 (local.get $row) (f32x4.demote_f64x2_zero (local.get $a0)))
      (v128.store64_lane offset=8 0 (local.get $row) (f32x4.demote_f64x2_zero (local.get $a1)))
      (v128.store64_lane offset=16 0 (local.get $row) (f32x4.demote_f64x2_zero (local.get $a2)))
      (v128.store64_lane offset=24 0 (local.get $row) (f32x4.demote_f64x2_zero (local.get $a3)))
      (local.set $j (i32.add (local.get $j) (i32.const 8)))
      (br $eights)))
    ;; The remaining channels one at a time.
    (block $ones_done (loop $ones
      (br_if $ones_done (i32.ge_u (local.get $j) (local.get $o)))
      (local.set $s (f64.const 0))
      (local.set $p (i32.const 0))
      (block $samples1_done (loop $samples1
        (br_if $samples1_done (i32.ge_u (local.get $p) (local.get $n)))
        (local.set $row (i32.add (local.get $g)
          (i32.add (i32.mul (local.get $p) (local.get $step)) (i32.mul (local.get $j) (local.get $lb)))))
        (local.set $end (i32.add (local.get $row) (local.get $lb)))
        (loop $positions1
          (local.set $s (f64.add (local.get $s) (f64.promote_f32 (f32.load (local.get $row)))))
          (local.set $row (i32.add (local.get $row) (i32.const 4)))
          (br_if $positions1 (i32.lt_u (local.get $row) (local.get $end))))
        (local.set $p (i32.add (local.get $p) (i32.const 1)))
        (br $samples1)))
      (f32.store (i32.add (local.get $out) (i32.shl (local.get $j) (i32.const 2))) (f32.demote_f64 (local.get $s)))
      (local.set $j (i32.add (local.get $j) (i32.const 1)))
      (br $ones))))
)
