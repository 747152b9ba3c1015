// An elementwise kernel call over the arena, run on this thread or, for many values with threads
// started over the arena, shared out between them (threads.ts): each thread a range of the
// values, each value computed by the same code either way.
import { arenaMemory } from './arena.ts';
import { splitCallId, splitRunner, type SplitCall } from './split-kernels.ts';
import { threadChunks, threadParts, threadPool, threadedCall } from './threads.ts';

/**
 * From this many values a call is shared out. A hand-off between polling threads costs a few
 * microseconds; these calls move about a value per nanosecond (memory-bound), so below ~10⁵ the
 * hand-off would be a large part of the call.
 */
export const SPLIT_MIN = 100_000;

/**
 * Runs `call(start, count)` over `total` units (values, or planes of `size` values each): the
 * call's arguments for units start.. start + count, whose ranges are multiples of `granule` but
 * for the end. The arena must exist (the caller's operands live in it).
 */
export function arenaCall(
  total: number,
  granule: number,
  call: (start: number, count: number) => SplitCall,
  size = 1,
): void {
  const pool = total * size >= SPLIT_MIN ? threadPool() : null;
  const parts = pool && pool.memory === arenaMemory() ? threadParts() : 1;
  if (parts > 1) {
    const granules = Math.ceil(total / granule);
    const chunks = threadChunks(granules);
    const edge = (c: number) => Math.min(total, Math.floor((granules * c) / chunks) * granule);
    threadedCall(call(0, 0)[0], chunks, (c) => call(edge(c), edge(c + 1) - edge(c))[1]);
    return;
  }
  const [name, args] = call(0, total);
  splitRunner(arenaMemory()!)(splitCallId(name), args);
}
