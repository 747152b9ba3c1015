// The slice of Electron's API that main and preload use, for type-checking on machines where
// npm could not install Electron (its package, and so its own types, are then absent). Where
// Electron is installed, TypeScript resolves the real package first and ignores this file.
declare module 'electron' {
  interface WebContents {
    setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' | 'allow' }): void;
    on(event: 'will-navigate', listener: (event: { preventDefault(): void }, url: string) => void): void;
    on(event: 'did-finish-load', listener: () => void): void;
    on(event: 'will-attach-webview', listener: (event: { preventDefault(): void }) => void): void;
    send(channel: string, ...args: unknown[]): void;
  }
  export class BrowserWindow {
    constructor(options: { width: number; height: number; title: string; webPreferences: object });
    readonly webContents: WebContents;
    loadURL(url: string): Promise<void>;
    loadFile(path: string): Promise<void>;
    on(event: 'close', listener: (event: { preventDefault(): void }) => void): this;
    close(): void;
    focus(): void;
    restore(): void;
    isMinimized(): boolean;
    setDocumentEdited(edited: boolean): void;
    static getAllWindows(): BrowserWindow[];
  }
  export interface MenuItemConstructorOptions {
    label?: string;
    accelerator?: string;
    role?: string;
    type?: 'normal' | 'separator' | 'submenu';
    submenu?: MenuItemConstructorOptions[];
    click?: () => void;
    enabled?: boolean;
    toolTip?: string;
  }
  export class Menu {
    static buildFromTemplate(template: MenuItemConstructorOptions[]): Menu;
    static setApplicationMenu(menu: Menu | null): void;
  }
  export const dialog: {
    showOpenDialog(
      window: BrowserWindow,
      options: { properties: string[]; filters: { name: string; extensions: string[] }[] },
    ): Promise<{ canceled: boolean; filePaths: string[] }>;
    showSaveDialog(
      window: BrowserWindow,
      options: { defaultPath: string; filters: { name: string; extensions: string[] }[] },
    ): Promise<{ canceled: boolean; filePath?: string }>;
    showMessageBoxSync(
      window: BrowserWindow,
      options: {
        type: string;
        buttons: string[];
        defaultId: number;
        cancelId: number;
        message: string;
        detail: string;
      },
    ): number;
  };
  export const app: {
    readonly isPackaged: boolean;
    whenReady(): Promise<void>;
    quit(): void;
    getName(): string;
    getVersion(): string;
    getPath(name: 'userData'): string;
    requestSingleInstanceLock(): boolean;
    commandLine: { appendSwitch(name: string, value?: string): void };
    on(event: 'activate' | 'window-all-closed', listener: () => void): void;
    on(event: 'second-instance', listener: (event: unknown, argv: string[], cwd: string) => void): void;
    on(event: 'open-file', listener: (event: { preventDefault(): void }, path: string) => void): void;
  };
  export const ipcMain: {
    handle(
      channel: string,
      listener: (
        event: { senderFrame: { url: string; parent: unknown } | null },
        ...args: unknown[]
      ) => unknown,
    ): void;
  };
  export interface IpcRendererEvent {
    sender: unknown;
  }
  export const ipcRenderer: {
    invoke(channel: string, ...args: unknown[]): Promise<never>;
    on(channel: string, listener: (event: IpcRendererEvent, ...args: never[]) => void): void;
    off(channel: string, listener: (event: IpcRendererEvent, ...args: never[]) => void): void;
  };
  export const webUtils: { getPathForFile(file: File): string };
  export const contextBridge: { exposeInMainWorld(key: string, api: unknown): void };
  export const shell: { openExternal(url: string): Promise<void> };
  export const protocol: {
    registerSchemesAsPrivileged(schemes: { scheme: string; privileges: Record<string, boolean> }[]): void;
    handle(scheme: string, handler: (request: Request) => Response | Promise<Response>): void;
  };
  export const session: {
    defaultSession: {
      setPermissionRequestHandler(
        handler: (contents: unknown, permission: string, callback: (granted: boolean) => void) => void,
      ): void;
      setPermissionCheckHandler(handler: (contents: unknown, permission: string) => boolean): void;
    };
  };
}
