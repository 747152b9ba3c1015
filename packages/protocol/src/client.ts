// The UI side of the runtime protocol over any message port (a Web Worker or a Node
// worker_thread): requests become promises with a timeout, events become subscriptions, and
// every step's loss is kept in a history however the worker batches them.
import { RUNTIME_PROTOCOL_VERSION, type RuntimeRequestBody } from './requests.ts';
import type { RuntimeEvent, RuntimeOutgoing, RuntimeResult } from './runtime.ts';

export interface Port {
  postMessage(message: unknown, transfer?: ArrayBuffer[]): void;
  onMessage(listener: (data: unknown) => void): void;
  onError(listener: (error: Error) => void): void;
  /** Stops the worker (an abandoned or replaced one must not keep computing). */
  terminate?(): void;
}

export class RuntimeError extends Error {
  constructor(
    message: string,
    readonly nodeId?: string,
    /** The worker-side error's name (e.g. CancelledError, ProtocolError), when it came from there. */
    readonly remoteName?: string,
  ) {
    super(message);
    this.name = remoteName === 'CancelledError' ? 'CancelledError' : 'RuntimeError';
  }
}

export class RuntimeClient {
  private nextId = 1;
  private readonly pending = new Map<
    number,
    { resolve: (r: RuntimeResult) => void; reject: (e: Error) => void; timer: ReturnType<typeof setTimeout> }
  >();
  private readonly listeners = new Set<(e: RuntimeEvent) => void>();
  private readonly deathListeners = new Set<(e: Error) => void>();
  /** Every step's loss, index = step − 1. */
  readonly lossHistory: number[] = [];
  dead: Error | null = null;

  constructor(
    private readonly port: Port,
    private readonly defaultTimeoutMs = 30_000,
  ) {
    port.onMessage((data) => this.receive(data as RuntimeOutgoing));
    port.onError((error) => {
      if (this.dead) return;
      const death = new RuntimeError(`the engine worker stopped: ${error.message}`);
      this.fail(death);
      for (const listener of this.deathListeners) listener(death);
    });
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
    else waiter.reject(new RuntimeError(message.error.message, message.error.nodeId, message.error.name));
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

  /** Rejects everything in flight and stops the worker for good (it was replaced). */
  dispose(error: Error): void {
    this.fail(error);
    this.port.terminate?.();
  }

  /** Called once if the worker dies (crashes, exits or fails to load). */
  onDeath(listener: (e: Error) => void): () => void {
    this.deathListeners.add(listener);
    return () => this.deathListeners.delete(listener);
  }

  on(listener: (e: RuntimeEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Sends a request; the promise settles with its result or error. It fails after `timeoutMs`
   * (and the worker is asked to stop a long request), and `signal` cancels it: the worker
   * stops and the promise rejects with a CancelledError.
   */
  request(
    body: RuntimeRequestBody,
    {
      timeoutMs = this.defaultTimeoutMs,
      transfer = [] as ArrayBuffer[],
      signal,
    }: { timeoutMs?: number; transfer?: ArrayBuffer[]; signal?: AbortSignal } = {},
  ): Promise<RuntimeResult> {
    if (this.dead) return Promise.reject(this.dead);
    if (signal?.aborted)
      return Promise.reject(new RuntimeError(`${body.type} was cancelled`, undefined, 'CancelledError'));
    const id = this.nextId++;
    const cancelRemote = () => {
      if (this.dead) return;
      const cancelId = this.nextId++;
      this.port.postMessage({ type: 'cancel', requestId: id, v: RUNTIME_PROTOCOL_VERSION, id: cancelId });
    };
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        cancelRemote();
        reject(new RuntimeError(`request '${body.type}' timed out after ${timeoutMs} ms`));
      }, timeoutMs);
      signal?.addEventListener('abort', cancelRemote, { once: true });
      this.pending.set(id, { resolve, reject, timer });
      this.port.postMessage({ ...body, v: RUNTIME_PROTOCOL_VERSION, id }, transfer);
    });
  }
}
