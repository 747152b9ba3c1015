// Matmul across threads: the kernel is instantiated once per thread over one shared WebAssembly
// memory, and the rows of C are split between this thread and helper workers. The host spawns
// the helpers (Node worker_threads, or Web Workers where the page is cross-origin isolated) and
// each runs runMatmulHelper(); they wait on a control block with Atomics and take their rows.
//
// Work is cut into a few chunks per thread, and every thread takes the next chunk until none is
// left (a counter in the control block), rather than each a fixed share: a helper whose virtual
// core is busy elsewhere (a shared machine, or the page's own work) then takes fewer chunks, and
// one that has not woken takes none, where a fixed share made this thread wait for it. Each
// chunk is computed by the same code whichever thread takes it, so the values do not change.
import { BYTES_BASE64 } from './sgemm-shared.wasm.ts';
import type { WasmMemory } from './instance.ts';
import { arenaMemory } from './arena.ts';
import { convStep, P, PLAN_SLOTS } from './conv-steps.ts';
import {
  MAX_SPLIT_ARGS,
  splitCallId,
  splitRunner,
  type SplitCallName,
  type SplitRunner,
} from './split-kernels.ts';
import type { ConvKernel, SgemmExports } from './sgemm-exports.ts';

/** The most chunks work is cut into (MODE 3: each with its own arguments). */
export const MAX_CALL_PARTS = 64;

/** Int32 slots of the control block. */
const SEQ = 0;
/** Chunks finished in the current work. */
const FIN = 1;
const STOP = 2;
const A = 3;
const B = 4;
const C = 5;
const ROWS = 6;
const N = 7;
const K = 8;
const PARTS = 9;
/** Helpers that have started and wait for work. */
const READY = 10;
/** 0: split each product's rows; 1: share out whole products (BATCH of them, byte strides AS, BS, CS). */
const MODE = 11;
const BATCH = 12;
const AS = 13;
const BS = 14;
const CS = 15;
/** MODE 2: a convolution's samples shared out; its plan (conv-steps.ts) from this slot on. */
const PLAN = 16;
/** MODE 0: 1 to split C's columns (B's panels) instead of its rows. */
const BY_COLUMNS = PLAN + PLAN_SLOTS;
/** MODE 3: an elementwise call shared out (split-kernels.ts): its number and argument count. */
const CALL = BY_COLUMNS + 1;
const NARGS = CALL + 1;
/** 1: the helpers sleep now rather than poll (restHelpers); cleared with the next work. */
const REST = NARGS + 1;
/**
 * The next chunk to take: the work's tag (its number) above CHUNK_BITS, the chunk below it;
 * CLOSED in the low bits between works. Taken by compare-and-swap, so that a thread that read
 * it for earlier work cannot take a chunk of the next (the tag has moved on).
 */
const NEXT = REST + 1;
const NCHUNKS = NEXT + 1;
/** Per chunk, the tag of the work it was last finished for (to redo only the missing ones). */
const CHUNK_DONE = NCHUNKS + 1;
const CONTROL_SLOTS = CHUNK_DONE + MAX_CALL_PARTS;
const CHUNK_BITS = 12;
const CLOSED = (1 << CHUNK_BITS) - 1;
const TAGS = 1 << (31 - CHUNK_BITS);
/** MODE 3's arguments: part p's from float64 p·MAX_SPLIT_ARGS of a region after the slots. */
const ARGS_AT = Math.ceil(CONTROL_SLOTS / 2) * 8;
/**
 * Chunks per thread: enough that a slow thread's lag costs a fraction of the work, few enough
 * that each is still a long call (a chunk of the MLP's 128-row products is 16 rows).
 */
const CHUNKS_PER_THREAD = 4;
const argsOf = (control: Int32Array): Float64Array =>
  new Float64Array(control.buffer, ARGS_AT, MAX_CALL_PARTS * MAX_SPLIT_ARGS);

export interface HelperInit {
  module: unknown;
  memory: unknown;
  control: Int32Array;
  /** This helper's part of each product (0 is the calling thread's). */
  part: number;
}

interface WasmThreadsApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: unknown };
  Memory: new (descriptor: { initial: number; maximum: number; shared: boolean }) => WasmMemory;
}

interface Pool {
  kernel: SgemmExports;
  memory: WasmMemory;
  control: Int32Array;
  args: Float64Array;
  /** Runs an elementwise call on this thread's instances over the memory (MODE 3). */
  calls: SplitRunner;
  parts: number;
}

let pool: Pool | null = null;
const HELPER_TIMEOUT_MS = 10_000;
/**
 * How long a thread that waits for the other side polls before it sleeps. A training step runs
 * its products a fraction of a millisecond apart; a thread put to sleep (Atomics.wait) takes
 * tens to hundreds of microseconds to wake — more on a virtual machine — which ate most of what
 * splitting a product saved. Polling this long keeps both threads awake through a step, as
 * OpenBLAS's threads do; a helper sleeps once no work has come for this long. Not longer: where
 * two virtual cores share a physical one, a polling helper slows the thread doing the step's
 * other work (an RNN's time loop runs for milliseconds between split products).
 */
const SPIN_MS = 1;
function spinWhile(waiting: () => boolean): void {
  for (const until = performance.now() + SPIN_MS; waiting() && performance.now() < until;);
}
let why = 'not started';

const wasmApi = () => (globalThis as { WebAssembly?: WasmThreadsApi }).WebAssembly;

/** Rows [start, end) of chunk `p` of `parts`, in multiples of 4 (the kernel's block height). */
function rowsOf(rows: number, parts: number, p: number): [number, number] {
  const blocks = rows / 4;
  const start = Math.floor((blocks * p) / parts) * 4;
  const end = Math.floor((blocks * (p + 1)) / parts) * 4;
  return [start, end];
}

/**
 * Starts `helpers` helper threads through `spawn` (which must run runMatmulHelper(init) in a
 * worker). Returns false, with the reason in matmulThreadMode(), where shared memory or Atomics
 * are unavailable (a page that is not cross-origin isolated).
 */
/** Matmuls stay on one thread by the host's choice; the reason shows in matmulThreadMode(). */
export function keepMatmulSingleThreaded(reason: string): void {
  if (!pool) why = reason;
}

export function startMatmulThreads(spawn: (init: HelperInit) => void, helpers = 1): boolean {
  const wasm = wasmApi();
  if (pool) return true;
  if (!wasm || typeof SharedArrayBuffer === 'undefined' || typeof Atomics === 'undefined') {
    why = 'no SharedArrayBuffer (the page is not cross-origin isolated)';
    return false;
  }
  try {
    // The arena where there is one (the pool's arrays: the threads then read operands where
    // they lie; work is laid out in blocks taken from it), else a shared memory of their own.
    const memory = arenaMemory() ?? new wasm.Memory({ initial: 16, maximum: 32768, shared: true });
    const module = new wasm.Module(Uint8Array.from(atob(BYTES_BASE64), (ch) => ch.charCodeAt(0)));
    const kernel = new wasm.Instance(module, { env: { memory } }).exports as SgemmExports;
    const bytes = ARGS_AT + MAX_CALL_PARTS * MAX_SPLIT_ARGS * 8;
    const control = new Int32Array(new SharedArrayBuffer(bytes), 0, CONTROL_SLOTS);
    for (let part = 1; part <= helpers; part++) spawn({ module, memory, control, part });
    pool = { kernel, memory, control, args: argsOf(control), calls: splitRunner(memory), parts: helpers + 1 };
    return true;
  } catch (e) {
    why = `threads unavailable: ${(e as Error).message}`;
    return false;
  }
}

/** Tells the helpers to finish; products run on one thread again. */
export function stopMatmulThreads(): void {
  if (!pool) return;
  Atomics.store(pool.control, STOP, 1);
  Atomics.add(pool.control, SEQ, 1);
  Atomics.notify(pool.control, SEQ);
  pool = null;
  why = 'stopped';
}

/** "2 threads", or "1 thread (why)". */
export const matmulThreadMode = (): string =>
  threadPool() ? `${pool!.parts} threads` : pool ? '1 thread (helpers starting)' : `1 thread (${why})`;

/** The shared memory, for the caller to pack operands into; null until every helper is ready. */
export function threadPool(): { memory: WasmMemory } | null {
  return pool && Atomics.load(pool.control, READY) === pool.parts - 1 ? pool : null;
}

/** This thread's instance over the shared memory (operands for threads are laid out with it). */
export const sharedKernel = (): SgemmExports => pool!.kernel;

/** Units [start, end) of chunk p of `parts` out of `count` (whole products, samples or panels). */
function share(count: number, parts: number, p: number): [number, number] {
  return [Math.floor((count * p) / parts), Math.floor((count * (p + 1)) / parts)];
}

/**
 * Chunk `chunk` of the work the control block describes (NCHUNKS of them), on `kernel` (or
 * `calls`, for MODE 3); `part` is the thread's number (its own scratch, for MODE 2).
 */
function runChunk(
  kernel: SgemmExports,
  control: Int32Array,
  chunk: number,
  part: number,
  calls: SplitRunner,
  args: Float64Array,
): void {
  const chunks = control[NCHUNKS]!;
  if (control[MODE] === 3) {
    const at = chunk * MAX_SPLIT_ARGS;
    calls(control[CALL]!, args.subarray(at, at + control[NARGS]!));
    return;
  }
  const [a, b, c, mp, np, k] = [A, B, C, ROWS, N, K].map((i) => control[i]!) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  if (control[MODE] === 2) {
    const plan = control.subarray(PLAN, PLAN + PLAN_SLOTS);
    const [start, end] = share(plan[P.N]!, chunks, chunk);
    for (let p = start; p < end; p++) convStep(kernel as ConvKernel, plan, p, part);
    return;
  }
  // A is packed (sgemm.ts: packA, packAT): rows start.. from start·k floats in, as row-major.
  if (control[MODE] === 1) {
    const [as, bs, cs] = [control[AS]!, control[BS]!, control[CS]!];
    const [start, end] = share(control[BATCH]!, chunks, chunk);
    for (let p = start; p < end; p++) kernel.sgemmP(a + p * as, b + p * bs, c + p * cs, mp, np, k, np, np);
    return;
  }
  if (control[BY_COLUMNS]) {
    // Columns [j0, j1): their panels start j0·k floats into B's, and C's rows stay np apart.
    const [j0, j1] = share(np / 8, chunks, chunk).map((panel) => panel * 8) as [number, number];
    if (j1 > j0) kernel.sgemmP(a, b + j0 * k * 4, c + j0 * 4, mp, j1 - j0, k, np, j1 - j0);
    return;
  }
  const [start, end] = rowsOf(mp, chunks, chunk);
  if (end > start) kernel.sgemmP(a + start * k * 4, b, c + start * np * 4, end - start, np, k, np, np);
}

/** Takes chunks of the current work and runs them until none is left. */
function drain(
  kernel: SgemmExports,
  control: Int32Array,
  part: number,
  calls: SplitRunner,
  args: Float64Array,
): void {
  for (;;) {
    const next = Atomics.load(control, NEXT);
    const chunk = next & CLOSED;
    if (chunk >= Atomics.load(control, NCHUNKS)) return;
    if (Atomics.compareExchange(control, NEXT, next, next + 1) !== next) continue;
    runChunk(kernel, control, chunk, part, calls, args);
    if (part === 0) matmulThreadStats.chunksHere++;
    Atomics.store(control, CHUNK_DONE + chunk, next >>> CHUNK_BITS);
    Atomics.add(control, FIN, 1);
    Atomics.notify(control, FIN);
  }
}

/** The number of the current work (the tag in NEXT). */
let tag = 0;

/**
 * How many chunks `units` units of work (rows of 4, panels, products, samples, an elementwise
 * call's granules) are cut into.
 */
export const threadChunks = (units: number): number =>
  Math.max(1, Math.min(units, pool!.parts * CHUNKS_PER_THREAD, MAX_CALL_PARTS));

/**
 * Opens the work in the control block, cut into `chunks`, to the helpers, takes chunks here too,
 * and waits until every chunk is finished.
 */
function runAll(chunks: number): void {
  const { control, kernel, parts, calls, args } = pool!;
  tag = (tag + 1) % TAGS;
  matmulThreadStats.chunks += chunks;
  control[PARTS] = parts;
  control[NCHUNKS] = chunks;
  Atomics.store(control, FIN, 0);
  Atomics.store(control, REST, 0);
  Atomics.store(control, NEXT, tag << CHUNK_BITS);
  Atomics.add(control, SEQ, 1);
  Atomics.notify(control, SEQ);
  drain(kernel, control, 0, calls, args);
  // Only chunks a helper took and has not finished are left.
  spinWhile(() => Atomics.load(control, FIN) < chunks);
  const started = Date.now();
  for (let done = Atomics.load(control, FIN); done < chunks; done = Atomics.load(control, FIN)) {
    if (Date.now() - started > HELPER_TIMEOUT_MS) {
      // A helper died or hangs inside a chunk: compute the chunks not finished here and carry
      // on with one thread.
      Atomics.store(control, NEXT, (tag << CHUNK_BITS) | CLOSED);
      stopMatmulThreads();
      why = 'a helper thread stopped responding';
      for (let chunk = 0; chunk < chunks; chunk++)
        if (Atomics.load(control, CHUNK_DONE + chunk) !== tag)
          runChunk(kernel, control, chunk, 0, calls, args);
      return;
    }
    try {
      Atomics.wait(control, FIN, done, 100);
    } catch {
      // Atomics.wait is not allowed on a browser's main thread: spin instead.
    }
  }
  // Closed before the next work's description is written, so that no thread can take a chunk
  // of it until it is complete.
  Atomics.store(control, NEXT, (tag << CHUNK_BITS) | CLOSED);
}

function describe(a: number, b: number, c: number, mp: number, np: number, k: number): Int32Array {
  const { control } = pool!;
  control[A] = a;
  control[B] = b;
  control[C] = c;
  control[ROWS] = mp;
  control[N] = np;
  control[K] = k;
  return control;
}

/**
 * How many products were split by rows and by columns, how many batches shared out, how many
 * convolutions' samples and how many elementwise calls shared out; how many chunks all these
 * were cut into, and how many of them this thread took (tests check the path).
 */
export const matmulThreadStats = {
  rows: 0,
  columns: 0,
  batches: 0,
  convs: 0,
  calls: 0,
  chunks: 0,
  chunksHere: 0,
};

/**
 * Puts polling helpers to sleep at once: for a stretch of work this thread does alone (an RNN's
 * time loop runs for milliseconds between split products), where a helper polling on a virtual
 * core that shares a physical one with this thread would slow it. The next split work wakes
 * them (at a wake-up's cost, once).
 */
export function restHelpers(): void {
  if (pool) Atomics.store(pool.control, REST, 1);
}

/** The number of parts work is split into (this thread and the helpers), 1 without threads. */
export const threadParts = (): number => (threadPool() ? pool!.parts : 1);

/**
 * A convolution's samples shared out between the threads (conv-steps.ts's plan, its operands
 * already in the shared memory, each part's scratch regions PART bytes apart).
 */
export function threadedConv(plan: ArrayLike<number>): void {
  matmulThreadStats.convs++;
  const { control } = pool!;
  control.set(
    Array.from({ length: PLAN_SLOTS }, (_, i) => plan[i]!),
    PLAN,
  );
  control[MODE] = 2;
  runAll(threadChunks(plan[P.N]!));
}

/**
 * C = A·B on operands already in the shared memory (A packed: sgemm.ts), rows split across the
 * threads. A product with more columns than rows in C is split by columns instead: each thread
 * then reads all of A (the smaller operand) and only its own panels of B, where a split by rows
 * would have each read all of B (the CNN's and MLP's Linear layers: 64 or 128 rows, 1568 or 784
 * columns).
 */
export function threadedSgemm(a: number, b: number, c: number, mp: number, np: number, k: number): void {
  const byColumns = np > mp;
  if (byColumns) matmulThreadStats.columns++;
  else matmulThreadStats.rows++;
  const control = describe(a, b, c, mp, np, k);
  control[MODE] = 0;
  control[BY_COLUMNS] = byColumns ? 1 : 0;
  runAll(threadChunks(byColumns ? np / 8 : mp / 4));
}

/**
 * `batch` products C_p = A_p·B_p on operands already in the shared memory (A packed; product p's
 * operands and result `strides` bytes apart; 0 for an operand shared by all), whole products
 * shared out.
 */
export function threadedSgemmBatch(
  a: number,
  b: number,
  c: number,
  strides: readonly [number, number, number],
  batch: number,
  mp: number,
  np: number,
  k: number,
): void {
  matmulThreadStats.batches++;
  const control = describe(a, b, c, mp, np, k);
  control[MODE] = 1;
  control[BATCH] = batch;
  [control[AS], control[BS], control[CS]] = strides;
  runAll(threadChunks(batch));
}

/**
 * One elementwise call over the arena shared out between the threads, cut into `chunks` (at most
 * threadChunks' count): chunk c runs `name` with `chunkArgs(c)` (its own range of the values).
 */
export function threadedCall(
  name: SplitCallName,
  chunks: number,
  chunkArgs: (chunk: number) => readonly number[],
): void {
  matmulThreadStats.calls++;
  const { control, args } = pool!;
  if (chunks > MAX_CALL_PARTS) throw new Error(`threadedCall: ${chunks} chunks, at most ${MAX_CALL_PARTS}`);
  for (let c = 0; c < chunks; c++) {
    const values = chunkArgs(c);
    // More would run into the next chunk's arguments.
    if (values.length > MAX_SPLIT_ARGS)
      throw new Error(
        `threadedCall: ${name} takes ${values.length} arguments, at most ${MAX_SPLIT_ARGS} fit`,
      );
    args.set(values, c * MAX_SPLIT_ARGS);
    control[NARGS] = values.length;
  }
  control[CALL] = splitCallId(name);
  control[MODE] = 3;
  runAll(chunks);
}

/** The body of a helper worker: waits for work and takes chunks of it, until stopped. */
export function runMatmulHelper(init: HelperInit): void {
  const wasm = wasmApi()!;
  const kernel = new wasm.Instance(init.module as object, { env: { memory: init.memory } })
    .exports as SgemmExports;
  const control = init.control;
  const calls = splitRunner(init.memory as WasmMemory);
  const args = argsOf(control);
  let seen = Atomics.load(control, SEQ);
  // Only now may the calling thread count on this helper: it will see the next sequence number.
  Atomics.add(control, READY, 1);
  for (;;) {
    spinWhile(() => Atomics.load(control, SEQ) === seen && Atomics.load(control, REST) === 0);
    Atomics.wait(control, SEQ, seen);
    seen = Atomics.load(control, SEQ);
    if (Atomics.load(control, STOP)) return;
    drain(kernel, control, init.part, calls, args);
  }
}
