// The preload exposes one named function per IPC channel; no generic send or invoke.
import { contextBridge, ipcRenderer } from 'electron';
import type { StudioApi } from '@hgrad/protocol';

const api: StudioApi = {
  getInfo: () => ipcRenderer.invoke('app:getInfo'),
};

contextBridge.exposeInMainWorld('hgrad', api);
