// @hgrad/protocol: typed messages between the UI and the engine worker (requests as zod
// schemas, results and events as types), the client that turns them into promises, and the
// supervisor that replaces a crashed worker.
export * from './worker.ts';
export * from './requests.ts';
export * from './runtime.ts';
export * from './inspection.ts';
export * from './client.ts';
export * from './debug.ts';
export * from './supervisor.ts';
