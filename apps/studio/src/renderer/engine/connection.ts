// The studio's connection to the engine worker: one supervised runtime (replaced after a crash),
// created on first use. Tests and hosts may swap how the worker is started (a fake port) before
// the first request.
import { RuntimeSupervisor, type Port, type RuntimeEvent, type RuntimeRequestBody } from '@hgrad/protocol';
import { spawnEngineWorker } from './engine-client.ts';

type Listener = { event: (e: RuntimeEvent) => void; death: (e: Error) => void };

export class EngineConnection {
  private supervisor: RuntimeSupervisor | null = null;
  private listener: Listener | null = null;

  constructor(private spawn: () => Port = spawnEngineWorker) {}

  /** Replaces how the worker is started (before the first request). */
  useSpawner(spawn: () => Port): void {
    if (this.supervisor) throw new Error('the engine is already running');
    this.spawn = spawn;
  }

  /** Where events and a worker's death are reported (the engine controller). */
  listen(listener: Listener): void {
    this.listener = listener;
  }

  get runtime(): RuntimeSupervisor {
    if (this.supervisor) return this.supervisor;
    const supervisor = new RuntimeSupervisor(this.spawn);
    supervisor.on((e) => this.listener?.event(e));
    supervisor.onDeath((e) => this.listener?.death(e));
    this.supervisor = supervisor;
    return supervisor;
  }

  request(body: RuntimeRequestBody) {
    return this.runtime.client.request(body);
  }
}

export const connection = new EngineConnection();
