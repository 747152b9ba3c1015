// Worker supervision: a replaced worker is stopped, not abandoned; restarts back off and stop
// after a few within a minute, saying why; weights are copied every few seconds while training.
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Port } from './client.ts';
import { RUNTIME_PROTOCOL_VERSION } from './requests.ts';
import { MAX_RESTARTS, RuntimeSupervisor } from './supervisor.ts';

/** An in-process stand-in for a worker: answers load and getWeights, counts what it is asked. */
function fakeWorker({ weightBytes = 8, readyOnLoad = false } = {}) {
  const state = {
    terminated: false,
    received: [] as string[],
    restored: [] as number[],
    emit: (_event: unknown) => {},
  };
  const port: Port = {
    postMessage(message) {
      const m = message as { type: string; id: number; safetensors?: ArrayBuffer };
      state.received.push(m.type);
      if (m.type === 'loadWeights') state.restored.push(m.safetensors!.byteLength);
      // A real worker says it is ready (fresh weights) before it answers the load.
      if (m.type === 'load' && readyOnLoad) state.emit({ type: 'state', state: 'ready', step: 0, epoch: 0 });
      const result =
        m.type === 'load'
          ? { type: 'loaded', params: 1 }
          : m.type === 'getWeights'
            ? { type: 'weights', safetensors: new ArrayBuffer(weightBytes), names: [] }
            : { type: 'ok' };
      queueMicrotask(() => listener?.({ v: RUNTIME_PROTOCOL_VERSION, id: m.id, ok: true, result }));
    },
    onMessage(l) {
      listener = l;
      state.emit = (event) => l({ v: RUNTIME_PROTOCOL_VERSION, event });
    },
    onError() {},
    terminate() {
      state.terminated = true;
    },
  };
  let listener: ((data: unknown) => void) | undefined;
  return { port, state };
}

afterEach(() => vi.useRealTimers());

describe('RuntimeSupervisor', () => {
  it('stops the replaced worker, backs off, and gives up after a few restarts in a minute', async () => {
    const workers: ReturnType<typeof fakeWorker>[] = [];
    const supervisor = new RuntimeSupervisor(() => {
      const w = fakeWorker();
      workers.push(w);
      return w.port;
    });
    await supervisor.load({ type: 'load', document: {} } as never);
    const started = Date.now();
    for (let i = 0; i < MAX_RESTARTS; i++) {
      const report = await supervisor.restart();
      expect(report.reloaded).toBe(true);
      expect(workers[i]!.state.terminated).toBe(true);
    }
    // Backoff: 0 + 250 + 750 ms between the three restarts.
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000 - 20);
    expect(workers.at(-1)!.state.received).toContain('load');
    await expect(supervisor.restart()).rejects.toThrow(
      'the engine worker stopped 4 times within a minute with this graph; it is not restarted again automatically',
    );
    expect(workers.at(-1)!.state.terminated).toBe(true);
  });

  it('copies the weights every few seconds while training, not at every event', async () => {
    const workers: ReturnType<typeof fakeWorker>[] = [];
    const supervisor = new RuntimeSupervisor(() => {
      const w = fakeWorker();
      workers.push(w);
      return w.port;
    });
    const now = vi.spyOn(Date, 'now');
    let t = 1_000_000;
    now.mockImplementation(() => t);
    const losses = () => workers[0]!.state.emit({ type: 'losses', firstStep: 1, losses: [1] });
    const snapshots = () => workers[0]!.state.received.filter((m) => m === 'getWeights').length;
    losses();
    await Promise.resolve();
    expect(snapshots()).toBe(1);
    await new Promise((r) => setTimeout(r, 0));
    t += 1000;
    losses();
    expect(snapshots()).toBe(1);
    t += 5000;
    losses();
    expect(snapshots()).toBe(2);
    await new Promise((r) => setTimeout(r, 0));
    expect(supervisor.snapshotBytes?.byteLength).toBe(8);
    now.mockRestore();
  });

  it('keeps the last good snapshot once the GPU device is lost, and snapshots again after a restart', async () => {
    const workers: ReturnType<typeof fakeWorker>[] = [];
    const supervisor = new RuntimeSupervisor(() => {
      const w = fakeWorker();
      workers.push(w);
      return w.port;
    });
    await supervisor.load({ type: 'load', document: {} } as never);
    const reads = (w: number) => workers[w]!.state.received.filter((m) => m === 'getWeights').length;
    workers[0]!.state.emit({ type: 'epochs', closed: [] });
    await new Promise((r) => setTimeout(r, 0));
    expect(reads(0)).toBe(1);
    workers[0]!.state.emit({
      type: 'fault',
      error: { name: 'DeviceLostError', message: 'the WebGPU device was lost (destroyed)' },
    });
    workers[0]!.state.emit({ type: 'state', state: 'paused', step: 3, epoch: 1, compute: '' });
    await new Promise((r) => setTimeout(r, 0));
    expect(reads(0)).toBe(1);
    const report = await supervisor.restart();
    expect(report).toEqual({ reloaded: true, weightsRestored: true });
    expect(workers[1]!.state.received).toEqual(['load', 'loadWeights']);
    workers[1]!.state.emit({ type: 'epochs', closed: [] });
    await new Promise((r) => setTimeout(r, 0));
    expect(reads(1)).toBe(1);
  });

  it('restores the weights it had before the restart, not the new worker’s fresh ones', async () => {
    const workers: ReturnType<typeof fakeWorker>[] = [];
    // Each worker's weights have their own size: worker 0's trained ones are 8 bytes, the next
    // worker's fresh ones 16.
    const supervisor = new RuntimeSupervisor(() => {
      const w = fakeWorker({ weightBytes: 8 * (workers.length + 1), readyOnLoad: true });
      workers.push(w);
      return w.port;
    });
    await supervisor.load({ type: 'load', document: {} } as never);
    workers[0]!.state.emit({ type: 'epochs', closed: [] });
    await new Promise((r) => setTimeout(r, 0));
    expect(supervisor.snapshotBytes?.byteLength).toBe(8);
    expect(await supervisor.restart()).toEqual({ reloaded: true, weightsRestored: true });
    expect(workers[1]!.state.restored).toEqual([8]);
    await new Promise((r) => setTimeout(r, 0));
    // What the new worker said while it loaded was not taken as the run's weights.
    expect(supervisor.snapshotBytes?.byteLength).toBe(8);
    expect(await supervisor.restart()).toEqual({ reloaded: true, weightsRestored: true });
    expect(workers[2]!.state.restored).toEqual([8]);
  });
});
