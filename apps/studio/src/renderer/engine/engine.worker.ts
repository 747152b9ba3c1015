// The studio's engine worker: the runtime session, hosted in a browser Web Worker. The UI
// thread never computes; it talks to this worker through @hgrad/protocol. Where the page is
// cross-origin isolated (COOP/COEP, as the web server and Electron set them), matmuls also use
// one helper worker per extra core over shared WebAssembly memory.
import { startMatmulThreads } from '@hgrad/engine';
import { RuntimeSession } from '@hgrad/runtime';

const cores = Math.max(1, Math.min(4, (self.navigator?.hardwareConcurrency ?? 1) - 1));
if (self.crossOriginIsolated && cores > 0)
  startMatmulThreads((init) => {
    const helper = new Worker(new URL('./matmul-helper.worker.ts', import.meta.url), { type: 'module' });
    helper.postMessage(init);
  }, cores);

const session = new RuntimeSession((message, transfer) =>
  self.postMessage(message, { transfer: transfer ?? [] }),
);
self.onmessage = (event: MessageEvent<unknown>) => void session.handle(event.data);
