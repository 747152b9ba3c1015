// A WebGPU device that is lost mid-training (driver reset, GPU removed; here: destroyed) stops
// training with a fault that says how to go on, and the same session trains on the CPU after
// the device is switched. Skipped, by name, without an adapter.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as hg from '@hgrad/engine';
import { inProcessSession } from './in-process-session.ts';

const example = JSON.parse(
  readFileSync(new URL('../../../examples/mlp-blobs.hgrad.json', import.meta.url), 'utf8'),
);
const onDevice = (device: string) => ({ ...example, training: { ...example.training, device } });
const gpu = await hg.initWebGPU().catch((e: Error) => e.message);

describe.skipIf(typeof gpu === 'string')(
  `WebGPU device loss${typeof gpu === 'string' ? ` (skipped: ${gpu})` : ''}`,
  () => {
    it('reports the loss as a fault, and training goes on on the CPU', async () => {
      const { out, ask } = inProcessSession();
      expect(await ask({ type: 'load', document: onDevice('webgpu') })).toMatchObject({ device: 'webgpu' });
      await ask({ type: 'step', steps: 3 });
      await ask({ type: 'start' });
      (gpu as hg.WebGPUBackend).runner.device.destroy();
      await expect
        .poll(() => out.find((m) => 'event' in m && m.event.type === 'fault'), { timeout: 10_000 })
        .toBeTruthy();
      const fault = out.find((m) => 'event' in m && m.event.type === 'fault')!;
      expect('event' in fault && fault.event.type === 'fault' && fault.event.error.message).toMatch(
        /^the WebGPU device was lost \(.*\); set the device to CPU to train on/,
      );
      // The engine refuses GPU work from now on, saying why.
      expect(() => hg.tensor([1, 2], { device: 'webgpu' })).toThrow(
        /device 'webgpu' is not available|device lost/,
      );
      expect(await ask({ type: 'load', document: onDevice('cpu') })).toMatchObject({ device: 'cpu' });
      await ask({ type: 'runEpoch' });
      const epochs = out.find((m) => 'event' in m && m.event.type === 'epochs');
      expect(
        epochs &&
          'event' in epochs &&
          epochs.event.type === 'epochs' &&
          epochs.event.closed[0]!.report.valAccuracy,
      ).toBeGreaterThan(0.5);
      // A later WebGPU request finds a new device.
      const again = await hg.initWebGPU();
      expect(again).not.toBe(gpu);
      expect(await hg.tensor([1, 2], { device: 'webgpu' }).add(1).tolistAsync()).toEqual([2, 3]);
    });
  },
);
