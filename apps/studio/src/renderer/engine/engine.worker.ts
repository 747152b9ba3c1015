// The studio's engine worker: the runtime session, hosted in a browser Web Worker. The UI
// thread never computes; it talks to this worker through @hgrad/protocol.
import { RuntimeSession } from '@hgrad/runtime';

const session = new RuntimeSession((message, transfer) =>
  self.postMessage(message, { transfer: transfer ?? [] }),
);
self.onmessage = (event: MessageEvent<unknown>) => void session.handle(event.data);
