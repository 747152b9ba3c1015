// Timing helpers: best-of-N wall time after a warm-up, a table printer with ratios, and the
// TensorFlow.js wasm backend as a peer.
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';

/** Switches TensorFlow.js to its wasm backend (SIMD; threads where it supports them); false with a message if it cannot. */
export async function useTfjsWasm(): Promise<boolean> {
  try {
    const wasm = createRequire(import.meta.url).resolve(
      '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm',
    );
    setWasmPaths(`${dirname(wasm)}/`);
    if (!(await tf.setBackend('wasm'))) throw new Error('setBackend returned false');
    await tf.ready();
    return true;
  } catch (e) {
    console.log(`tfjs wasm backend: skipped (${(e as Error).message})`);
    return false;
  }
}
export interface Measurement {
  name: string;
  /** Seconds per iteration (best run). */
  seconds: number;
}

export function time(fn: () => void, { minSeconds = 0.3, runs = 5 } = {}): number {
  fn();
  let best = Infinity;
  for (let r = 0; r < runs; r++) {
    let iterations = 0;
    const start = performance.now();
    let elapsed: number;
    do {
      fn();
      iterations++;
      elapsed = (performance.now() - start) / 1000;
    } while (elapsed < minSeconds / runs);
    best = Math.min(best, elapsed / iterations);
  }
  return best;
}

export function printTable(
  title: string,
  unit: string,
  rows: { label: string; ours: number; peer: number }[],
  higherIsBetter: boolean,
  peerName = 'tfjs cpu',
): void {
  console.log(`\n${title}`);
  console.log(
    `${'case'.padEnd(34)}${`homemade-grad (${unit})`.padStart(26)}${`${peerName} (${unit})`.padStart(22)}${'ratio'.padStart(10)}`,
  );
  for (const r of rows) {
    const ratio = higherIsBetter ? r.ours / r.peer : r.peer / r.ours;
    console.log(
      `${r.label.padEnd(34)}${r.ours.toPrecision(4).padStart(26)}${r.peer.toPrecision(4).padStart(22)}${`${ratio.toFixed(2)}x`.padStart(10)}`,
    );
  }
  console.log('(ratio > 1 means homemade-grad is faster)');
}
