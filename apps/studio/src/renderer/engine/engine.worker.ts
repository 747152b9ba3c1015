// The engine worker: the studio never computes on its UI thread. Requests are validated at
// the edge, and failures come back as serialized errors.
import { cpuBackend, eye, manualSeed, randn } from '@hgrad/engine';
import { PROTOCOL_VERSION, parseWorkerRequest, serializeError, type WorkerReply } from '@hgrad/protocol';

function matmulCheck(size: number): number {
  manualSeed(0);
  const a = randn([size, size]);
  // trace(A·Aᵀ), which equals the sum of A's squares: a cheap end-to-end check of matmul.
  return a.matmul(a.t()).mul(eye(size)).sum().item();
}

const post = (reply: WorkerReply): void => self.postMessage(reply);

self.onmessage = (event: MessageEvent<unknown>) => {
  const parsed = parseWorkerRequest(event.data);
  const id =
    typeof (event.data as { id?: unknown })?.id === 'number' ? (event.data as { id: number }).id : -1;
  if (!parsed.ok)
    return post({
      v: PROTOCOL_VERSION,
      id,
      type: 'error',
      error: { name: 'ProtocolError', message: parsed.error },
    });
  const request = parsed.request;
  try {
    switch (request.type) {
      case 'hello':
        return post({
          v: PROTOCOL_VERSION,
          id,
          type: 'hello',
          info: { backend: cpuBackend.device, check: matmulCheck(8) },
        });
      case 'evalExpression':
        return post({ v: PROTOCOL_VERSION, id, type: 'value', value: matmulCheck(request.size) });
    }
  } catch (e) {
    post({ v: PROTOCOL_VERSION, id, type: 'error', error: serializeError(e) });
  }
};
