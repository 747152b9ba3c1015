// Batch normalisation on WebAssembly over the arena (batchnorm.wat): in training, the statistics
// and the normalised values in two calls and the gradients in two more; in eval mode, one call
// with the running statistics. Each call shares the channels out between the threads. The
// forward's values equal the composed ops' bit for bit; the backward is PyTorch's formula. Where
// there is no arena (or no room in it) these return null and the composed ops serve.
import { takeF32 } from '../cpu/pool.ts';
import { arenaMemory } from './arena.ts';
import type { WasmMemory } from './instance.ts';
import { withAddresses } from './arena-call.ts';
import { wasmElementwiseEnabled, wasmElementwiseStats } from './elementwise.ts';
import { arenaCall } from './split.ts';
import type { SplitCallName } from './split-kernels.ts';

/** A channel's row in the kernels' table (batchnorm.wat says what each slot holds). */
const SLOTS = 8;
const [MEAN, VARIANCE, STD, WEIGHT, BIAS, SUM_G, SUM_GX, SCALE] = [0, 1, 2, 3, 4, 5, 6, 7];

/** A dense float32 block [n, C, L] from element `at` of `data`. */
export interface Block {
  data: Float32Array;
  at: number;
  n: number;
  C: number;
  L: number;
}

/** What the forward leaves for the backward and the running statistics: one table row per channel. */
export interface BatchNormSaved {
  table: Float32Array;
}

/** Whether the kernels can run (WebAssembly, the arena; room in it is known only by trying). */
export const wasmBatchNormAvailable = (): boolean => wasmElementwiseEnabled() && arenaMemory() !== null;

const total = (b: Block): number => b.n * b.C * b.L;

/** Runs `name` over every channel, shared out by channels: `args(offset)` with the first channel's byte offset. */
function overChannels(
  name: SplitCallName,
  b: Block,
  table: number,
  args: (offset: number) => number[],
): void {
  arenaCall(
    b.C,
    1,
    (c0, count) => [name, [...args(c0 * b.L * 4), b.n, b.C, b.L, count, table + c0 * SLOTS * 4]],
    b.n * b.L,
  );
}

/** The affine part of a table: each channel's weight (1 when none) and bias (−0 when none). */
function tableFor(C: number, weight: ArrayLike<number> | null, bias: ArrayLike<number> | null): Float32Array {
  const table = new Float32Array(SLOTS * C);
  for (let c = 0; c < C; c++) {
    table[c * SLOTS + WEIGHT] = weight ? weight[c]! : 1;
    table[c * SLOTS + BIAS] = bias ? bias[c]! : -0;
  }
  return table;
}

/** std from the variance as the composed ops round it: var + eps (eps a float32 scalar), then its sqrt. */
function fillStd(rows: Float32Array, eps: number): void {
  const epsilon = Math.fround(eps);
  for (let r = 0; r < rows.length; r += SLOTS)
    rows[r + STD] = Math.sqrt(Math.fround(rows[r + VARIANCE]! + epsilon));
}

/**
 * Runs `kernels` over x and a new output block, with the table in the arena; the output, or null
 * where the arena has no room.
 */
function withBlocks(
  x: Block,
  table: Float32Array,
  kernels: (memory: WasmMemory, xAt: number, outAt: number, tableAt: number) => void,
): Float32Array | null {
  const memory = arenaMemory();
  if (!memory || !wasmElementwiseEnabled()) return null;
  const n = total(x);
  const out = takeF32(n);
  const ran = withAddresses(
    memory,
    [
      { data: x.data, at: x.at, n, read: true, written: false },
      { data: out, at: 0, n, read: false, written: true },
      { data: table, at: 0, n: table.length, read: true, written: true },
    ],
    0,
    ([xAt, outAt, tableAt]) => kernels(memory, xAt!, outAt!, tableAt!),
  );
  return ran ? out : null;
}

/**
 * The normalised block ((x − mean) / sqrt(var + eps) · weight + bias, the batch's statistics)
 * and the table the backward reads; null where this path does not apply.
 */
export function wasmBatchNormForward(
  x: Block,
  weight: ArrayLike<number> | null,
  bias: ArrayLike<number> | null,
  eps: number,
): { out: Float32Array; saved: BatchNormSaved } | null {
  const table = tableFor(x.C, weight, bias);
  const out = withBlocks(x, table, (memory, xAt, outAt, tableAt) => {
    overChannels('bnStats', x, tableAt, (o) => [xAt + o]);
    fillStd(new Float32Array(memory.buffer, tableAt, table.length), eps);
    overChannels('bnNormalize', x, tableAt, (o) => [xAt + o, outAt + o]);
  });
  if (!out) return null;
  wasmElementwiseStats.calls += 2;
  return { out, saved: { table } };
}

/**
 * The block normalised with given statistics (eval mode's running mean and variance), rounded as
 * the composed ops round it; null where this path does not apply.
 */
export function wasmBatchNormApply(
  x: Block,
  mean: ArrayLike<number>,
  variance: ArrayLike<number>,
  weight: ArrayLike<number> | null,
  bias: ArrayLike<number> | null,
  eps: number,
): Float32Array | null {
  const table = tableFor(x.C, weight, bias);
  for (let c = 0; c < x.C; c++) {
    table[c * SLOTS + MEAN] = mean[c]!;
    table[c * SLOTS + VARIANCE] = variance[c]!;
  }
  fillStd(table, eps);
  const out = withBlocks(x, table, (_, xAt, outAt, tableAt) =>
    overChannels('bnNormalize', x, tableAt, (o) => [xAt + o, outAt + o]),
  );
  if (out) wasmElementwiseStats.calls++;
  return out;
}

/** Each channel's mean and biased variance from a forward's table. */
export function batchNormStats({ table }: BatchNormSaved): { mean: Float32Array; variance: Float32Array } {
  const C = table.length / SLOTS;
  const mean = new Float32Array(C);
  const variance = new Float32Array(C);
  for (let c = 0; c < C; c++) {
    mean[c] = table[c * SLOTS + MEAN]!;
    variance[c] = table[c * SLOTS + VARIANCE]!;
  }
  return { mean, variance };
}

/**
 * The gradients for the input (when `input`), the weight (Σ g·x̂) and the bias (Σ g) from the
 * output's gradient g (dense, x's layout) and the forward's x and table; null where this path
 * does not apply.
 */
export function wasmBatchNormBackward(
  g: Block,
  x: Block,
  saved: BatchNormSaved,
  input: boolean,
): { input: Float32Array | null; weight: Float32Array; bias: Float32Array } | null {
  const memory = arenaMemory();
  if (!memory || !wasmElementwiseEnabled()) return null;
  const n = total(x);
  const out = input ? takeF32(n) : null;
  // A copy: the backward can run again (retain_graph) and writes its coefficients over the sums.
  const table = saved.table.slice();
  const weight = new Float32Array(x.C);
  const bias = new Float32Array(x.C);
  const count = Math.fround(x.n * x.L);
  const operands = [
    { data: g.data, at: g.at, n, read: true, written: false },
    { data: x.data, at: x.at, n, read: true, written: false },
    { data: table, at: 0, n: table.length, read: true, written: true },
    ...(out ? [{ data: out, at: 0, n, read: false, written: true }] : []),
  ];
  const ran = withAddresses(memory, operands, 0, ([gAt, xAt, tableAt, outAt]) => {
    overChannels('bnGradSums', x, tableAt!, (o) => [gAt! + o, xAt! + o]);
    const rows = new Float32Array(memory.buffer, tableAt!, table.length);
    for (let c = 0; c < x.C; c++) {
      const r = c * SLOTS;
      bias[c] = rows[r + SUM_G]!;
      weight[c] = rows[r + SUM_GX]!;
      // ḡ, mean(g·x̂) and weight / std, each rounded to float32 (the kernel's constants).
      rows[r + SUM_G] = bias[c]! / count;
      rows[r + SUM_GX] = weight[c]! / count;
      rows[r + SCALE] = rows[r + WEIGHT]! / rows[r + STD]!;
    }
    if (outAt !== undefined) overChannels('bnGradInput', x, tableAt!, (o) => [gAt! + o, xAt! + o, outAt + o]);
  });
  if (!ran) return null;
  wasmElementwiseStats.calls += out ? 2 : 1;
  return { input: out, weight, bias };
}
