// Starts the runtime in a Node worker_thread and returns a protocol client for it.
import { Worker } from 'node:worker_threads';
import { RuntimeClient, RuntimeSupervisor, type Port } from '@hgrad/protocol';

/** A fresh worker_thread running the runtime, as a protocol port. */
export function spawnNodeRuntime(): { port: Port; worker: Worker } {
  const worker = new Worker(new URL('./node-worker-entry.mjs', import.meta.url));
  const port: Port = {
    postMessage: (m, transfer) => worker.postMessage(m, transfer as never),
    onMessage: (listener) => void worker.on('message', listener),
    onError: (listener) => {
      worker.on('error', listener);
      worker.on('exit', (code) => listener(new Error(`worker exited with code ${code}`)));
    },
    terminate: () => void worker.terminate(),
  };
  return { port, worker };
}

export function startNodeRuntime(timeoutMs?: number): { client: RuntimeClient; worker: Worker } {
  const { port, worker } = spawnNodeRuntime();
  return { client: new RuntimeClient(port, timeoutMs), worker };
}

/** A supervised runtime: `workers` lists every worker it started (the last one is live). */
export function startSupervisedNodeRuntime(timeoutMs?: number): {
  supervisor: RuntimeSupervisor;
  workers: Worker[];
} {
  const workers: Worker[] = [];
  const supervisor = new RuntimeSupervisor(() => {
    const { port, worker } = spawnNodeRuntime();
    workers.push(worker);
    return port;
  }, timeoutMs);
  return { supervisor, workers };
}
