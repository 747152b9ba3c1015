// The preload exposes one named function per IPC channel and one subscription per event;
// no generic send or invoke reaches the renderer.
import { contextBridge, ipcRenderer, webUtils, type IpcRendererEvent } from 'electron';
import type { OpenedFile, StudioApi } from '../shared/ipc.ts';

function subscribe<T>(channel: string, listener: (value: T) => void): () => void {
  const handler = (_event: IpcRendererEvent, value: T) => listener(value);
  ipcRenderer.on(channel, handler);
  return () => ipcRenderer.off(channel, handler);
}

const api: StudioApi = {
  getInfo: () => ipcRenderer.invoke('app:getInfo'),
  open: () => ipcRenderer.invoke('file:open'),
  openRecent: (path) => ipcRenderer.invoke('file:openRecent', path),
  openWeights: () => ipcRenderer.invoke('file:openWeights'),
  save: (request) => ipcRenderer.invoke('file:save', request),
  recent: () => ipcRenderer.invoke('file:recent'),
  setDirty: (dirty) => ipcRenderer.invoke('app:setDirty', dirty),
  setBlocked: (blocked) => ipcRenderer.invoke('menu:setBlocked', blocked),
  onMenuCommand: (listener) => subscribe<string>('menu:command', listener),
  onFileOpened: (listener) => subscribe<OpenedFile>('file:opened', listener),
  pathForFile: (file) => webUtils.getPathForFile(file),
};

contextBridge.exposeInMainWorld('hgrad', api);
