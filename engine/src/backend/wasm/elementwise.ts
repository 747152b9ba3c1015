// Dense float32 elementwise ops on WebAssembly SIMD128 (elementwise.wat): add, sub, mul, div
// over rows (so a bias broadcast along the batch needs no copies of it), and neg, abs, sqrt,
// relu, square, reciprocal, and the backwards of ReLU, tanh and sigmoid. In a memory scope
// (training steps) they run over the arena, where the values lie, shared out between threads;
// elsewhere the operands are copied into the module's memory and the result copied out, which is
// still several times faster than a scalar loop from 1,024 values up. Results are bit-identical
// to the TypeScript kernels (single IEEE operations).
import type { BinaryOp, UnaryOp } from '../types.ts';
import { BYTES_BASE64 } from './elementwise.wasm.ts';
import { instantiate, reserve, type WasmMemory } from './instance.ts';
import { giveBack, takeCopyF32, takeF32 } from '../cpu/pool.ts';
import { addressOf, arenaMemory } from './arena.ts';
import { withAddresses } from './arena-call.ts';
import { arenaCall } from './split.ts';
import type { SplitCall } from './split-kernels.ts';

interface Kernel {
  memory: WasmMemory;
  /** opf: the op's code | operand flags << 2 (1: a broadcast along each row; 2: b). */
  binary(
    opf: number,
    a: number,
    b: number,
    o: number,
    rows: number,
    n: number,
    aRow: number,
    bRow: number,
  ): void;
  unary(op: number, x: number, o: number, n: number): void;
  threshold(g: number, y: number, o: number, n: number, t: number): void;
  activationGrad(op: number, g: number, y: number, o: number, n: number): void;
  colsum(x: number, o: number, acc: number, rows: number, n: number): void;
}

const BINARY: Partial<Record<BinaryOp, number>> = { add: 0, sub: 1, mul: 2, div: 3 };
const UNARY: Partial<Record<UnaryOp, number>> = {
  neg: 0,
  abs: 1,
  sqrt: 2,
  relu: 3,
  square: 4,
  reciprocal: 5,
};
/** The unary ops this module runs. */
export const WASM_UNARY: ReadonlySet<UnaryOp> = new Set(Object.keys(UNARY) as UnaryOp[]);
/** Below this many values the copies and the call cost more than the SIMD saves. */
export const WASM_ELEMENTWISE_MIN = 1024;

let enabled = true;
/** How many ops took this path, and how many of them over the arena (tests check both). */
export const wasmElementwiseStats = { calls: 0, inArena: 0 };
/** Turns the WASM elementwise path off (tests compare it with the TypeScript kernels). */
export function setWasmElementwise(on: boolean): void {
  enabled = on;
}

export const wasmElementwiseEnabled = (): boolean => enabled;

let kernel: Kernel | null | undefined;
const load = (): Kernel | null => {
  if (!enabled) return null;
  return kernel === undefined ? (kernel = instantiate<Kernel>(BYTES_BASE64)) : kernel;
};

/**
 * An elementwise kernel over the arena (arena.ts): `call(at, o, count)` names the kernel call (and
 * its arguments) that reads `count` values of each operand ([array, offset]) from byte addresses
 * `at` where they lie and writes them from `o` into an output taken from the pool (padded to 4:
 * its tail falls in the block's slack), with no copies; split.ts runs it, shared out between the
 * threads for many values. Null where an operand does not live there (the copying path runs
 * instead). Here, and in activations.ts.
 */
export function inArena(
  operands: readonly (readonly [Float32Array, number])[],
  n: number,
  call: (at: number[], o: number, count: number) => SplitCall,
): Float32Array | null {
  if (!enabled) return null;
  const at = operands.map(([array, offset]) => addressOf(array, offset));
  if (at.some((address) => address === null)) return null;
  const o = arenaOutput(n);
  if (!o) return null;
  arenaCall(Math.ceil(n / 4) * 4, 4, (start, count) =>
    call(
      at.map((address) => address! + start * 4),
      o.at + start * 4,
      count,
    ),
  );
  wasmElementwiseStats.calls++;
  return o.out;
}

/**
 * An output of n floats in the arena (its SIMD tail, up to 3 floats past n, falls in the
 * block's slack), or null where the pool gave an ordinary array.
 */
function arenaOutput(n: number): { out: Float32Array; at: number } | null {
  const out = takeF32(n);
  const at = addressOf(out);
  return at === null ? null : { out, at };
}

/** One operand as the kernel sees it: rows of n values (inner stride 1), or one value per row (0). */
export interface RowOperand {
  data: Float32Array;
  offset: number;
  /** Elements between rows (0: every row reads the same values). */
  rowStride: number;
  /** 1: n consecutive values per row; 0: one value broadcast along the row. */
  inner: 0 | 1;
}

/** Copies an operand into the heap at `at` (in floats); returns its row stride in bytes there. */
function place(heap: Float32Array, x: RowOperand, rows: number, n: number, at: number): number {
  const width = x.inner ? n : 1;
  if (x.rowStride === 0 || rows === 1) {
    heap.set(x.data.subarray(x.offset, x.offset + width), at);
    return 0;
  }
  if (x.rowStride === width) heap.set(x.data.subarray(x.offset, x.offset + rows * width), at);
  else
    for (let r = 0; r < rows; r++)
      heap.set(
        x.data.subarray(x.offset + r * x.rowStride, x.offset + r * x.rowStride + width),
        at + r * width,
      );
  return width * 4;
}

/** The kernel's op argument: the op's code, and which operand is one value per row (bits 2, 3). */
const opfOf = (code: number, a: RowOperand, b: RowOperand) => code | (a.inner ? 0 : 4) | (b.inner ? 0 : 8);

/**
 * a op b as a dense rows × n Float32Array, or null when this path does not apply; `into`
 * writes it at `at` of a given array instead (one slab of a larger result).
 */
export function wasmBinary(
  op: BinaryOp,
  a: RowOperand,
  b: RowOperand,
  rows: number,
  n: number,
  into?: { out: Float32Array; at: number },
): Float32Array | null {
  const code = BINARY[op];
  if (code === undefined || rows * n < WASM_ELEMENTWISE_MIN || !enabled) return null;
  const opf = opfOf(code, a, b);
  // A result in the arena (in a memory scope) is computed there, with no copies of the operands
  // that live there too.
  const k = load();
  if (!k) return null;
  const target = into ?? { out: takeF32(rows * n), at: 0 };
  if (addressOf(target.out, target.at) !== null && binaryInArena(opf, a, b, rows, n, target))
    return target.out;
  const total = rows * n;
  const size = (x: RowOperand) => (x.rowStride === 0 ? 1 : rows) * (x.inner ? n : 1) + 4;
  const [aAt, bAt] = [0, size(a)];
  const oAt = bAt + size(b);
  reserve(k.memory, (oAt + total + 4) * 4);
  const heap = new Float32Array(k.memory.buffer);
  const aRow = place(heap, a, rows, n, aAt);
  const bRow = place(heap, b, rows, n, bAt);
  k.binary(opf, aAt * 4, bAt * 4, oAt * 4, rows, n, aRow, bRow);
  wasmElementwiseStats.calls++;
  target.out.set(heap.subarray(oAt, oAt + total), target.at);
  return target.out;
}

/**
 * Slabs of rows (a [1, C, 1] operand against [N, C, L]): how many, and each operand's stride
 * between them.
 */
export interface Slabs {
  count: number;
  aStride: number;
  bStride: number;
}
const ONE_SLAB: Slabs = { count: 1, aStride: 0, bStride: 0 };

/** The floats a row operand spans (every row of every slab, or the one row broadcast to all). */
const span = (x: RowOperand, rows: number, n: number, slabs: number, slabStride: number) =>
  (slabs - 1) * slabStride +
  (x.rowStride === 0 || rows === 1 ? 0 : (rows - 1) * x.rowStride) +
  (x.inner ? n : 1);

/**
 * wasmBinary into a result in the arena (slabs × rows × n from `into.at`): the operands read
 * where they lie when they live there (a small one, such as a bias or a batch's mean, copied in
 * once), each slab's rows shared out between the threads (one row: by runs of lanes) for many
 * values. False (nothing run) where the arena is full.
 */
function binaryInArena(
  opf: number,
  a: RowOperand,
  b: RowOperand,
  rows: number,
  n: number,
  into: { out: Float32Array; at: number },
  slabs: Slabs = ONE_SLAB,
): boolean {
  // A view walked backwards (a flip) is left to the copying path, which places it row by row:
  // copied in here, its span would be taken from the wrong end.
  if (a.rowStride < 0 || b.rowStride < 0 || slabs.aStride < 0 || slabs.bStride < 0) return false;
  const operand = (x: RowOperand, stride: number) => ({
    data: x.data,
    at: x.offset,
    n: span(x, rows, n, slabs.count, stride),
    read: true,
    written: false,
  });
  const output = { data: into.out, at: into.at, n: slabs.count * rows * n, read: false, written: true };
  // Bytes between rows: a broadcast row (rowStride 0) or a single row reads the same place.
  const aRow = rows === 1 ? 0 : a.rowStride * 4;
  const bRow = rows === 1 ? 0 : b.rowStride * 4;
  const operands = [operand(a, slabs.aStride), operand(b, slabs.bStride), output];
  const ran = withAddresses(arenaMemory()!, operands, 0, ([a0, b0, o0]) => {
    for (let slab = 0; slab < slabs.count; slab++) {
      const aAt = a0! + slab * slabs.aStride * 4;
      const bAt = b0! + slab * slabs.bStride * 4;
      const o = o0! + slab * rows * n * 4;
      if (rows === 1)
        // One long row, in runs of lanes (a multiple of 4 each, so each run's vector part is whole).
        arenaCall(n, 4, (start, count) => [
          'binary',
          [
            opf,
            aAt + (a.inner ? start * 4 : 0),
            bAt + (b.inner ? start * 4 : 0),
            o + start * 4,
            1,
            count,
            0,
            0,
          ],
        ]);
      else
        arenaCall(
          rows,
          1,
          (start, count) => [
            'binary',
            [opf, aAt + start * aRow, bAt + start * bRow, o + start * n * 4, count, n, aRow, bRow],
          ],
          n,
        );
    }
  });
  if (!ran) return false;
  wasmElementwiseStats.calls++;
  wasmElementwiseStats.inArena++;
  return true;
}

/**
 * wasmBinary over slabs of rows (slabs.count × rows × n), in one call over the arena: null where
 * the result would not live there (the caller then runs wasmBinary slab by slab).
 */
export function wasmBinarySlabs(
  op: BinaryOp,
  a: RowOperand,
  b: RowOperand,
  slabs: Slabs,
  rows: number,
  n: number,
): Float32Array | null {
  const code = BINARY[op];
  if (code === undefined || slabs.count * rows * n < WASM_ELEMENTWISE_MIN || !load()) return null;
  const out = takeF32(slabs.count * rows * n);
  if (addressOf(out) === null) {
    giveBack(out);
    return null;
  }
  const opf = opfOf(code, a, b);
  if (binaryInArena(opf, a, b, rows, n, { out, at: 0 }, slabs)) return out;
  giveBack(out);
  return null;
}

/**
 * The heap with `slots` regions of n floats (padded to a multiple of 4), the operands copied into
 * the first ones in order.
 */
function stage(k: Kernel, n: number, operands: Float32Array[], slots: number) {
  const padded = Math.ceil(n / 4) * 4;
  reserve(k.memory, padded * 4 * slots);
  const heap = new Float32Array(k.memory.buffer);
  operands.forEach((values, i) => heap.set(values, i * padded));
  return { heap, padded };
}

/**
 * n dense values of x from `at` copied into `memory` at byte 0, rewritten there in place by
 * `run(padded)` (a kernel over n padded to a multiple of 4), and copied out (a pooled array):
 * how every one-operand kernel here and in activations.ts and softmax.ts is called.
 */
export function inPlace(
  memory: WasmMemory,
  x: Float32Array,
  at: number,
  n: number,
  run: (padded: number) => void,
): Float32Array {
  const padded = Math.ceil(n / 4) * 4;
  reserve(memory, padded * 4);
  new Float32Array(memory.buffer).set(x.subarray(at, at + n));
  run(padded);
  wasmElementwiseStats.calls++;
  return takeCopyF32(new Float32Array(memory.buffer, 0, n));
}

/** op(x) for n dense values of x from `offset`, or null when this path does not apply. */
export function wasmUnary(op: UnaryOp, x: Float32Array, offset: number, n: number): Float32Array | null {
  const code = UNARY[op];
  if (code === undefined || n < WASM_ELEMENTWISE_MIN) return null;
  const fast = inArena([[x, offset]], n, ([from], to, count) => ['unary', [code, from!, to, count]]);
  if (fast) return fast;
  const k = load();
  return k && inPlace(k.memory, x, offset, n, (padded) => k.unary(code, 0, 0, padded));
}

/**
 * ReLU's backward: g where y > threshold, else +0, for n dense values of each (float32
 * threshold only: a float32 comparison then equals the TypeScript kernel's), or null.
 */
export function wasmThreshold(
  g: Float32Array,
  gAt: number,
  y: Float32Array,
  yAt: number,
  n: number,
  threshold: number,
): Float32Array | null {
  if (n < WASM_ELEMENTWISE_MIN || Math.fround(threshold) !== threshold) return null;
  const fast = inArena(
    [
      [g, gAt],
      [y, yAt],
    ],
    n,
    ([gs, ys], to, count) => ['threshold', [gs!, ys!, to, count, threshold]],
  );
  if (fast) return fast;
  const k = load();
  if (!k) return null;
  const { heap, padded } = stage(k, n, [g.subarray(gAt, gAt + n), y.subarray(yAt, yAt + n)], 2);
  // In place over g's copy.
  k.threshold(0, padded * 4, 0, padded, threshold);
  wasmElementwiseStats.calls++;
  return takeCopyF32(heap.subarray(0, n));
}

/**
 * tanh's backward g·(1 − y²) or sigmoid's g·y·(1 − y) from the output y, for n dense values of
 * each (rounded as the composed ops round), or null when this path does not apply.
 */
export function wasmActivationGrad(
  op: 'tanh' | 'sigmoid',
  g: Float32Array,
  gAt: number,
  y: Float32Array,
  yAt: number,
  n: number,
): Float32Array | null {
  if (n < WASM_ELEMENTWISE_MIN) return null;
  const code = op === 'tanh' ? 0 : 1;
  const fast = inArena(
    [
      [g, gAt],
      [y, yAt],
    ],
    n,
    ([gs, ys], to, count) => ['activationGrad', [code, gs!, ys!, to, count]],
  );
  if (fast) return fast;
  const k = load();
  if (!k) return null;
  const { heap, padded } = stage(k, n, [g.subarray(gAt, gAt + n), y.subarray(yAt, yAt + n)], 2);
  // In place over g's copy.
  k.activationGrad(op === 'tanh' ? 0 : 1, 0, padded * 4, 0, padded);
  wasmElementwiseStats.calls++;
  return takeCopyF32(heap.subarray(0, n));
}

/**
 * Column sums of a dense rows × n float32 block starting at `offset` (a bias's gradient: the sum
 * over the batch), or null when this path does not apply.
 */
export function wasmColumnSum(x: Float32Array, offset: number, rows: number, n: number): Float32Array | null {
  if (rows * n < WASM_ELEMENTWISE_MIN || n < 4) return null;
  const k = load();
  if (!k) return null;
  const total = rows * n;
  const oAt = total;
  const accAt = Math.ceil((oAt + n) / 2) * 2; // in floats; doubles need 8-byte alignment
  reserve(k.memory, (accAt + 2 * (n + 2)) * 4);
  const heap = new Float32Array(k.memory.buffer);
  heap.set(x.subarray(offset, offset + total), 0);
  k.colsum(0, oAt * 4, accAt * 4, rows, n);
  wasmElementwiseStats.calls++;
  return heap.slice(oAt, oAt + n);
}
