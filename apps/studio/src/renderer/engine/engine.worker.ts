// The studio's engine worker: the runtime session, hosted in a browser Web Worker. The UI
// thread never computes; it talks to this worker through @hgrad/protocol. Where the page is
// cross-origin isolated (COOP/COEP, as the web server and Electron set them), matmuls also use
// helper workers over shared WebAssembly memory — never all the cores: with N cores the engine
// computes on at most N − 1 (this worker and N − 2 helpers), so the page keeps one to stay
// responsive while training.
import { keepMatmulSingleThreaded, startMatmulThreads } from '@hgrad/engine';
import { RuntimeSession } from '@hgrad/runtime';

const cores = self.navigator?.hardwareConcurrency ?? 1;
const helpers = Math.max(0, Math.min(4, cores - 2));
if (helpers === 0) keepMatmulSingleThreaded(`the page keeps one of the ${cores} cores`);
else
  startMatmulThreads((init) => {
    const helper = new Worker(new URL('./matmul-helper.worker.ts', import.meta.url), { type: 'module' });
    helper.postMessage(init);
  }, helpers);

const session = new RuntimeSession((message, transfer) =>
  self.postMessage(message, { transfer: transfer ?? [] }),
);
self.onmessage = (event: MessageEvent<unknown>) => void session.handle(event.data);
