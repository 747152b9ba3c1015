// Node's helper threads for the engine's matmul: worker_threads sharing the kernel's memory.
import { Worker } from 'node:worker_threads';
import * as hg from '@hgrad/engine';

/** Starts `helpers` helper threads (one per extra core); returns the workers, or [] with the reason in matmulThreadMode(). */
export function enableNodeMatmulThreads(helpers = 1): Worker[] {
  const workers: Worker[] = [];
  hg.startMatmulThreads((init) => {
    const worker = new Worker(new URL('./node-matmul-helper.mjs', import.meta.url), { workerData: init });
    worker.unref(); // a helper never keeps the process alive
    workers.push(worker);
  }, helpers);
  return workers;
}

/** Resolves once every helper is ready (or after `timeoutMs`); the mode then says "N threads". */
export async function matmulThreadsReady(timeoutMs = 10_000): Promise<string> {
  const until = Date.now() + timeoutMs;
  while (!/threads$/.test(hg.matmulThreadMode()) && Date.now() < until)
    await new Promise((r) => setTimeout(r, 20));
  return hg.matmulThreadMode();
}

export async function disableNodeMatmulThreads(workers: Worker[]): Promise<void> {
  hg.stopMatmulThreads();
  await Promise.all(workers.map((w) => w.terminate()));
}
