// A read-back that races a device loss never returns the dying device's zeros as a tensor's
// values: it fails, naming the loss. Skipped, by name, without an adapter.
import { describe, expect, it } from 'vitest';
import * as hg from '../src/index.ts';
import { gpuOrReason } from './webgpu-available.ts';

const gpu = await gpuOrReason();

describe.skipIf(typeof gpu === 'string')(
  `WebGPU read-back on a lost device${typeof gpu === 'string' ? ` (skipped: ${gpu})` : ''}`,
  () => {
    it('is refused, not read as zeros, and a new device works', async () => {
      const backend = gpu as hg.WebGPUBackend;
      const t = hg.tensor([1.5, -2, 3], { device: 'webgpu' }).mul(2);
      expect(await t.tolistAsync()).toEqual([3, -4, 6]);
      const u = t.add(1);
      // Destroyed between the work being recorded and it being read, before `lost` settles.
      const reading = u.tolistAsync();
      backend.runner.device.destroy();
      await expect(reading).rejects.toThrow(/device lost|reading a tensor back failed/i);
      await expect(t.tolistAsync()).rejects.toThrow(/device lost/i);
      const again = await hg.initWebGPU();
      expect(again).not.toBe(backend);
      expect(await hg.tensor([1, 2], { device: 'webgpu' }).add(1).tolistAsync()).toEqual([2, 3]);
    });
  },
);
