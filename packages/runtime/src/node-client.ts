// Starts the runtime in a Node worker_thread and returns a protocol client for it.
import { Worker } from 'node:worker_threads';
import { RuntimeClient } from '@hgrad/protocol';

export function startNodeRuntime(timeoutMs?: number): { client: RuntimeClient; worker: Worker } {
  const worker = new Worker(new URL('./node-worker-entry.mjs', import.meta.url));
  const client = new RuntimeClient(
    {
      postMessage: (m, transfer) => worker.postMessage(m, transfer as never),
      onMessage: (listener) => void worker.on('message', listener),
      onError: (listener) => {
        worker.on('error', listener);
        worker.on('exit', (code) => listener(new Error(`worker exited with code ${code}`)));
      },
    },
    timeoutMs,
  );
  return { client, worker };
}
