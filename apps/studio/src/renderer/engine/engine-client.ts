// The UI side of the worker protocol: requests become promises with a timeout.
import { PROTOCOL_VERSION, type EngineInfo, type WorkerReply, type WorkerRequest } from '@hgrad/protocol';

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
type RequestBody = DistributiveOmit<WorkerRequest, 'v' | 'id'>;

export class EngineClient {
  private nextId = 1;
  private pending = new Map<number, { resolve: (r: WorkerReply) => void; reject: (e: Error) => void }>();

  constructor(private readonly worker: Worker) {
    worker.onmessage = (event: MessageEvent<WorkerReply>) => {
      const reply = event.data;
      const waiter = this.pending.get(reply.id);
      if (!waiter) return;
      this.pending.delete(reply.id);
      if (reply.type === 'error')
        waiter.reject(Object.assign(new Error(reply.error.message), { name: reply.error.name }));
      else waiter.resolve(reply);
    };
    worker.onerror = (event) => {
      const error = new Error(`engine worker failed: ${event.message}`);
      for (const waiter of this.pending.values()) waiter.reject(error);
      this.pending.clear();
    };
  }

  static start(): EngineClient {
    return new EngineClient(new Worker(new URL('./engine.worker.ts', import.meta.url), { type: 'module' }));
  }

  request(body: RequestBody, timeoutMs = 10_000): Promise<WorkerReply> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`engine request '${body.type}' timed out after ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(id, {
        resolve: (r) => (clearTimeout(timer), resolve(r)),
        reject: (e) => (clearTimeout(timer), reject(e)),
      });
      this.worker.postMessage({ ...body, v: PROTOCOL_VERSION, id } as WorkerRequest);
    });
  }

  async hello(): Promise<EngineInfo> {
    const reply = await this.request({ type: 'hello' });
    if (reply.type !== 'hello') throw new Error(`unexpected reply '${reply.type}' to hello`);
    return reply.info;
  }
}
