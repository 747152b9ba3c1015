// worker_threads cannot load TypeScript directly: register tsx (and workspace sources), then load the host.
import './register-ts.mjs';

await import('./node-worker.ts');
