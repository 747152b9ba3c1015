;; Whole rows moved by index: index_select's gather (an embedding's lookup) and index_add's
;; scatter-add (an embedding's gradient), for float32 rows of `bytes` bytes (a multiple of 4).
;; A JavaScript loop moves ~1 float32 a nanosecond here (each value converted to a double and
;; back); these move four per vector instruction.
;;
;; gather(src, dst, idx, count, bytes): row i of dst is row idx[i] of src, for i < count.
;; Copies bits (integer loads and stores for the tail), so NaN payloads pass unchanged.
;; scatterAdd(dst, src, idx, count, bytes): row idx[i] of dst += row i of src, for i in order:
;; each value of dst gets its additions in the order of i, one float32 addition each, as the
;; TypeScript kernel adds them.
;; idx holds int32 row numbers, already checked against src's (dst's) rows by the caller.
;; variant: shared (build-wasm.mjs also emits it importing a shared memory: the arena, arena.ts)
(module
  (memory (export "memory") 1)

  (func (export "gather")
    (param $src i32) (param $dst i32) (param $idx i32) (param $count i32) (param $bytes i32)
    (local $end i32) (local $from i32) (local $j i32) (local $vec i32)
    (local.set $vec (i32.and (local.get $bytes) (i32.const -16)))
    (local.set $end (i32.add (local.get $idx) (i32.shl (local.get $count) (i32.const 2))))
    (block $done (loop $row
      (br_if $done (i32.ge_u (local.get $idx) (local.get $end)))
      (local.set $from (i32.add (local.get $src) (i32.mul (i32.load (local.get $idx)) (local.get $bytes))))
      (local.set $j (i32.const 0))
      (block $v_done (loop $v
        (br_if $v_done (i32.ge_u (local.get $j) (local.get $vec)))
        (v128.store (i32.add (local.get $dst) (local.get $j))
          (v128.load (i32.add (local.get $from) (local.get $j))))
        (local.set $j (i32.add (local.get $j) (i32.const 16)))
        (br $v)))
      (block $t_done (loop $t
        (br_if $t_done (i32.ge_u (local.get $j) (local.get $bytes)))
        (i32.store (i32.add (local.get $dst) (local.get $j))
          (i32.load (i32.add (local.get $from) (local.get $j))))
        (local.set $j (i32.add (local.get $j) (i32.const 4)))
        (br $t)))
      (local.set $dst (i32.add (local.get $dst) (local.get $bytes)))
      (local.set $idx (i32.add (local.get $idx) (i32.const 4)))
      (br $row))))

  (func (export "scatterAdd")
    (param $dst i32) (param $src i32) (param $idx i32) (param $count i32) (param $bytes i32)
    (local $end i32) (local $to i32) (local $j i32) (local $vec i32) (local $p i32)
    (local.set $vec (i32.and (local.get $bytes) (i32.const -16)))
    (local.set $end (i32.add (local.get $idx) (i32.shl (local.get $count) (i32.const 2))))
    (block $done (loop $row
      (br_if $done (i32.ge_u (local.get $idx) (local.get $end)))
      (local.set $to (i32.add (local.get $dst) (i32.mul (i32.load (local.get $idx)) (local.get $bytes))))
      (local.set $j (i32.const 0))
      (block $v_done (loop $v
        (br_if $v_done (i32.ge_u (local.get $j) (local.get $vec)))
        (local.set $p (i32.add (local.get $to) (local.get $j)))
        (v128.store (local.get $p)
          (f32x4.add (v128.load (local.get $p)) (v128.load (i32.add (local.get $src) (local.get $j)))))
        (local.set $j (i32.add (local.get $j) (i32.const 16)))
        (br $v)))
      (block $t_done (loop $t
        (br_if $t_done (i32.ge_u (local.get $j) (local.get $bytes)))
        (local.set $p (i32.add (local.get $to) (local.get $j)))
        (f32.store (local.get $p)
          (f32.add (f32.load (local.get $p)) (f32.load (i32.add (local.get $src) (local.get $j)))))
        (local.set $j (i32.add (local.get $j) (i32.const 4)))
        (br $t)))
      (local.set $src (i32.add (local.get $src) (local.get $bytes)))
      (local.set $idx (i32.add (local.get $idx) (i32.const 4)))
      (br $row)))))
