// The slice of Electron's API that main and preload use, for type-checking on machines where
// npm could not install Electron (its package, and so its own types, are then absent). Where
// Electron is installed, TypeScript resolves the real package first and ignores this file.
declare module 'electron' {
  interface WebContents {
    setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' | 'allow' }): void;
    on(event: 'will-navigate', listener: (event: { preventDefault(): void }, url: string) => void): void;
  }
  export class BrowserWindow {
    constructor(options: { width: number; height: number; title: string; webPreferences: object });
    readonly webContents: WebContents;
    loadURL(url: string): Promise<void>;
    loadFile(path: string): Promise<void>;
    static getAllWindows(): BrowserWindow[];
  }
  export const app: {
    whenReady(): Promise<void>;
    quit(): void;
    getName(): string;
    getVersion(): string;
    requestSingleInstanceLock(): boolean;
    on(event: 'activate' | 'window-all-closed', listener: () => void): void;
  };
  export const ipcMain: {
    handle(channel: string, listener: (event: unknown, ...args: unknown[]) => unknown): void;
  };
  export const ipcRenderer: { invoke(channel: string, ...args: unknown[]): Promise<never> };
  export const contextBridge: { exposeInMainWorld(key: string, api: unknown): void };
  export const shell: { openExternal(url: string): Promise<void> };
  export const session: {
    defaultSession: {
      webRequest: {
        onHeadersReceived(
          listener: (
            details: { responseHeaders?: Record<string, string[]> },
            callback: (response: { responseHeaders: Record<string, string[] | string> }) => void,
          ) => void,
        ): void;
      };
    };
  };
}
