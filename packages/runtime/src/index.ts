// @hgrad/runtime: the engine session behind the worker protocol, and its hosts.
export { RuntimeSession, type Emit } from './session.ts';
export { LossBatcher } from './throttle.ts';
