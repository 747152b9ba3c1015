// Which backend serves which device. The CPU backend is always there; others register
// themselves once they have found their hardware (e.g. a WebGPU adapter).
import { cpuBackend } from './cpu/index.ts';
import type { Backend, Device } from './types.ts';

const backends = new Map<Device, Backend>([['cpu', cpuBackend]]);

export function registerBackend(backend: Backend): void {
  backends.set(backend.device, backend);
}

export function unregisterBackend(device: Device): void {
  if (device === 'cpu') return;
  backends.delete(device);
  if (defaultDevice === device) defaultDevice = 'cpu';
}

let defaultDevice: Device = 'cpu';

/** Where factories (tensor, zeros, randn…) put tensors when no device is given (torch.set_default_device). */
export function setDefaultDevice(device: Device): void {
  getBackend(device);
  defaultDevice = device;
}

export function getDefaultDevice(): Device {
  return defaultDevice;
}

export function getBackend(device: Device = defaultDevice): Backend {
  const backend = backends.get(device);
  if (!backend)
    throw new Error(
      `device '${device}' is not available: no ${device} backend has been initialised (available: ${[...backends.keys()].join(', ')})`,
    );
  return backend;
}
