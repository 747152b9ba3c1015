// Keeps a runtime alive across worker crashes: remembers the last loaded graph and a snapshot of
// the weights (taken after every epoch, whenever training pauses or stops, and every few seconds
// while it runs), and on restart() stops the old worker, starts a fresh one after a growing
// pause, reloads the graph and restores the snapshot. A worker that keeps dying (a graph that
// kills it on load) is not restarted a fourth time within a minute: restart() says why.
import { RuntimeClient, type Port } from './client.ts';
import type { RuntimeRequestBody } from './requests.ts';
import type { RuntimeEvent, RuntimeResult } from './runtime.ts';

type LoadRequest = Extract<RuntimeRequestBody, { type: 'load' }>;

/** Copies the load request's files: sending transfers (detaches) the buffers it is given. */
function copyLoad(r: LoadRequest): { body: LoadRequest; transfer: ArrayBuffer[] } {
  const files = r.files && {
    ...r.files,
    fashionImages: r.files.fashionImages?.slice(0),
    fashionLabels: r.files.fashionLabels?.slice(0),
  };
  const transfer = [files?.fashionImages, files?.fashionLabels].filter((b): b is ArrayBuffer => !!b);
  return { body: { ...r, ...(files ? { files } : {}) }, transfer };
}

export interface RecoveryReport {
  reloaded: boolean;
  weightsRestored: boolean;
}

/** Restarts allowed within RESTART_WINDOW_MS before the supervisor gives up. */
export const MAX_RESTARTS = 3;
export const RESTART_WINDOW_MS = 60_000;
/** The pause before a restart doubles from this with each recent one. */
const BACKOFF_MS = 250;
/** While training, the weights are copied at least this often (a crash loses less). */
const SNAPSHOT_EVERY_MS = 5_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export class RuntimeSupervisor {
  client: RuntimeClient;
  private restarts: number[] = [];
  private lastSnapshotAt = 0;
  private lastLoad: LoadRequest | null = null;
  private weights: ArrayBuffer | null = null;
  private snapshotting: Promise<void> | null = null;
  /** Set when the worker's GPU device was lost: its weights can no longer be read. */
  private deviceLost = false;
  /**
   * Set while a restart reloads the graph: the new worker's fresh weights (it says it is ready
   * before the load is answered) must not replace the snapshot about to be restored.
   */
  private restoring = false;
  private readonly listeners = new Set<(e: RuntimeEvent) => void>();
  private readonly deathListeners = new Set<(e: Error) => void>();

  constructor(
    private readonly spawn: () => Port,
    private readonly timeoutMs?: number,
  ) {
    this.client = this.connect();
  }

  private connect(): RuntimeClient {
    const client = new RuntimeClient(this.spawn(), this.timeoutMs);
    client.on((event) => {
      if (event.type === 'fault' && event.error.name === 'DeviceLostError') this.deviceLost = true;
      const settled = event.type === 'state' && (event.state === 'paused' || event.state === 'ready');
      const due = event.type === 'losses' && Date.now() - this.lastSnapshotAt > SNAPSHOT_EVERY_MS;
      if (event.type === 'epochs' || settled || due) void this.snapshot().catch(() => undefined);
      for (const listener of this.listeners) listener(event);
    });
    client.onDeath((error) => {
      for (const listener of this.deathListeners) listener(error);
    });
    return client;
  }

  on(listener: (e: RuntimeEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  onDeath(listener: (e: Error) => void): () => void {
    this.deathListeners.add(listener);
    return () => this.deathListeners.delete(listener);
  }

  /** Loads a graph, remembering it (and its files) for a restart. */
  async load(request: LoadRequest): Promise<RuntimeResult> {
    this.lastLoad = request;
    this.weights = null;
    this.deviceLost = false;
    const { body, transfer } = copyLoad(request);
    return this.client.request(body, { transfer, timeoutMs: 120_000 });
  }

  /** Takes a copy of the current weights now (one at a time). */
  snapshot(): Promise<void> {
    if (this.snapshotting) return this.snapshotting;
    // The last good snapshot stays: a lost device's buffers would read back as garbage or fail.
    if (this.deviceLost || this.restoring) return Promise.resolve();
    this.lastSnapshotAt = Date.now();
    this.snapshotting = this.client
      .request({ type: 'getWeights' })
      .then((r) => {
        if (r.type === 'weights') this.weights = r.safetensors;
      })
      .finally(() => (this.snapshotting = null));
    return this.snapshotting;
  }

  /** The latest weights snapshot (safetensors bytes), if one was taken. */
  get snapshotBytes(): ArrayBuffer | null {
    return this.weights;
  }

  /** Starts a new worker (after a crash, or to abandon a stuck one) and restores what it can. */
  async restart(): Promise<RecoveryReport> {
    // The old worker is stopped, not abandoned (a stuck load would keep a core busy).
    this.client.dispose(new Error('the engine worker was replaced'));
    const now = Date.now();
    this.restarts = this.restarts.filter((t) => now - t < RESTART_WINDOW_MS);
    if (this.restarts.length >= MAX_RESTARTS)
      throw new Error(
        `the engine worker stopped ${MAX_RESTARTS + 1} times within a minute${this.lastLoad ? ' with this graph' : ''}; it is not restarted again automatically (change the graph or reload to try again)`,
      );
    await sleep(BACKOFF_MS * 2 ** this.restarts.length - BACKOFF_MS);
    this.restarts.push(Date.now());
    this.deviceLost = false;
    this.restoring = true;
    try {
      this.client = this.connect();
      const report = { reloaded: false, weightsRestored: false };
      if (!this.lastLoad) return report;
      const { body, transfer } = copyLoad(this.lastLoad);
      const loaded = await this.client.request(body, { transfer, timeoutMs: 120_000 });
      report.reloaded = loaded.type === 'loaded';
      if (report.reloaded && this.weights) {
        const bytes = this.weights.slice(0);
        await this.client.request({ type: 'loadWeights', safetensors: bytes }, { transfer: [bytes] });
        report.weightsRestored = true;
      }
      return report;
    } finally {
      this.restoring = false;
    }
  }
}
