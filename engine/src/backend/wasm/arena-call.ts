// A kernel call over the arena (arena.ts) with its operands' byte addresses: an operand that
// lives there where it lies, any other copied into a scratch block first (and copied back out
// when the kernel writes it), and scratch of the call's own after them. Kernels that take whole
// operands by address use it (rows.ts, softmax.ts, and elementwise.ts's binary ops, whose small
// broadcast operands are copied in); the one-operand elementwise kernels, whose operands always
// live there, have their own (elementwise.ts's inArena).
import { addressOf, arenaScratch } from './arena.ts';
import type { WasmMemory } from './instance.ts';

/** n floats of an array from element `at`, which the kernel reads and/or writes. */
export interface Operand {
  data: Float32Array;
  at: number;
  n: number;
  read: boolean;
  written: boolean;
}

/**
 * Runs `call` with the operands' addresses in the arena's `memory` and the address of `extra`
 * bytes of scratch; false (nothing run) where the arena has no room. A copy is padded to whole
 * vectors with a vector of slack after it, as every arena block has (a kernel may read a few
 * floats past an operand).
 */
export function withAddresses(
  memory: WasmMemory,
  operands: readonly Operand[],
  extra: number,
  call: (at: number[], scratch: number) => void,
): boolean {
  const resident = operands.map((o) => addressOf(o.data, o.at));
  const bytes = (n: number) => Math.ceil(n / 4) * 16 + 16;
  const copied = operands.reduce((sum, o, i) => sum + (resident[i] === null ? bytes(o.n) : 0), 0);
  const block = arenaScratch(copied + extra);
  if (!block) return false;
  // (A view made after the block is taken: taking it may have grown the memory.)
  const heap = new Float32Array(memory.buffer);
  let next = block.at;
  const at = operands.map((o, i) => {
    if (resident[i] !== null) return resident[i]!;
    const place = next;
    next += bytes(o.n);
    if (o.read) heap.set(o.data.subarray(o.at, o.at + o.n), place / 4);
    return place;
  });
  call(at, next);
  operands.forEach((o, i) => {
    if (o.written && resident[i] === null) o.data.set(heap.subarray(at[i]! / 4, at[i]! / 4 + o.n), o.at);
  });
  block.done();
  return true;
}
