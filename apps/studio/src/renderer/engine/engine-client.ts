// Starts the engine worker and wraps it in the protocol's RuntimeClient.
import { RuntimeClient } from '@hgrad/protocol';

export function startEngine(): RuntimeClient {
  const worker = new Worker(new URL('./engine.worker.ts', import.meta.url), { type: 'module' });
  return new RuntimeClient({
    postMessage: (message, transfer) => worker.postMessage(message, transfer ?? []),
    onMessage: (listener) => worker.addEventListener('message', (e) => listener(e.data)),
    onError: (listener) =>
      worker.addEventListener('error', (e) => listener(new Error(e.message || 'worker error'))),
  });
}
