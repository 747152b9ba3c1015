// How the engine computes for a model on a device, in words for status bars and logs
// ("WASM SIMD, 2 threads", "WebGPU on llvmpipe"): built here only, from the backends' own state.
import type { Device } from './backend/types.ts';
import { matmulKernel } from './backend/cpu/matmul.ts';
import { matmulThreadMode } from './backend/wasm/threads.ts';
import { webgpuBackend } from './backend/webgpu/index.ts';

export function computeMode(device: Device = 'cpu'): string {
  if (device === 'webgpu') return `WebGPU on ${webgpuBackend()?.info.adapter ?? 'a lost device'}`;
  return `${matmulKernel() === 'wasm' ? 'WASM SIMD' : 'TypeScript kernels'}, ${matmulThreadMode()}`;
}
