// The IPC contract between Electron's main process and the renderer: channel → argument
// and result types. main validates every argument; the preload exposes one function per channel.
export interface AppInfo {
  name: string;
  version: string;
  platform: string;
  electron: string | null;
}

export interface IpcContract {
  'app:getInfo': { args: []; result: AppInfo };
}

export type IpcChannel = keyof IpcContract;
export const IPC_CHANNELS: readonly IpcChannel[] = ['app:getInfo'];

/** The API the preload exposes on window.hgrad, derived from the contract. */
export type StudioApi = {
  [C in IpcChannel as C extends `${string}:${infer Name}` ? Name : never]: (
    ...args: IpcContract[C]['args']
  ) => Promise<IpcContract[C]['result']>;
};
