// The UI side of the runtime protocol over any message port (a Web Worker or a Node
// worker_thread): requests become promises with a timeout, events become subscriptions, and
// every step's loss is kept in a history however the worker batches them.
import {
  RUNTIME_PROTOCOL_VERSION,
  type RuntimeEvent,
  type RuntimeOutgoing,
  type RuntimeRequestBody,
  type RuntimeResult,
} from './runtime.ts';

export interface Port {
  postMessage(message: unknown, transfer?: ArrayBuffer[]): void;
  onMessage(listener: (data: unknown) => void): void;
  onError(listener: (error: Error) => void): void;
}

export class RuntimeError extends Error {
  constructor(
    message: string,
    readonly nodeId?: string,
  ) {
    super(message);
    this.name = 'RuntimeError';
  }
}

export class RuntimeClient {
  private nextId = 1;
  private readonly pending = new Map<
    number,
    { resolve: (r: RuntimeResult) => void; reject: (e: Error) => void; timer: ReturnType<typeof setTimeout> }
  >();
  private readonly listeners = new Set<(e: RuntimeEvent) => void>();
  /** Every step's loss, index = step − 1. */
  readonly lossHistory: number[] = [];
  dead: Error | null = null;

  constructor(
    private readonly port: Port,
    private readonly defaultTimeoutMs = 30_000,
  ) {
    port.onMessage((data) => this.receive(data as RuntimeOutgoing));
    port.onError((error) => this.fail(new RuntimeError(`the engine worker stopped: ${error.message}`)));
  }

  private receive(message: RuntimeOutgoing): void {
    if (message.id === undefined) {
      const event = message.event;
      if (event.type === 'losses')
        event.losses.forEach((l, i) => (this.lossHistory[event.firstStep - 1 + i] = l));
      for (const listener of this.listeners) listener(event);
      return;
    }
    const waiter = this.pending.get(message.id);
    if (!waiter) return;
    this.pending.delete(message.id);
    clearTimeout(waiter.timer);
    if (message.ok) waiter.resolve(message.result);
    else waiter.reject(new RuntimeError(message.error.message, message.error.nodeId));
  }

  /** Rejects everything in flight (the worker died or was replaced). */
  fail(error: Error): void {
    this.dead = error;
    for (const w of this.pending.values()) {
      clearTimeout(w.timer);
      w.reject(error);
    }
    this.pending.clear();
  }

  on(listener: (e: RuntimeEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  request(
    body: RuntimeRequestBody,
    { timeoutMs = this.defaultTimeoutMs, transfer = [] as ArrayBuffer[] } = {},
  ): Promise<RuntimeResult> {
    if (this.dead) return Promise.reject(this.dead);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new RuntimeError(`request '${body.type}' timed out after ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(id, { resolve, reject, timer });
      this.port.postMessage({ ...body, v: RUNTIME_PROTOCOL_VERSION, id }, transfer);
    });
  }
}
