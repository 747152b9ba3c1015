// Finding a WebGPU device: the browser's navigator.gpu (a page or a worker), or Dawn through the
// `webgpu` package in Node. Software adapters count (Chromium's SwiftShader; Mesa's llvmpipe
// behind Dawn's OpenGL ES backend, which only offers WebGPU's compatibility mode).

export interface GpuInfo {
  /** What the adapter says it is, e.g. "NVIDIA H100" or "OpenGL ES 3.2 Mesa 22.3.6". */
  adapter: string;
  featureLevel: 'core' | 'compatibility';
  /** True for CPU-emulated adapters (SwiftShader, llvmpipe). */
  software: boolean;
}

export interface GpuDevice {
  device: GPUDevice;
  info: GpuInfo;
  /** The GPU object the device came from: Dawn tears its instance down when this is collected. */
  gpu: GPU;
}

/** Thrown when no adapter can be had; the message says what was tried. */
export class WebGPUUnavailableError extends Error {
  constructor(reason: string) {
    super(`WebGPU is not available: ${reason}`);
    this.name = 'WebGPUUnavailableError';
  }
}

interface NodeWebGPU {
  create(flags: string[]): GPU;
  globals: object;
}

async function nodeGpus(): Promise<Array<{ gpu: GPU; featureLevel: 'core' | 'compatibility' }>> {
  // A variable specifier keeps bundlers from pulling Dawn into the browser build.
  const specifier = 'webgpu';
  let mod: NodeWebGPU;
  try {
    mod = (await import(/* @vite-ignore */ specifier)) as NodeWebGPU;
  } catch (e) {
    throw new WebGPUUnavailableError(
      `the 'webgpu' package (Dawn for Node) cannot be loaded: ${(e as Error).message}`,
    );
  }
  // Dawn's Node binding expects the GPU* constants (GPUBufferUsage…) as globals.
  for (const [k, v] of Object.entries(mod.globals))
    if (!(k in globalThis)) Object.assign(globalThis, { [k]: v });
  const env = (globalThis as { process?: { env: Record<string, string | undefined> } }).process?.env;
  // Headless Mesa needs EGL's surfaceless platform; it must be set before Dawn opens EGL.
  if (env && env.EGL_PLATFORM === undefined) env.EGL_PLATFORM = 'surfaceless';
  return [
    { gpu: mod.create([]), featureLevel: 'core' },
    { gpu: mod.create(['backend=opengles']), featureLevel: 'compatibility' },
  ];
}

function describe(adapter: GPUAdapter): string {
  const i = adapter.info;
  const parts = [i?.vendor, i?.architecture, i?.device, i?.description].filter((s) => s && s.length > 0);
  return parts.length ? [...new Set(parts)].join(' ') : 'unnamed adapter';
}

/** The first adapter on offer (core WebGPU preferred, compatibility mode accepted) and a device on it. */
export async function requestGpuDevice(): Promise<GpuDevice> {
  const nav = (globalThis as { navigator?: { gpu?: GPU } }).navigator;
  const candidates = nav?.gpu
    ? [
        { gpu: nav.gpu, featureLevel: 'core' as const },
        { gpu: nav.gpu, featureLevel: 'compatibility' as const },
      ]
    : typeof (globalThis as { process?: unknown }).process === 'object'
      ? await nodeGpus()
      : [];
  if (candidates.length === 0)
    throw new WebGPUUnavailableError(
      'this browser has no navigator.gpu (Chromium needs WebGPU enabled; --enable-unsafe-webgpu on Linux)',
    );
  for (const { gpu, featureLevel } of candidates) {
    const adapter = await gpu.requestAdapter(
      featureLevel === 'core'
        ? { powerPreference: 'high-performance' }
        : ({ featureLevel: 'compatibility' } as GPURequestAdapterOptions),
    );
    if (!adapter) continue;
    const l = adapter.limits;
    const device = await adapter.requestDevice({
      requiredLimits: {
        maxComputeWorkgroupSizeX: Math.min(256, l.maxComputeWorkgroupSizeX),
        maxComputeInvocationsPerWorkgroup: Math.min(256, l.maxComputeInvocationsPerWorkgroup),
        maxStorageBuffersPerShaderStage: Math.min(8, l.maxStorageBuffersPerShaderStage),
        maxStorageBufferBindingSize: l.maxStorageBufferBindingSize,
        maxBufferSize: l.maxBufferSize,
      },
    });
    const name = describe(adapter);
    const software =
      (adapter.info as { isFallbackAdapter?: boolean } | undefined)?.isFallbackAdapter === true ||
      /swiftshader|llvmpipe|lavapipe|software/i.test(name);
    const level =
      (adapter as { featureLevel?: string }).featureLevel === 'compatibility'
        ? 'compatibility'
        : featureLevel;
    return { device, gpu, info: { adapter: name, featureLevel: level, software } };
  }
  throw new WebGPUUnavailableError('no adapter was offered (no GPU, and no software adapter either)');
}
