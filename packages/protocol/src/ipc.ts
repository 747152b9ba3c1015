// The IPC contract between Electron's main process and the renderer: channel → argument
// and result types. main validates every argument (see validateIpcArgs); the preload exposes
// one named function per channel and one subscription per event, nothing generic.
export interface AppInfo {
  name: string;
  version: string;
  platform: string;
  electron: string | null;
}

export interface OpenedFile {
  path: string;
  text: string;
}

export type SaveKind = 'document' | 'safetensors' | 'json';

export interface SaveRequest {
  suggestedName: string;
  kind: SaveKind;
  bytes: Uint8Array;
  /** Write here without asking (Save of a file opened or saved before). */
  path?: string;
}

export interface IpcContract {
  'app:getInfo': { args: []; result: AppInfo };
  /** Shows the open dialog; null when cancelled. */
  'file:open': { args: []; result: OpenedFile | null };
  'file:openRecent': { args: [path: string]; result: OpenedFile | null };
  /** Writes atomically (temporary file + rename); returns the path, or null when cancelled. */
  'file:save': { args: [request: SaveRequest]; result: string | null };
  'file:recent': { args: []; result: string[] };
  /** The renderer reports unsaved changes, so closing the window can ask first. */
  'app:setDirty': { args: [dirty: boolean]; result: void };
}

export type IpcChannel = keyof IpcContract;
export const IPC_CHANNELS: readonly IpcChannel[] = [
  'app:getInfo',
  'file:open',
  'file:openRecent',
  'file:save',
  'file:recent',
  'app:setDirty',
];

/** Events main sends to the renderer. */
export interface IpcEvents {
  /** A menu item or accelerator was used: run the command with this id. */
  'menu:command': string;
  /** A file was opened from the command line, a second instance or the OS. */
  'file:opened': OpenedFile;
}

type Invokers = {
  [C in IpcChannel as C extends `${string}:${infer Name}` ? Name : never]: (
    ...args: IpcContract[C]['args']
  ) => Promise<IpcContract[C]['result']>;
};

/** The API the preload exposes on window.hgrad, derived from the contract. */
export type StudioApi = Invokers & {
  onMenuCommand(listener: (commandId: string) => void): () => void;
  onFileOpened(listener: (file: OpenedFile) => void): () => void;
};

/** A POSIX (/…) or Windows (C:\…) absolute path: the only kind main writes to without asking. */
export const isAbsolutePath = (path: string): boolean => /^([\\/]|[A-Za-z]:[\\/])/.test(path);

/** Checks the arguments of an IPC call in main; returns why they are refused, or null. */
export function validateIpcArgs(channel: string, args: unknown[]): string | null {
  const isString = (v: unknown, max = 4096) => typeof v === 'string' && v.length > 0 && v.length <= max;
  switch (channel) {
    case 'app:getInfo':
    case 'file:open':
    case 'file:recent':
      return args.length === 0 ? null : `${channel} takes no arguments`;
    case 'file:openRecent':
      return args.length === 1 && isString(args[0]) ? null : `${channel} takes one path`;
    case 'app:setDirty':
      return args.length === 1 && typeof args[0] === 'boolean' ? null : `${channel} takes one boolean`;
    case 'file:save': {
      const r = args[0] as Partial<SaveRequest> | undefined;
      if (args.length !== 1 || typeof r !== 'object' || r === null)
        return `${channel} takes one save request`;
      if (!isString(r.suggestedName, 255) || /[\\/]/.test(r.suggestedName!))
        return `${channel}: suggestedName must be a file name without folders`;
      if (!['document', 'safetensors', 'json'].includes(r.kind as string)) return `${channel}: unknown kind`;
      if (!(r.bytes instanceof Uint8Array)) return `${channel}: bytes must be a Uint8Array`;
      if (r.bytes.byteLength > 2 ** 31) return `${channel}: the file is too large`;
      if (r.path !== undefined && !(isString(r.path) && isAbsolutePath(r.path!)))
        return `${channel}: path must be an absolute path`;
      return null;
    }
    default:
      return `unknown channel '${channel}'`;
  }
}
