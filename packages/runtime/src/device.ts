// The device a document asks for, as this host can give it: WebGPU when an adapter exists,
// otherwise the CPU and why. A device that is lost later is reported through `onLost`.
import * as hg from '@hgrad/engine';

const watched = new WeakSet<hg.WebGPUBackend>();

export async function acquireDevice(
  wanted: hg.Device,
  onLost: (reason: string) => void,
): Promise<{ device: hg.Device; fallback: string | null }> {
  if (wanted === 'cpu') return { device: 'cpu', fallback: null };
  try {
    const gpu = await hg.initWebGPU();
    if (!watched.has(gpu)) {
      watched.add(gpu);
      gpu.runner.onLost(onLost);
    }
    return { device: 'webgpu', fallback: null };
  } catch (e) {
    return { device: 'cpu', fallback: `${(e as Error).message}: training on the CPU instead` };
  }
}
