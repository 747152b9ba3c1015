// The WebGPU backend for tests, or the reason there is none (the suite is then skipped by name).
import * as hg from '../src/index.ts';

export async function gpuOrReason(): Promise<hg.WebGPUBackend | string> {
  try {
    return await hg.initWebGPU();
  } catch (e) {
    return (e as Error).message;
  }
}
