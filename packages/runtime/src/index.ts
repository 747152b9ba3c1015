// @hgrad/runtime: the engine session behind the worker protocol, and its hosts.
export { RuntimeSession, type Emit } from './session.ts';
export { ProgressBatcher, type ProgressBatch } from './throttle.ts';
