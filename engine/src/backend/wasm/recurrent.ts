// Products A_t · B of a sequence with one right operand (a recurrent weight), for the RNN op's
// time loop: B is laid out in panels once and each step only copies its A in, so a step's
// product costs the kernel and two small copies instead of laying the weight out again. Results
// are the batched matmul's bit for bit (the same kernel); null where the matmul would not use
// WebAssembly for this size, or it is unavailable.
import type { View } from '../types.ts';
import { reserve } from './instance.ts';
import { load, place, round, wayOf } from './sgemm.ts';
import { wasmMatmulFor } from '../cpu/matmul.ts';

export interface SequenceProduct {
  /** The kernel's memory as floats (valid until the next product outside this sequence). */
  heap: Float32Array;
  /** C's row pitch in floats (n rounded up to 8). */
  pitch: number;
  /** C = A · B for A, m × k dense floats of `a` from `at`; returns where C starts in `heap`. */
  run(a: Float32Array, at: number): number;
}

/** A sequence of m × k by k × n products with B the view `b` ([k, n], any strides). */
export function sequenceProduct(b: View, m: number, k: number, n: number): SequenceProduct | null {
  if (!(b.buffer instanceof Float32Array) || !wasmMatmulFor(m * k * n)) return null;
  const kernel = load();
  if (!kernel) return null;
  const [mp, np] = [round(m, 4), round(n, 8)];
  const [rs, cs] = b.strides as [number, number];
  const way = wayOf(true, k, n, rs, cs);
  const ldb = way === 'dense' ? n : np;
  // Bytes: panels, A, C, B's staging (with slack the last panel reads), scratch for a transpose.
  const pPtr = 0;
  const aPtr = pPtr + k * np * 4;
  const cPtr = aPtr + mp * k * 4;
  const bPtr = cPtr + mp * np * 4;
  const sPtr = bPtr + (k * ldb + 8) * 4;
  try {
    reserve(kernel.memory, sPtr + k * n * 4);
  } catch {
    return null;
  }
  const heap = new Float32Array(kernel.memory.buffer);
  place(way, b.buffer, b.offset, k, n, rs, cs, { heap, at: bPtr, pitch: ldb, scratch: sPtr, kernel });
  kernel.panels(bPtr, pPtr, k, np, ldb);
  heap.fill(0, aPtr / 4 + m * k, aPtr / 4 + mp * k);
  return {
    heap,
    pitch: np,
    run(a, at) {
      heap.set(a.subarray(at, at + m * k), aPtr / 4);
      kernel.sgemm(aPtr, pPtr, cPtr, mp, np, k);
      return cPtr / 4;
    },
  };
}
