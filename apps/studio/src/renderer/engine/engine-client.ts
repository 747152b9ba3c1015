// Starts the engine worker (a module Web Worker) and adapts it to the protocol's Port.
import type { Port } from '@hgrad/protocol';

export function spawnEngineWorker(): Port {
  const worker = new Worker(new URL('./engine.worker.ts', import.meta.url), { type: 'module' });
  return {
    postMessage: (message, transfer) => worker.postMessage(message, transfer ?? []),
    onMessage: (listener) => worker.addEventListener('message', (e) => listener(e.data)),
    onError: (listener) =>
      worker.addEventListener('error', (e) => {
        e.preventDefault();
        worker.terminate();
        listener(new Error(e.message || 'the worker failed'));
      }),
    terminate: () => worker.terminate(),
  };
}
