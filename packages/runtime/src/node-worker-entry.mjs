// worker_threads cannot load TypeScript directly: register tsx, then load the host.
import { register } from 'tsx/esm/api';

register();
await import('./node-worker.ts');
