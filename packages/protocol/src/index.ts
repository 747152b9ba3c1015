// @hgrad/protocol: typed messages between the UI and the engine worker, and the Electron IPC contract.
export * from './worker.ts';
export * from './ipc.ts';
export * from './runtime.ts';
export * from './client.ts';
export * from './debug.ts';
export * from './supervisor.ts';
